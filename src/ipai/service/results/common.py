"""Pieces shared by the result types."""

from __future__ import annotations

from typing import Any

from pydantic import ConfigDict, with_config
from typing_extensions import TypedDict

Num = float | int
"""A JSON number that is sometimes whole (``int`` stays ``int`` through pydantic validation)."""

Row = dict[str, Any]
"""A stored row as the store returns it (its columns, dates as ISO text)."""


@with_config(ConfigDict(extra="allow"))
class Result(TypedDict):
    """Base of every result type. A key a result carries that its type does not declare is still
    passed through when the API validates a response (``extra="allow"``): a type that lags behind
    its method never drops data; ``tests/api/test_response_models.py`` finds such keys."""


class Page(Result):
    """A page of stored rows with the total."""

    items: list[Row]
    total: int
    offset: int
    limit: int
