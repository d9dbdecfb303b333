"""Commands of the TRIZ assistant."""

from __future__ import annotations
