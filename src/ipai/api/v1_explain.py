"""``/api/v1`` endpoints of AI patent interpretation (专利AI解读)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
