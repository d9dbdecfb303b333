"""``/api/v1`` endpoints of patent drafting."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
