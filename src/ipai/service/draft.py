"""Service use cases of patent drafting."""

from __future__ import annotations

from typing import Any


class DraftMixin:
    """Patent drafting (mixed into :class:`ipai.service.Service`)."""

    store: Any
    search_engine: Any
    settings: Any
