"""``/api/v1`` demand, match and notification endpoints."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
