"""``ipai deal …``: licence, transfer and pledge deals."""

from __future__ import annotations
