"""Service use case: which applicant a typed name means (``find_applicant``), for the company
portrait's search box and applicant queries of the valuation page (see
:mod:`ipai.analytics.entities.lookup`)."""

from __future__ import annotations

from typing import Any

from ipai.errors import InputError
from ipai.service.analytics import AnalyticsService
from ipai.service.context import Feature, ServiceContext

MAX_DOCS = 50_000  # documents read to gather spellings (a name matching more is named too broadly)
MAX_CANDIDATES = 12


class ApplicantsService(Feature):
    """Applicant lookup."""

    def __init__(self, ctx: ServiceContext, analytics: AnalyticsService) -> None:
        super().__init__(ctx)
        self.analytics = analytics

    def find_applicant(self, name: str) -> dict[str, Any]:
        """The applicant entity ``name`` (Chinese or English) means: ``status`` is ``found`` (one
        entity: ``applicant``), ``ambiguous`` (``candidates`` to choose from) or ``none``; each
        candidate has its label, the spelling a query should name, its stored spellings, documents
        and how it matched."""
        from ipai.analytics.entities.lookup import candidates, decide, search_clauses

        name = " ".join((name or "").replace('"', " ").split())
        if not name:
            raise InputError("empty applicant name", errors=[{"field": "name", "message": "empty"}])
        if len(name) > 200:
            raise InputError(
                "applicant name over 200 characters", errors=[{"field": "name", "message": "too long"}]
            )
        clauses = search_clauses(name)
        spellings: dict[str, set[str]] = {}
        if clauses:
            for f in self.analytics.facts(" OR ".join(clauses), MAX_DOCS):
                for a in f.applicants:
                    spellings.setdefault(a, set()).add(f.id)
        found = candidates(name, spellings)
        status = decide(found)
        return {
            "name": name,
            "status": status,
            "applicant": found[0].to_json() if status == "found" else None,
            "candidates": [c.to_json() for c in found[:MAX_CANDIDATES]],
            "more": max(0, len(found) - MAX_CANDIDATES),
        }


def applicant_query(candidate: dict[str, Any], most: int = 30) -> str:
    """The query naming every stored spelling of a candidate (``pa:"A" OR pa:"B"``)."""
    names = [n.replace('"', " ") for n in candidate.get("names") or [candidate["spelling"]]][:most]
    return " OR ".join(f'pa:"{n}"' for n in names)
