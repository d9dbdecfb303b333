"""Evidence pages: deposit a file (or a disclosure), get the receipt and certificate; verify a
receipt with the original file; the log's head and newest entries."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.datastructures import UploadFile

from ipai.errors import InputError
from ipai.evidence import texts as T
from ipai.web.i18n import pick_lang
from ipai.web.render import page

router = APIRouter()


def _page(request: Request, status: int = 200, **extra: Any) -> HTMLResponse:
    svc = request.app.state.service
    values: dict[str, Any] = {
        "active": "evidence",
        "head": svc.evidence.evidence_head(),
        "entries": svc.evidence.evidence_entries(limit=15),
        "deposited": None,
        "verified": None,
        "error": None,
        "E": _Texts(pick_lang(request)[0]),
    }
    values.update(extra)
    return page(request, "evidence.html", status=status, **values)


class _Texts:
    """The evidence texts (ipai.evidence.texts) in one language, for the template."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def kind(self, name: str) -> str:
        return T.kind(name, self.lang)

    def check(self, name: str) -> str:
        return T.check_name(name, self.lang)

    def message(self, check: dict[str, Any]) -> str:
        return T.check_text(check, self.lang)


@router.get("/evidence", response_class=HTMLResponse)
def evidence_page(request: Request) -> HTMLResponse:
    return _page(request)


@router.post("/evidence", response_class=HTMLResponse)
async def evidence_deposit(request: Request) -> HTMLResponse:
    """Deposit an uploaded file or a pasted disclosure."""
    form = await request.form()
    svc = request.app.state.service
    up, text = form.get("file"), str(form.get("text") or "").strip()
    who, note = str(form.get("who") or "").strip() or None, str(form.get("note") or "").strip() or None
    try:
        if isinstance(up, UploadFile) and up.filename:
            data = await up.read()
            meta = {k: v for k, v in {"name": up.filename, "who": who, "note": note}.items() if v}
            entry = svc.evidence.deposit_bytes(data, meta=meta)
        elif text:
            entry = svc.evidence.deposit_disclosure(text, title=note, who=who)
        else:
            raise InputError(
                "choose a file or paste a text",
                errors=[{"field": "file", "message": "missing"}],
                code="choose_file_or_text",
            )
    except InputError as exc:
        return _page(request, status=exc.status, error=exc.text(pick_lang(request)[0]))
    return _page(request, deposited=entry)


@router.post("/evidence/verify", response_class=HTMLResponse)
async def evidence_verify(request: Request) -> HTMLResponse:
    """Verify an uploaded receipt (and original file) against this log's key."""
    from ipai.evidence.verify import verify_receipt

    form = await request.form()
    rec, orig = form.get("receipt"), form.get("original")
    if not isinstance(rec, UploadFile) or not rec.filename:
        return _page(
            request,
            status=400,
            error=InputError("choose the receipt file (JSON)", code="choose_receipt").text(
                pick_lang(request)[0]
            ),
        )
    data = await rec.read()
    file_bytes = (await orig.read()) if isinstance(orig, UploadFile) and orig.filename else None
    res = verify_receipt(
        data,
        file_bytes=file_bytes,
        public_key=request.app.state.service.evidence.evidence_log.signer.public_raw,
    )
    return _page(request, verified=res)
