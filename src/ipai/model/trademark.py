"""Trademark records (word, figurative and combined marks)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ipai.model.party import Party

MarkKind = Literal["word", "figurative", "combined", "shape", "sound", "other"]


class Trademark(BaseModel):
    """A trademark application or registration."""

    model_config = ConfigDict(extra="forbid")

    record_type: Literal["trademark"] = "trademark"
    id: str = ""
    office: str  # EM (EUIPO), CN, US, WO…
    number: str
    mark_text: str | None = None
    kind: MarkKind | None = None
    image: str | None = None  # the image file named by the source (relative to its folder or zip)
    image_sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")  # the copy in the media store
    image_missing: str | None = None  # why no copy is stored
    vienna_codes: list[str] = Field(default_factory=list)  # "01.17.03"
    nice_classes: list[int] = Field(default_factory=list)
    goods_services: dict[str, str] = Field(default_factory=dict)  # lang → text
    owners: list[Party] = Field(default_factory=list)
    filing_date: dt.date | None = None
    registration_date: dt.date | None = None
    expiry_date: dt.date | None = None
    status: str | None = None

    @model_validator(mode="after")
    def _set_id(self) -> Trademark:
        key = f"TM-{self.office}{self.number}"
        if self.id and self.id != key:
            raise ValueError(f"id {self.id!r} does not match office+number {key!r}")
        object.__setattr__(self, "id", key)
        return self
