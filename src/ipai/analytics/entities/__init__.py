"""Applicant and inventor entity resolution: name variants merged into entities with explainable scores."""

from ipai.analytics.entities.keys import org_core, person_parts
from ipai.analytics.entities.resolver import Entity, Resolver, resolve_names

__all__ = ["Entity", "Resolver", "org_core", "person_parts", "resolve_names"]
