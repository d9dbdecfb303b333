"""``ipai disclosure …``/``ipai deadlines …``: the disclosure-to-filing workflow."""

from __future__ import annotations
