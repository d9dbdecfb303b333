"""The refusal threshold of knowledge answers and how it was calibrated (``refusal.json`` beside
this module, written by ``ipai eval law-qa --calibrate``): the threshold, the question file and split
it was fitted on, and the rates it gave there."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

PATH = Path(__file__).with_name("refusal.json")
DEFAULT = 0.5  # used only when refusal.json is missing


@lru_cache(maxsize=1)
def calibration() -> dict[str, Any]:
    """The stored calibration (``{"threshold": …, "calibrated_on": {…}}``); a default without the file."""
    try:
        return json.loads(PATH.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"threshold": DEFAULT, "calibrated_on": None}


def knowledge_threshold() -> float:
    """Knowledge evidence below this relevance does not answer the question."""
    return float(calibration()["threshold"])


def best_threshold(pos: list[float], neg: list[float]) -> tuple[float, float]:
    """(threshold, balanced accuracy): the cut that best separates answerable (kept at or above)
    from not-answerable scores (refused below); midway between the neighbouring scores, the lowest
    of equally good cuts' midpoints preferred."""
    values = sorted(set(pos + neg))
    cuts = (
        [values[0] - 1e-6]
        + [(a + b) / 2 for a, b in zip(values, values[1:], strict=False)]
        + [values[-1] + 1e-6]
        if values
        else [0.0]
    )
    best = (cuts[0], -1.0)
    for t in cuts:
        acc = (sum(p >= t for p in pos) / max(len(pos), 1) + sum(x < t for x in neg) / max(len(neg), 1)) / 2
        if acc > best[1] + 1e-12:
            best = (t, acc)
    return round(best[0], 4), round(best[1], 4)


def save(threshold: float, calibrated_on: dict[str, Any]) -> Path:
    """Write the threshold and its calibration record."""
    PATH.write_text(
        json.dumps(
            {"threshold": round(threshold, 4), "calibrated_on": calibrated_on}, ensure_ascii=False, indent=2
        )
        + "\n",
        encoding="utf-8",
    )
    calibration.cache_clear()
    return PATH
