"""Web pages of licence, transfer and pledge deals."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
