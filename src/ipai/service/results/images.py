"""Results of trademark and design image similarity (``ipai.service.images``)."""

from __future__ import annotations

from typing import Any

from ipai.service.results.common import Num, Result


class ImageStatus(Result):
    """``Service.image_status``: each image index's meta (``None`` when not built)."""

    mark: dict[str, Any] | None
    design: dict[str, Any] | None


class ImageHits(Result):
    """``Service.similar_images``: marks or designs like the query image, best first."""

    kind: str
    classes: list[str]
    total: int
    query: dict[str, Any]
    hits: list[dict[str, Any]]
    took_ms: Num


class WordMarkHits(Result):
    """``Service.similar_words``: stored word marks like a text by spelling, sound and pinyin."""

    text: str
    marks: int
    hits: list[dict[str, Any]]
    took_ms: Num
