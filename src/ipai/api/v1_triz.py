"""``/api/v1`` endpoints of the TRIZ assistant."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from ipai.api import responses as R
from ipai.api import schemas as M

router = APIRouter()
ERRORS = M.error_responses(
    {
        400: "Bad request (the field is named): unknown parameter, the same parameter twice, no text, or a "
        "malformed matrix file (file, row, column)"
    }
)


class TrizIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str | None = Field(
        None, max_length=5000, description="The contradiction in words, Chinese or English"
    )
    improving: Annotated[str, Field(max_length=200)] | Annotated[int, Field(ge=1, le=39)] | None = Field(
        None, description="Improving parameter: number 1-39 or name (zh/en)"
    )
    worsening: Annotated[str, Field(max_length=200)] | Annotated[int, Field(ge=1, le=39)] | None = Field(
        None, description="Worsening parameter: number 1-39 or name (zh/en)"
    )
    matrix: Literal["A", "B", "both"] = "both"
    examples: bool = True
    top: int = Field(3, ge=1, le=20, description="Example patents per principle")


@router.get("/triz", response_model=R.TrizResponse, responses=ERRORS, tags=["draft"])
def triz_get(
    request: Request,
    improving: Annotated[
        str | None, Query(description="Improving parameter: number 1-39 or name", max_length=200)
    ] = None,
    worsening: Annotated[
        str | None, Query(description="Worsening parameter: number 1-39 or name", max_length=200)
    ] = None,
    text: Annotated[
        str | None, Query(description="Or: the contradiction in words (zh/en)", max_length=5000)
    ] = None,
    matrix: Annotated[
        Literal["A", "B", "both"], Query(description="A (pytriz), B (triz-ai) or both")
    ] = "both",
    examples: bool = True,
    top: Annotated[int, Query(ge=1, le=20, description="Example patents per principle")] = 3,
) -> dict[str, Any]:
    """Inventive principles for a contradiction, ranked, with explanations, the matrix that gave each,
    the agreement of the two matrices and example patents from the corpus."""
    return {
        "ok": True,
        **request.app.state.service.triz.triz(
            improving, worsening, text=text, matrix=matrix, examples=examples, top_examples=top
        ),
    }


@router.post("/triz", response_model=R.TrizResponse, responses=ERRORS, tags=["draft"])
def triz_post(request: Request, body: TrizIn) -> dict[str, Any]:
    """As GET, with the contradiction described in ``text`` (parameters suggested) or given as parameters."""
    return {
        "ok": True,
        **request.app.state.service.triz.triz(
            body.improving,
            body.worsening,
            text=body.text,
            matrix=body.matrix,
            examples=body.examples,
            top_examples=body.top,
        ),
    }


@router.get("/triz/suggest", response_model=R.TrizSuggestResponse, responses=ERRORS, tags=["draft"])
def triz_suggest(
    request: Request,
    text: Annotated[str, Query(description="The contradiction in words (zh/en)", max_length=5000)],
    top: Annotated[int, Query(ge=1, le=39)] = 5,
) -> dict[str, Any]:
    """Improving and worsening parameter candidates for a described contradiction, with scores and reasons."""
    return {"ok": True, **request.app.state.service.triz.triz_suggest(text, top=top)}


@router.get("/triz/compare", response_model=R.TrizCompareResponse, responses=ERRORS, tags=["draft"])
def triz_compare(request: Request, examples: Annotated[int, Query(ge=0, le=2000)] = 10) -> dict[str, Any]:
    """Where the two contradiction matrices differ: counts by kind, per row, examples."""
    return {"ok": True, **request.app.state.service.triz.triz_compare(examples=examples)}


@router.get("/triz/parameters", response_model=R.TrizParametersResponse, responses=ERRORS, tags=["draft"])
def triz_parameters(request: Request) -> dict[str, Any]:
    """The 39 engineering parameters with names (en; zh from ipai's table) and explanations."""
    return {"ok": True, **request.app.state.service.triz.triz_parameters()}
