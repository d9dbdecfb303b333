"""``/api/v1`` endpoints of the claim checker."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
