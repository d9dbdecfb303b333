"""Commands of the claim checker (registered on the draft group)."""

from __future__ import annotations
