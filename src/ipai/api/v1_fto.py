"""``/api/v1/fto``: claim-vs-product comparison (claim charts) and the reverse scan."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Request, UploadFile
from pydantic import BaseModel, ConfigDict, Field

from ipai.api import responses as R
from ipai.api import schemas as M
from ipai.errors import InputError

router = APIRouter()
ERRORS = M.error_responses({404: "Not found, or the patent has no claims stored"})


class CompareIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    number: str = Field(..., max_length=64, description="Publication number of a stored patent")
    product: str = Field(..., max_length=50_000, description="Product description, Chinese or English")
    claim: int | None = Field(None, ge=1, le=1000, description="One claim (default: every independent claim)")
    lang: Literal["en", "zh"] | None = Field(
        None, description="Language of verdicts and errors (default: the product's)"
    )


class ScanIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    product: str = Field(..., max_length=50_000)
    top: int = Field(10, ge=1, le=50)
    lang: Literal["en", "zh"] | None = None


@router.post("/fto/compare", response_model=R.ClaimChartsResponse, responses=ERRORS, tags=["protect"])
def compare(request: Request, body: CompareIn) -> dict[str, Any]:
    """Claim chart: every feature of the claim(s) present / unclear / absent in the product, with the passage."""
    return {
        "ok": True,
        **request.app.state.service.fto.compare_product(
            body.number, body.product, claim=body.claim, lang=body.lang
        ),
    }


@router.post("/fto/scan", response_model=R.ProductScanResponse, responses=ERRORS, tags=["protect"])
def scan(request: Request, body: ScanIn) -> dict[str, Any]:
    """Stored patents whose first independent claim the product description covers most."""
    return {
        "ok": True,
        **request.app.state.service.fto.scan_product(body.product, top=body.top, lang=body.lang),
    }


class OverseasIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    company: str = Field(..., max_length=255)
    markets: list[str] = Field(
        ..., min_length=1, max_length=50, description='Target jurisdictions, e.g. ["US", "EP"]'
    )
    product: str | None = Field(None, max_length=50_000)
    case_type: str | None = Field(None, max_length=64)
    top: int = Field(20, ge=1, le=100)


@router.post("/overseas", response_model=R.OverseasResponse, responses=ERRORS, tags=["protect"])
def overseas(request: Request, body: OverseasIn) -> dict[str, Any]:
    """Overseas early warning: foreign documents closest to the company in its target markets, and agencies."""
    return {
        "ok": True,
        **request.app.state.service.fto.overseas_warning(
            body.company, body.markets, product=body.product, case_type=body.case_type, top=body.top
        ),
    }


@router.post(
    "/directory/{kind}", response_model=R.DirectoryImportResponse, responses=ERRORS, tags=["protect"]
)
def directory_import(
    request: Request,
    kind: Literal["agencies", "cases"],
    file: Annotated[UploadFile, File(description="CSV or XLSX")],
) -> dict[str, Any]:
    """Replace the agencies directory or the past-cases table; bad rows reported by row and column."""
    svc = request.app.state.service
    if not file.filename:
        raise InputError("the upload has no file name", errors=[{"field": "file", "message": "no name"}])
    return {"ok": True, **svc.fto.import_directory(kind, svc.corpus.save_upload(file.filename, file.file))}


@router.get("/directory/{kind}", response_model=R.Items, tags=["protect"])
def directory(request: Request, kind: Literal["agencies", "cases"]) -> dict[str, Any]:
    return {"ok": True, "items": request.app.state.service.fto.directory(kind)}
