"""Commands of trademark and design image similarity."""

from __future__ import annotations
