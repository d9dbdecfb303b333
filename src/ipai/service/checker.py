"""Service use cases of the claim checker."""

from __future__ import annotations

from typing import Any

from ipai.errors import InputError
from ipai.service.context import Feature


class CheckerService(Feature):
    """The claim checker."""

    def check_claims(
        self, text: Any, description: str | None = None, office: str = "CN", ui_lang: str | None = None
    ) -> dict[str, Any]:
        """Check a claim set (numbered text, JSON or a list of claims); findings with rule, severity,
        position, message and suggested fix (see :mod:`ipai.draft.checker`)."""
        from ipai.draft.checker import check_claims

        if text is None or (isinstance(text, str) and not text.strip()):
            raise InputError(
                "no claims to check: paste a numbered claim set (1. … 2. …)",
                errors=[{"field": "claims", "message": "empty"}],
            )
        return check_claims(text, description=description, office=office, ui_lang=ui_lang)

    def check_document(
        self, number: str, office: str | None = None, ui_lang: str | None = None
    ) -> dict[str, Any]:
        """Check the claims of a stored patent (with its description), under ``office`` or the
        document's own office (US/EP/CN; others: CN)."""
        from ipai.draft.checker import OFFICES, check_claims

        doc = self.ctx.resolve(number)
        if not doc.claims:
            raise InputError(
                f"{doc.id} has no claims in the store", errors=[{"field": "number", "message": "no claims"}]
            )
        cc = (doc.pubno.country or "").upper()
        off = (office or (cc if cc in OFFICES else "CN")).upper()
        res = check_claims(doc, office=off, ui_lang=ui_lang)
        return {"number": doc.id, **res}
