"""Web pages of the disclosure-to-filing workflow (ipai.manage)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
