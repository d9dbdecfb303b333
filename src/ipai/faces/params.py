"""Typed ranges of the API's numeric parameters: every integer has a floor and a ceiling, so a
number no store column can hold (``offset=99999999999999999999999``) is a 400 naming the field,
never an OverflowError."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query
from pydantic import Field

MAX_ID = 2**53 - 1  # row ids, log indexes: the largest integer a JSON number carries exactly
MAX_OFFSET = 10**9  # paging offsets: far past any list, well inside every SQL integer
MAX_DAYS = 36_500  # day counts: a hundred years
MAX_AMOUNT = 1e15  # money amounts (any currency), a finite number
MAX_IDS = 10_000  # ids in one request body

RowId = Annotated[int, Path(ge=1, le=MAX_ID, description="Row id (1 or more)")]
LogIndex = Annotated[int, Path(ge=0, le=MAX_ID, description="Index of the entry in the log (from 0)")]
Ordinal = Annotated[int, Path(ge=0, le=MAX_ID, description="Position in the list (from 0)")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip")]
IdFilter = Annotated[int | None, Query(ge=1, le=MAX_ID)]
SinceId = Annotated[int, Query(ge=0, le=MAX_ID, description="Only rows after this id")]
Days = Annotated[int | None, Query(ge=0, le=MAX_DAYS)]
BodyId = Annotated[int, Field(ge=1, le=MAX_ID)]
Amount = Annotated[float | None, Field(ge=0, le=MAX_AMOUNT, allow_inf_nan=False)]
