"""Results of the claim checker (``ipai.service.checker``; rules in :mod:`ipai.draft.checker`)."""

from __future__ import annotations

from typing import Any, NotRequired

from ipai.service.results.common import Result


class ClaimCheck(Result):
    """``Service.check_claims`` / ``check_document`` (which adds the document's ``number``): the
    parsed claims, every finding (rule, severity, claim, start/end, message, suggestion), counts."""

    number: NotRequired[str]
    office: str
    lang: str
    claims: list[dict[str, Any]]
    findings: list[dict[str, Any]]
    counts: dict[str, Any]
