"""``/api/v1`` valuation endpoints."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
