"""Web pages of trademark and design image similarity."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
