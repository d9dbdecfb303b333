"""``/api/v1/draft``: a checked draft from a disclosure (LLM roles when configured)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from ipai.api import responses as R
from ipai.api import schemas as M

router = APIRouter()


class DraftIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(..., max_length=100_000, description="The disclosure (交底书), Chinese or English")
    rounds: int = Field(2, ge=0, le=5, description="Expert/agent revision rounds with an LLM")
    use_llm: bool | None = Field(None, description="Default: use the LLM when one is configured")


@router.post(
    "/draft",
    response_model=R.DraftResponse,
    responses={400: {"model": M.ErrorBody, "description": "Bad request"}},
    tags=["create"],
)
def draft(request: Request, body: DraftIn) -> dict[str, Any]:
    """Title, sections, claims with checker findings, versions and the expert/agent transcript."""
    return {
        "ok": True,
        **request.app.state.service.draft.draft(body.text, rounds=body.rounds, use_llm=body.use_llm),
    }
