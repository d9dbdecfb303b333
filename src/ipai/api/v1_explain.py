"""``/api/v1`` endpoints of AI patent interpretation (专利AI解读)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request

from ipai.api import responses as R
from ipai.api import schemas as M

router = APIRouter()
ERRORS = M.error_responses()


@router.get("/explain/{number}", response_model=R.ExplainResponse, responses=ERRORS, tags=["explain"])
def explain(
    request: Request,
    number: str,
    lang: Literal["zh", "en"] = "en",
    text_lang: str | None = None,
    use_llm: bool = True,
) -> dict[str, Any]:
    """The explanation of a stored document: ``problem``, ``solution``, ``effect`` (quotes with
    ``where``), ``scope`` (main-claim features, ``avoid``), ``figures``; ``labels`` in zh and en;
    ``mode`` extractive or llm (``fluent`` text citing ``material``), ``reason`` when the LLM was not used."""
    return {
        "ok": True,
        **request.app.state.service.explain.explain(number, lang=text_lang, ui_lang=lang, use_llm=use_llm),
    }
