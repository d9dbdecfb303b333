"""Distributed jobs and scale benchmarks: ``ipai cluster …`` and ``ipai bench scale``."""

from __future__ import annotations
