"""Web pages of the TRIZ assistant."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
