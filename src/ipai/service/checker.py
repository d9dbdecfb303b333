"""Service use cases of the claim checker."""

from __future__ import annotations

from typing import Any


class CheckerMixin:
    """The claim checker (mixed into :class:`ipai.service.Service`)."""

    store: Any
    search_engine: Any
    settings: Any
