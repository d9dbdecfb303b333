"""Web pages of the claim checker."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
