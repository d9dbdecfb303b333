"""Service use cases of trademark and design image similarity."""

from __future__ import annotations

from typing import Any


class ImagesMixin:
    """Trademark and design image similarity (mixed into :class:`ipai.service.Service`)."""

    store: Any
    search_engine: Any
    settings: Any
