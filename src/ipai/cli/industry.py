"""``ipai industry …``: the IP-to-industry view and concordances."""

from __future__ import annotations
