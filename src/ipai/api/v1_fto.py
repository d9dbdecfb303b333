"""``/api/v1/fto``: claim-vs-product comparison (claim charts) and the reverse scan."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from ipai.api import schemas as M

router = APIRouter()
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": M.ErrorBody, "description": "Bad request (the field is named)"},
    404: {"model": M.ErrorBody, "description": "Not found, or the patent has no claims stored"},
}


class CompareIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    number: str = Field(..., max_length=64, description="Publication number of a stored patent")
    product: str = Field(..., max_length=50_000, description="Product description, Chinese or English")
    claim: int | None = Field(None, ge=1, le=1000, description="One claim (default: every independent claim)")


class ScanIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    product: str = Field(..., max_length=50_000)
    top: int = Field(10, ge=1, le=50)


@router.post("/fto/compare", responses=ERRORS, tags=["protect"])
def compare(request: Request, body: CompareIn) -> dict[str, Any]:
    """Claim chart: every feature of the claim(s) present / unclear / absent in the product, with the passage."""
    return {"ok": True, **request.app.state.service.compare_product(body.number, body.product, claim=body.claim)}


@router.post("/fto/scan", responses=ERRORS, tags=["protect"])
def scan(request: Request, body: ScanIn) -> dict[str, Any]:
    """Stored patents whose first independent claim the product description covers most."""
    return {"ok": True, **request.app.state.service.scan_product(body.product, top=body.top)}
