"""Service use cases of the TRIZ assistant."""

from __future__ import annotations

from typing import Any


class TrizMixin:
    """The TRIZ assistant (mixed into :class:`ipai.service.Service`)."""

    store: Any
    search_engine: Any
    settings: Any
