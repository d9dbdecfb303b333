"""Web pages of watchlists, alerts and their push."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
