"""Read an uploaded or stored image (SVG, PNG, JPEG, TIFF, GIF, BMP, WebP) into an RGB array on white.

SVG is rendered with resvg (``resvg-py``: a self-contained wheel, no system libcairo). Raster formats
go through Pillow. Every failure is an :class:`~ipai.errors.InputError` (``FormatError`` for unknown or
broken files, ``TooLarge`` for files or pixel counts past the limits) so a batch can report one file
and go on with the others.
"""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ipai.errors import FormatError, TooLarge

if TYPE_CHECKING:
    import PIL.Image

RASTER_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".gif", ".bmp", ".webp"}
SUFFIXES = RASTER_SUFFIXES | {".svg", ".svgz"}
MAX_BYTES = 50 * 1024 * 1024
MAX_PIXELS = 60_000_000  # decoded pixels (a 600 dpi A4 sheet is ~35M)
SIDE = 320  # long side of the working raster
_EXTERNAL = re.compile(
    r"""((?:xlink:)?href\s*=\s*)(["'])(?!\s*(?:#|data:image/(?:png|jpe?g|gif|webp)[;,]))[^"']*\2""",
    re.IGNORECASE,
)
_SVG_HEAD = re.compile(rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*(<!DOCTYPE[^>]*>\s*)?<svg[\s>]", re.DOTALL)


@dataclass
class Raster:
    """An image ready for feature extraction: RGB on white plus a foreground mask."""

    rgb: np.ndarray  # uint8 H×W×3, composited on white
    mask: np.ndarray  # bool H×W, the mark's pixels (not background)
    width: int  # original size
    height: int
    format: str


def _sniff(data: bytes, name: str) -> str:
    """``svg`` or ``raster`` from the content (suffix only as a hint); FormatError when neither."""
    head = data[:4096].lstrip()
    if head[:2] == b"\x1f\x8b" and name.lower().endswith(".svgz"):
        return "svg"
    if _SVG_HEAD.match(head) or (b"<svg" in head[:2048] and head[:1] == b"<"):
        return "svg"
    sigs = (b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"GIF8", b"BM", b"RIFF")
    if head.startswith(sigs):
        return "raster"
    suffix = Path(name).suffix.lower()
    if suffix and suffix not in SUFFIXES:
        raise FormatError(
            f"{name}: unsupported image format {suffix!r} (supported: "
            f"{', '.join(sorted(s[1:] for s in SUFFIXES))})",
            file=name,
            errors=[{"field": "file", "message": "unsupported format"}],
            code="unsupported_image",
            params={"name": name, "suffix": suffix, "supported": ", ".join(sorted(s[1:] for s in SUFFIXES))},
        )
    raise FormatError(
        f"{name}: not a readable image (unknown content)",
        file=name,
        errors=[{"field": "file", "message": "unreadable"}],
        code="not_an_image",
        params={"name": name},
    )


def _svg_size(text: str) -> tuple[float, float] | None:
    """Width and height of the root ``<svg>`` from its viewBox or width/height (``None`` if unknown)."""
    m = re.search(r"<svg\b[^>]*>", text[:20000], re.DOTALL)
    if not m:
        return None
    tag = m.group(0)
    vb = re.search(r"viewBox\s*=\s*[\"']\s*[-\d.eE+]+[\s,]+[-\d.eE+]+[\s,]+([\d.eE+]+)[\s,]+([\d.eE+]+)", tag)
    try:
        if vb:
            return float(vb.group(1)), float(vb.group(2))
        w = re.search(r"\swidth\s*=\s*[\"']\s*([\d.]+)(px)?\s*[\"']", tag)
        h = re.search(r"\sheight\s*=\s*[\"']\s*([\d.]+)(px)?\s*[\"']", tag)
        return (float(w.group(1)), float(h.group(1))) if w and h else None
    except ValueError:
        return None


def local_only(svg: str) -> str:
    """SVG markup with every reference outside the document emptied (``href="/etc/…"``, ``file:``,
    ``http:``, an SVG inside a ``data:`` URL): resvg would read any file of the server an ``<image>``
    or ``<feImage>`` names (the store's own database included). References inside the document
    (``#id``) and raster ``data:`` images stay."""
    return _EXTERNAL.sub(r"\1\2\2", svg)


def _render_svg(data: bytes, name: str) -> PIL.Image.Image:
    import resvg_py
    from PIL import Image

    try:
        text = local_only(data.decode("utf-8", errors="replace"))
        size = _svg_size(text)
        if size and size[0] > 0 and size[1] > 0:
            w, h = size
            png = (
                resvg_py.svg_to_bytes(svg_string=text, width=SIDE)
                if w >= h
                else resvg_py.svg_to_bytes(svg_string=text, height=SIDE)
            )
            img = Image.open(io.BytesIO(bytes(png)))
        else:
            img = Image.open(io.BytesIO(bytes(resvg_py.svg_to_bytes(svg_string=text))))
        img.load()
        return img
    except (ValueError, OSError, RuntimeError) as exc:
        raise FormatError(
            f"{name}: SVG cannot be rendered: {exc}",
            file=name,
            errors=[{"field": "file", "message": "unreadable svg"}],
            code="image_unreadable",
            params={"name": name},
        ) from exc


def _open_raster(data: bytes, name: str) -> PIL.Image.Image:
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
            if img.width * img.height > MAX_PIXELS:
                raise TooLarge(
                    f"{name}: {img.width}×{img.height} pixels is over the {MAX_PIXELS:,} limit",
                    errors=[{"field": "file", "message": "too many pixels"}],
                    code="image_pixels",
                    params={
                        "name": name,
                        "width": img.width,
                        "height": img.height,
                        "limit": f"{MAX_PIXELS:,}",
                    },
                )
            img.draft("RGB", (SIDE, SIDE))  # JPEG: decode at reduced scale
            img.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise TooLarge(
            f"{name}: image too large to decode ({exc})",
            errors=[{"field": "file", "message": "too many pixels"}],
            code="image_too_many_pixels",
            params={"name": name},
        ) from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise FormatError(
            f"{name}: image cannot be read: {exc}",
            file=name,
            errors=[{"field": "file", "message": "unreadable"}],
            code="image_unreadable",
            params={"name": name},
        ) from exc
    return img


def load_image(source: bytes | str | Path, name: str | None = None, *, max_bytes: int = MAX_BYTES) -> Raster:
    """Read ``source`` (bytes or a path) into a :class:`Raster` with its long side at most ``SIDE``."""
    from PIL import Image

    if isinstance(source, (str, Path)):
        path = Path(source)
        name = name or path.name
        if not path.is_file():
            raise FormatError(
                f"{name}: no such file", file=name, errors=[{"field": "file", "message": "missing"}]
            )
        if path.stat().st_size > max_bytes:
            raise TooLarge(
                f"{name}: {path.stat().st_size / 2**20:.1f} MB is over the {max_bytes / 2**20:g} MB "
                "image limit",
                errors=[{"field": "file", "message": "too large"}],
                code="image_too_large",
                params={"name": name, "mb": f"{max_bytes / 2**20:g}"},
            )
        data = path.read_bytes()
    else:
        data = bytes(source)
        name = name or "upload"
        if len(data) > max_bytes:
            raise TooLarge(
                f"{name}: {len(data) / 2**20:.1f} MB is over the {max_bytes / 2**20:g} MB image limit",
                errors=[{"field": "file", "message": "too large"}],
                code="image_too_large",
                params={"name": name, "mb": f"{max_bytes / 2**20:g}"},
            )
    if not data:
        raise FormatError(
            f"{name}: empty file",
            file=name,
            errors=[{"field": "file", "message": "empty"}],
            code="image_empty",
            params={"name": name},
        )
    kind = _sniff(data, name)
    if kind == "svg" and data[:2] == b"\x1f\x8b":
        import gzip

        try:
            data = gzip.decompress(data)
        except OSError as exc:
            raise FormatError(
                f"{name}: broken svgz: {exc}", file=name, code="image_unreadable", params={"name": name}
            ) from exc
    img = _render_svg(data, name) if kind == "svg" else _open_raster(data, name)
    fmt = "svg" if kind == "svg" else (img.format or "raster").lower()
    width, height = img.size
    try:
        if img.mode == "P" and "transparency" in img.info:
            img = img.convert("RGBA")
        if img.mode in ("1", "L", "I", "I;16", "F"):
            img = img.convert("L")
        img.thumbnail((SIDE, SIDE), Image.Resampling.LANCZOS if img.mode != "L" else Image.Resampling.BOX)
        rgba = img.convert("RGBA")
    except OSError as exc:
        raise FormatError(
            f"{name}: image cannot be decoded: {exc}",
            file=name,
            errors=[{"field": "file", "message": "unreadable"}],
            code="image_unreadable",
            params={"name": name},
        ) from exc
    arr = np.asarray(rgba, dtype=np.float32)
    alpha = arr[..., 3:4] / 255.0
    rgb = arr[..., :3] * alpha + 255.0 * (1 - alpha)
    has_alpha = bool((arr[..., 3] < 250).any())
    rgb8 = np.clip(rgb + 0.5, 0, 255).astype(np.uint8)
    return Raster(rgb=rgb8, mask=_foreground(arr, rgb, has_alpha), width=width, height=height, format=fmt)


def _foreground(rgba: np.ndarray, rgb: np.ndarray, has_alpha: bool) -> np.ndarray:
    """The mark's pixels: opaque ones for transparent images, else those unlike the border colour."""
    if has_alpha and (rgba[..., 3] > 128).any():
        return rgba[..., 3] > 128
    border = np.concatenate([rgb[0], rgb[-1], rgb[:, 0], rgb[:, -1]])
    bg = np.median(border, axis=0)
    dist = np.abs(rgb - bg).max(axis=2)
    mask = dist > 40
    return mask if mask.any() else np.ones(mask.shape, dtype=bool)
