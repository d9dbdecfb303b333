"""Helpers the SQL mixins share: the time stamp every row gets, and id lists cut into chunks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import TypeVar

CHUNK = 400  # ids per IN (...) query, below every backend's parameter limit
T = TypeVar("T")


def now() -> dt.datetime:
    """The current UTC time without a time zone (how every table stores times)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def chunks(items: Sequence[T], n: int = CHUNK) -> Iterator[list[T]]:
    """``items`` in lists of at most ``n``."""
    for i in range(0, len(items), n):
        yield list(items[i : i + n])
