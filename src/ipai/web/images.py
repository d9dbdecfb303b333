"""Web pages of trademark and design image similarity: upload an image, see the query beside the
most similar marks or design sheets with their scores; word marks by spelling, sound and pinyin."""

from __future__ import annotations

import base64
import io
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from ipai.errors import InputError, IpaiError, TooLarge
from ipai.web.i18n import pick_lang
from ipai.web.render import page

router = APIRouter()


def _form(request: Request, *, status: int = 200, **values: Any) -> HTMLResponse:
    svc = request.app.state.service
    shown = {"error": None, "result": None, "query_src": None, "words": None, "values": {}} | values
    return page(
        request,
        "images.html",
        status=status,
        active="images",
        status_info=svc.images.image_status(),
        max_mb=svc.settings.image_max_mb,
        **shown,
    )


def _query_png(data: bytes, name: str) -> str:
    """The query image as a small PNG data URL (shown beside the results, never stored)."""
    from PIL import Image

    from ipai.images.rasterise import load_image

    img = Image.fromarray(load_image(data, name).rgb)
    img.thumbnail((256, 256))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


@router.get("/images", response_class=HTMLResponse)
def images_page(request: Request, text: str | None = None) -> HTMLResponse:
    """The upload form, the index sizes, and word-mark results when ``text`` is given."""
    if not text:
        return _form(request, values={})
    try:
        words = request.app.state.service.images.similar_words(text)
    except IpaiError as exc:
        return _form(request, status=exc.status, error=exc.text(pick_lang(request)[0]), values={"text": text})
    return _form(request, words=words, values={"text": text})


@router.post("/images", response_class=HTMLResponse)
async def images_post(request: Request) -> Response:
    """Search by the uploaded image; a refused image shows the form again with the reason."""
    svc = request.app.state.service
    form = await request.form()
    kind = str(form.get("kind") or "mark")
    classes = str(form.get("classes") or "").strip()
    values = {"kind": kind, "classes": classes}
    upload = form.get("file")
    try:
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise InputError(
                "choose an image file", errors=[{"field": "file", "message": "missing"}], code="choose_image"
            )
        limit = int(svc.settings.image_max_mb * 2**20)
        data = await upload.read(limit + 1)
        if len(data) > limit:
            raise TooLarge(
                f"image {upload.filename!r} is larger than the {svc.settings.image_max_mb:g} MB limit",
                errors=[{"field": "file", "message": "too large"}],
                code="image_too_large",
                params={"name": upload.filename, "mb": f"{svc.settings.image_max_mb:g}"},
            )
        name = upload.filename
        res = await run_in_threadpool(
            lambda: svc.images.similar_images(data, name=name, kind=kind, classes=classes, top=20)
        )
        query_src = await run_in_threadpool(_query_png, data, name)
    except IpaiError as exc:
        return _form(request, status=exc.status, error=exc.text(pick_lang(request)[0]), values=values)
    finally:
        await form.close()
    return _form(request, result=res, query_src=query_src, values=values)


@router.get("/images/{kind}/thumbnail")
def thumbnail(request: Request, kind: str, id: str) -> Response:
    """PNG thumbnail of an indexed mark or design sheet."""
    png = request.app.state.service.images.image_thumbnail(kind, id)
    return Response(png, media_type="image/png", headers={"Cache-Control": "max-age=3600"})
