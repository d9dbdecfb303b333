"""``/api/v1/evidence``: deposits, receipts and certificates, offline-style verification, the
signed head, consistency with a kept head, audit, GI batches."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from ipai.api import responses as R
from ipai.api import schemas as M
from ipai.errors import InputError
from ipai.faces import params as P

router = APIRouter()
ERRORS = M.error_responses()


class HashesIn(BaseModel):
    """Bulk hash-only deposits (one signed head for the batch)."""

    model_config = ConfigDict(extra="forbid")
    sha256: list[str] = Field(..., min_length=1, max_length=100_000)
    meta: dict[str, Any] = Field(default_factory=dict)
    tenant: str | None = Field(None, max_length=64)


class GiIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    batch: str = Field(..., max_length=200)
    event: str = Field(..., max_length=100)
    details: dict[str, Any] = Field(default_factory=dict)


def _svc(request: Request) -> Any:
    return request.app.state.service


@router.post(
    "/evidence/files", response_model=R.EntryOne, status_code=201, responses=ERRORS, tags=["evidence"]
)
async def deposit_file(
    request: Request,
    file: Annotated[UploadFile, File()],
    who: Annotated[str | None, Form()] = None,
    note: Annotated[str | None, Form()] = None,
    keep: Annotated[bool, Form()] = True,
) -> dict[str, Any]:
    """Deposit an uploaded file (kept in the blob store unless ``keep`` is false)."""
    data = await file.read()
    meta = {k: v for k, v in {"name": file.filename, "who": who, "note": note}.items() if v}
    return {"ok": True, "entry": _svc(request).evidence.deposit_bytes(data, meta=meta, keep=keep)}


@router.post(
    "/evidence/hashes", response_model=R.DepositedHashes, status_code=201, responses=ERRORS, tags=["evidence"]
)
def deposit_hashes(request: Request, body: HashesIn) -> dict[str, Any]:
    """Deposit SHA-256 digests only (the content stays with its owner)."""
    items = [
        {"kind": "hash", "content_sha256": h.lower(), "meta": body.meta, "tenant": body.tenant}
        for h in body.sha256
    ]
    rows = _svc(request).evidence.evidence_log.add(items)
    return {"ok": True, "first_index": rows[0]["idx"], "count": len(rows)}


@router.get("/evidence", response_model=R.Items, tags=["evidence"])
def entries(
    request: Request,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    offset: P.Offset = 0,
    kind: str | None = None,
) -> dict[str, Any]:
    return {
        "ok": True,
        "items": _svc(request).evidence.evidence_entries(limit=limit, offset=offset, kind=kind),
    }


@router.get("/evidence/head", response_model=R.HeadResponse, tags=["evidence"])
def head(request: Request) -> dict[str, Any]:
    """The newest signed tree head and the log's public key."""
    return {"ok": True, "head": _svc(request).evidence.evidence_head()}


@router.get("/evidence/{index}/receipt", responses=ERRORS, tags=["evidence"])
def receipt(request: Request, index: P.LogIndex) -> Response:
    """The receipt file (canonical JSON: keep it byte for byte)."""
    return Response(
        _svc(request).evidence.evidence_receipt_bytes(index),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="ipai-receipt-{index}.json"'},
    )


@router.get("/evidence/{index}/certificate", response_class=HTMLResponse, responses=ERRORS, tags=["evidence"])
def certificate(request: Request, index: P.LogIndex, lang: str = "en") -> HTMLResponse:
    """The human-readable certificate with QR code (print it to PDF)."""
    return HTMLResponse(_svc(request).evidence.evidence_certificate(index, "zh" if lang == "zh" else "en"))


@router.post("/evidence/verify", response_model=R.VerifyResponse, responses=ERRORS, tags=["evidence"])
async def verify(
    request: Request,
    receipt: Annotated[UploadFile, File()],
    file: Annotated[UploadFile | None, File()] = None,
) -> dict[str, Any]:
    """Verify a receipt (and the original file) exactly as `ipai evidence verify` does, with this log's key."""
    from ipai.evidence.verify import verify_receipt

    svc = _svc(request)
    res = verify_receipt(
        await receipt.read(),
        file_bytes=(await file.read()) if file else None,
        public_key=svc.evidence.evidence_log.signer.public_raw,
    )
    return {"ok": True, "verified": res["ok"], **{k: v for k, v in res.items() if k != "ok"}}


@router.post("/evidence/consistency", response_model=R.HeadCheckResponse, responses=ERRORS, tags=["evidence"])
async def consistency(request: Request) -> dict[str, Any]:
    """Is the log a consistent extension of a signed head you kept (JSON body: the head or a receipt)?"""
    try:
        data = json.loads(await request.body())
    except json.JSONDecodeError:
        raise InputError(
            "the body must be a signed tree head or a receipt (JSON)",
            errors=[{"field": "body", "message": "not JSON"}],
        ) from None
    return {"ok": True, **_svc(request).evidence.evidence_check_head(data)}


@router.post("/evidence/audit", response_model=R.AuditResponse, tags=["evidence"])
def audit(request: Request) -> dict[str, Any]:
    """Replay the whole log: entries, leaves, heads, signatures, consistency."""
    return {"ok": True, "audit": _svc(request).evidence.evidence_audit()}


@router.post("/evidence/gi", response_model=R.EntryOne, status_code=201, responses=ERRORS, tags=["evidence"])
def gi_event(request: Request, body: GiIn) -> dict[str, Any]:
    """One event of a geographical-indication batch (origin first, then hand-overs …)."""
    return {"ok": True, "entry": _svc(request).evidence.gi_event(body.batch, body.event, body.details)}


@router.get("/evidence/gi/{batch}", response_model=R.GiTraceResponse, responses=ERRORS, tags=["evidence"])
def gi_trace(request: Request, batch: str) -> dict[str, Any]:
    return {"ok": True, **_svc(request).evidence.gi_trace(batch)}
