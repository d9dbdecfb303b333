"""Commands of watchlists, alerts and their push."""

from __future__ import annotations
