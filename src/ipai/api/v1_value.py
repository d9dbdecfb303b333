"""``/api/v1`` valuation endpoints."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from ipai.api import responses as R
from ipai.api import schemas as M

router = APIRouter()
ERRORS = M.error_responses({404: "Unknown publication number, or nothing matches"})


@router.get("/value", response_model=R.ValueResponse, responses=ERRORS, tags=["use"])
def value(
    request: Request,
    numbers: Annotated[
        str | None, Query(description="Publication numbers, comma-separated", max_length=20_000)
    ] = None,
    q: Annotated[
        str | None, Query(description="Or: value the documents this query matches", max_length=20_000)
    ] = None,
    top: Annotated[int, Query(ge=1, le=1000)] = 20,
    limit: Annotated[int, Query(ge=1, le=200_000, description="At most this many matches are valued")] = 1000,
) -> dict[str, Any]:
    """Value score (0-100) per document with a per-indicator explanation (raw value, normalised value,
    weight, contribution, sentence); the learned model's probability when one is trained."""
    nums = [n.strip() for n in (numbers or "").split(",") if n.strip()]
    return {
        "ok": True,
        **request.app.state.service.value.value(
            nums or None, None if nums else (q or ""), top=top, limit=limit
        ),
    }


@router.get("/value/screen", response_model=R.ValueScreenResponse, responses=ERRORS, tags=["use"])
def value_screen(
    request: Request,
    q: Annotated[str, Query(description='The portfolio, e.g. pa:"UNIV TSINGHUA"', max_length=20_000)],
    share: Annotated[float, Query(gt=0, le=1, description="Best share of eligible documents kept")] = 0.5,
    min_term: Annotated[float, Query(ge=0, le=30, description="Years of term a document needs left")] = 3.0,
    listed: Annotated[int, Query(ge=1, le=5000)] = 100,
    limit: Annotated[int, Query(ge=1, le=200_000)] = 25_000,
) -> dict[str, Any]:
    """Transformable patent pool of a portfolio: alive, enough term, best-valued, with reasons."""
    return {
        "ok": True,
        **request.app.state.service.value.value_screen(
            q, limit=limit, top_share=share, min_term=min_term, listed=listed
        ),
    }
