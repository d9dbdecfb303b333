"""Web pages of the IP-to-industry view."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
