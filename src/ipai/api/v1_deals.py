"""``/api/v1`` endpoints of licence, transfer and pledge deals (ipai.deals)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
