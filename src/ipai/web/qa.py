"""The question-and-answer chat page: ask in Chinese or English, answers with numbered citations
(patents link to their page, knowledge documents to theirs), refusals shown as such, the browser's
history (a random user id kept in a cookie), and loading knowledge documents."""

from __future__ import annotations

import secrets
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.datastructures import UploadFile

from ipai.errors import InputError
from ipai.faces import params as P
from ipai.web.i18n import pick_lang
from ipai.web.qaview import helpers
from ipai.web.render import page

router = APIRouter()
USER_COOKIE = "ipai_qa_user"


def _user(request: Request) -> tuple[str, bool]:
    """The browser's Q&A user id and whether it is new (then it is set as a cookie)."""
    uid = request.cookies.get(USER_COOKIE, "")
    if uid.startswith("web-") and len(uid) <= 40:
        return uid, False
    return "web-" + secrets.token_hex(8), True


def _page(request: Request, status: int = 200, **extra: Any) -> HTMLResponse:
    svc = request.app.state.service
    user, new = _user(request)
    values: dict[str, Any] = {
        "active": "qa",
        "history": svc.qa.chat_history(user, limit=30),
        "documents": svc.qa.knowledge_documents(),
        "loaded": None,
        "error": None,
        "question": "",
        "user": user,
        "Q": helpers(pick_lang(request)[0]),
    }
    values.update(extra)
    resp = page(request, "qa.html", status=status, **values)
    if new:
        resp.set_cookie(USER_COOKIE, user, max_age=365 * 24 * 3600, samesite="lax", path="/", httponly=True)
    return resp


@router.get("/qa", response_class=HTMLResponse)
def qa_page(request: Request) -> HTMLResponse:
    return _page(request)


@router.post("/qa", response_class=HTMLResponse)
async def qa_ask(request: Request) -> HTMLResponse:
    """Ask; the answer appears at the end of the history."""
    form = await request.form()
    question = str(form.get("question") or "").strip()
    user, _ = _user(request)
    try:
        request.app.state.service.qa.ask(question, user=user)
    except InputError as exc:
        return _page(request, status=exc.status, error=exc.text(pick_lang(request)[0]), question=question)
    return _page(request)


@router.post("/qa/documents", response_class=HTMLResponse)
async def qa_load(request: Request) -> HTMLResponse:
    """Load uploaded knowledge documents."""
    form = await request.form()
    svc = request.app.state.service
    ups = [u for u in form.getlist("files") if isinstance(u, UploadFile) and u.filename]
    try:
        if not ups:
            raise InputError("choose a file", errors=[{"field": "files", "message": "missing"}])
        paths, names = [], []
        for up in ups:
            paths.append(svc.corpus.save_upload(up.filename, up.file))
            names.append(up.filename)
        loaded = svc.qa.load_knowledge(paths, names=names)
    except InputError as exc:
        return _page(request, status=exc.status, error=exc.text(pick_lang(request)[0]))
    return _page(request, loaded=loaded)


@router.get("/qa/documents/{doc_id}", response_class=HTMLResponse)
def qa_document(request: Request, doc_id: P.RowId) -> HTMLResponse:
    """A knowledge document, passage by passage."""
    doc = request.app.state.service.qa.knowledge_document(doc_id)
    return page(request, "qa_document.html", active="qa", doc=doc, Q=helpers(pick_lang(request)[0]))
