"""``ipai explain PUBNO``: AI patent interpretation (专利AI解读)."""

from __future__ import annotations
