"""Valuation commands: ``ipai value``, ``ipai eval value``, ``ipai bench value``."""

from __future__ import annotations
