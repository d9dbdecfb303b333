"""``/api/v1`` endpoints of trademark and design image similarity."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import Response

from ipai.api import responses as R
from ipai.api import schemas as M
from ipai.errors import InputError, TooLarge

router = APIRouter()
ERRORS = M.error_responses(
    {
        400: "Unreadable image, unsupported format or bad parameter",
        404: "No image index of that kind yet",
        413: "Image over the image_max_mb limit",
    }
)
Kind = Literal["mark", "design"]


def read_limited(upload: UploadFile, max_mb: float) -> bytes:
    """The uploaded bytes, refusing more than ``max_mb`` (413) or nothing (400)."""
    limit = int(max_mb * 2**20)
    data = upload.file.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(
            f"image {upload.filename!r} is larger than the {max_mb:g} MB limit (setting image_max_mb)",
            errors=[{"field": "file", "message": "too large"}],
            code="image_too_large",
            params={"name": upload.filename, "mb": f"{max_mb:g}"},
        )
    if not data:
        raise InputError(
            f"image {upload.filename!r} is empty",
            errors=[{"field": "file", "message": "empty"}],
            code="image_empty",
            params={"name": upload.filename},
        )
    return data


@router.post("/images/search", response_model=R.ImageHitsResponse, responses=ERRORS, tags=["trademarks"])
def image_search(
    request: Request,
    file: Annotated[UploadFile, File(description="Query image: SVG, PNG, JPEG, TIFF, GIF, BMP, WebP")],
    kind: Annotated[Kind, Form(description="mark (trademarks) or design (design drawings)")] = "mark",
    classes: Annotated[
        str | None, Form(description="Vienna (03.01) or Locarno (14-01) code prefixes, comma-separated")
    ] = None,
    top: Annotated[int, Form(ge=1, le=200)] = 10,
) -> dict[str, Any]:
    """Marks or designs most like the uploaded image, best first, with scores and classes."""
    svc = request.app.state.service
    data = read_limited(file, svc.settings.image_max_mb)
    return {"ok": True} | svc.images.similar_images(
        data, name=file.filename or "upload", kind=kind, classes=classes, top=top
    )


@router.get("/images/status", response_model=R.ImageStatusResponse, tags=["trademarks"])
def image_status(request: Request) -> dict[str, Any]:
    """Size and build time of the mark and design image indexes (null when not built)."""
    return {"ok": True} | request.app.state.service.images.image_status()


@router.get("/images/{kind}/thumbnail", responses=ERRORS, tags=["trademarks"], response_class=Response)
def image_thumbnail(
    request: Request,
    kind: Kind,
    id: Annotated[str, Query(max_length=500, description="Item id from a search hit")],
) -> Response:
    """A PNG thumbnail of an indexed mark or design sheet."""
    return Response(
        request.app.state.service.images.image_thumbnail(kind, id),
        media_type="image/png",
        headers={"Cache-Control": "max-age=3600"},
    )


@router.get("/marks/words", response_model=R.WordMarksResponse, responses=ERRORS, tags=["trademarks"])
def mark_words(
    request: Request,
    text: Annotated[str, Query(max_length=200)],
    top: Annotated[int, Query(ge=1, le=200)] = 20,
) -> dict[str, Any]:
    """Stored word marks like ``text`` by spelling, sound and pinyin."""
    return {"ok": True} | request.app.state.service.images.similar_words(text, top=top)
