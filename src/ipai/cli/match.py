"""Transfer commands: ``ipai demand …``, ``ipai match …``."""

from __future__ import annotations
