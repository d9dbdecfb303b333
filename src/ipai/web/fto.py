"""The claim-chart page: a patent number and a product description → the claim chart."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ipai.errors import InputError, NotFound
from ipai.web.i18n import pick_lang
from ipai.web.render import page

router = APIRouter()


@router.get("/fto", response_class=HTMLResponse)
def fto_form(request: Request) -> HTMLResponse:
    return page(request, "fto.html", active="fto", form={}, r=None, error=None)


@router.post("/fto", response_class=HTMLResponse)
async def fto_post(request: Request) -> HTMLResponse:
    form = await request.form()
    values: dict[str, Any] = {k: str(form.get(k) or "").strip() for k in ("number", "product")}
    try:
        r = request.app.state.service.fto.compare_product(
            values["number"], values["product"], lang=pick_lang(request)[0]
        )
    except (InputError, NotFound) as exc:
        return page(
            request,
            "fto.html",
            status=exc.status,
            active="fto",
            form=values,
            r=None,
            error=exc.text(pick_lang(request)[0]),
        )
    return page(request, "fto.html", active="fto", form=values, r=r, error=None)
