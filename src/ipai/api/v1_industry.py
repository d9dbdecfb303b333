"""``/api/v1`` endpoints of the IP-to-industry view (ipai.analytics.industry)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile

from ipai.api import responses as R
from ipai.api import schemas as M
from ipai.errors import InputError

router = APIRouter()
ERRORS = M.error_responses(
    {
        400: "Bad request (the field is named): empty query, unknown scheme name, or a bad "
        "concordance/figures row (row and field)"
    }
)


async def _text(file: UploadFile, max_mb: float) -> str:
    data = await file.read(int(max_mb * 1024 * 1024) + 1)
    if len(data) > max_mb * 1024 * 1024:
        raise InputError("the upload is too large", errors=[{"field": "file", "message": "too large"}])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError("the upload is not UTF-8 CSV", errors=[{"field": "file", "message": str(e)}]) from e


@router.get("/industry", response_model=R.IndustryResponse, responses=ERRORS, tags=["use"])
def industry(
    request: Request,
    q: Annotated[str | None, Query(description="The set to map: any query", max_length=20_000)] = None,
    applicant: Annotated[str | None, Query(description="Or: a company portrait", max_length=300)] = None,
    scheme: Annotated[
        str, Query(description="Concordance: wipo35 or a loaded one", max_length=40)
    ] = "wipo35",
    region: Annotated[str | None, Query(description="Figures: only this region", max_length=100)] = None,
    year: Annotated[
        int | None, Query(ge=1790, le=2100, description="Figures: this year (default latest)")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200_000)] = 25_000,
) -> dict[str, Any]:
    """Documents by technology field / industry and year, share, and (with loaded figures) patents per unit."""
    return {
        "ok": True,
        **request.app.state.service.industry.industry_view(
            q, applicant=applicant, scheme=scheme, region=region, year=year, limit=limit
        ),
    }


@router.get("/industry/schemes", response_model=R.SchemesResponse, responses=ERRORS, tags=["use"])
def schemes(request: Request) -> dict[str, Any]:
    """The concordances available: built-in (wipo35) and loaded ones."""
    return {"ok": True, "schemes": request.app.state.service.industry.industry_schemes()}


@router.post("/industry/concordance", response_model=R.ConcordanceResponse, responses=ERRORS, tags=["use"])
async def concordance(
    request: Request,
    file: Annotated[
        UploadFile, File(description="CSV code_prefix,target_id,target_label_en,target_label_zh")
    ],
    scheme: Annotated[str, Form(max_length=40)] = "",
) -> dict[str, Any]:
    """Load (replace) the concordance of a scheme; bad rows reported by row and field."""
    svc = request.app.state.service
    text = await _text(file, svc.settings.upload_max_mb)
    return {"ok": True, **svc.industry.load_concordance(text, scheme)}


@router.post("/industry/figures", response_model=R.FiguresResponse, responses=ERRORS, tags=["use"])
async def figures(
    request: Request,
    file: Annotated[UploadFile, File(description="CSV industry_id,region,year,value,unit")],
    scheme: Annotated[str, Form(max_length=40)] = "wipo35",
) -> dict[str, Any]:
    """Load (replace) the industry figures of a scheme; bad rows reported by row and field."""
    svc = request.app.state.service
    text = await _text(file, svc.settings.upload_max_mb)
    return {"ok": True, **svc.industry.load_figures(text, scheme)}
