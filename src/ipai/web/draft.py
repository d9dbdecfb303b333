"""Web pages of patent drafting."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
