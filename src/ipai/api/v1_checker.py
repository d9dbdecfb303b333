"""``/api/v1`` endpoints of the claim checker."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from ipai.api import responses as R
from ipai.api import schemas as M

router = APIRouter()
ERRORS = M.error_responses({404: "Unknown publication number"})


class CheckIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    claims: str | None = Field(
        None, max_length=300_000, description="Numbered claim set (1. … 2. …), zh or en, or JSON"
    )
    number: str | None = Field(
        None, max_length=64, description="Or: the publication number of a stored patent"
    )
    description: str | None = Field(
        None, max_length=2_000_000, description="Description, for the support check"
    )
    office: Literal["CN", "EP", "US"] | None = Field(
        None, description="Office rules (default CN; for a stored patent its own)"
    )
    lang: Literal["en", "zh"] | None = Field(None, description="Language of messages (default: the claims')")


@router.post("/draft/check", response_model=R.ClaimCheckResponse, responses=ERRORS, tags=["draft"])
def draft_check(request: Request, body: CheckIn) -> dict[str, Any]:
    """Claim checker: numbering, references, multiple dependency (per office), antecedent basis,
    support in the description, reference numerals, unclear terms, claim category. Each finding has
    rule, severity (error|warning|info), claim, start/end (offsets in that claim's text), message and
    suggestion."""
    from ipai.errors import InputError

    svc = request.app.state.service
    if body.number and not body.claims:
        return {"ok": True, **svc.checker.check_document(body.number, office=body.office, ui_lang=body.lang)}
    if body.number and body.claims:
        raise InputError(
            "give claims or a number, not both", errors=[{"field": "number", "message": "both given"}]
        )
    return {
        "ok": True,
        **svc.checker.check_claims(
            body.claims, description=body.description, office=body.office or "CN", ui_lang=body.lang
        ),
    }
