"""Web pages of the TRIZ assistant: ``/triz`` (two parameter selects or a described contradiction →
inventive principles with explanations and example patents) and ``/triz/compare``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ipai.errors import InputError
from ipai.web.i18n import pick_lang
from ipai.web.render import page

router = APIRouter()
FIELDS = ("improving", "worsening", "text", "matrix")


@router.get("/triz", response_class=HTMLResponse)
def triz_page(request: Request) -> HTMLResponse:
    svc = request.app.state.service
    form: dict[str, str] = {k: (request.query_params.get(k) or "").strip() for k in FIELDS}
    form["matrix"] = form["matrix"] or "both"
    params = svc.triz.triz_parameters()["parameters"]
    r: dict[str, Any] | None = None
    error = None
    status = 200
    if form["improving"] or form["worsening"] or form["text"]:
        try:
            r = svc.triz.triz(
                form["improving"] or None,
                form["worsening"] or None,
                text=form["text"] or None,
                matrix=form["matrix"],
                examples=True,
                top_examples=3,
            )
        except InputError as exc:
            error, status = exc.text(pick_lang(request)[0]), exc.status
        if r is not None:  # the selects show the pair that was used (suggested ones too)
            form["improving"], form["worsening"] = str(r["improving"]["id"]), str(r["worsening"]["id"])
    return page(
        request,
        "triz.html",
        status=status,
        active="triz",
        form=form,
        params=params,
        r=r,
        error=error,
        compare=None,
    )


@router.get("/triz/compare", response_class=HTMLResponse)
def triz_compare_page(request: Request) -> HTMLResponse:
    c = request.app.state.service.triz.triz_compare(examples=40)
    return page(
        request,
        "triz.html",
        active="triz",
        form={"matrix": "both"},
        params=None,
        r=None,
        error=None,
        compare=c,
    )
