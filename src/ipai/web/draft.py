"""The drafting page: paste a disclosure, get a checked draft."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ipai.errors import InputError
from ipai.web.i18n import pick_lang
from ipai.web.render import page

router = APIRouter()


@router.get("/draft", response_class=HTMLResponse)
def draft_form(request: Request) -> HTMLResponse:
    return page(request, "draft.html", active="draft", text="", r=None, error=None)


@router.post("/draft", response_class=HTMLResponse)
async def draft_post(request: Request) -> HTMLResponse:
    form = await request.form()
    text = str(form.get("text") or "")
    try:
        r = request.app.state.service.draft.draft(text)
    except InputError as exc:
        return page(
            request,
            "draft.html",
            status=exc.status,
            active="draft",
            text=text,
            r=None,
            error=exc.text(pick_lang(request)[0]),
        )
    return page(request, "draft.html", active="draft", text=text, r=r, error=None)
