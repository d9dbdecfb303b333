"""``/api/v1`` endpoints of questions and answers with cited sources."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
