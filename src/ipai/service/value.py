"""Service use cases of valuation and high-value screening (see ipai.value)."""

from __future__ import annotations

from typing import Any


class ValueMixin:
    """Valuation over stored documents (mixed into :class:`ipai.service.Service`)."""

    store: Any
    search_engine: Any
    settings: Any
