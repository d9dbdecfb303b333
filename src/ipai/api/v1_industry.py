"""``/api/v1`` endpoints of the IP-to-industry view (ipai.analytics.industry)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
