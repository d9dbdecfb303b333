"""Commands of questions and answers."""

from __future__ import annotations
