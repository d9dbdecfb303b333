"""The relevance a match shows, and how it was calibrated (``calibration.json`` beside this module,
written by ``ipai eval matching --calibrate``).

A proposed patent's **relevance** is the probability that it is on topic for the demand, from a
logistic model of two measurements of the (demand, patent) pair:

- ``meaning``: the multilingual e5 similarity of the demand (``query:``) and the patent's
  invention passage (``passage:``), standardised against the demand's similarities with a fixed
  sample of the store's passages in the patent's language (:mod:`ipai.transfer.meaning`), so a
  Chinese need and an English patent compare on the same scale as two Chinese texts;
- ``coverage``: the share of the demand's key technical terms (termhood-weighted) that the patent
  carries in one of their forms (the term itself or a translation the search engine used), scaled
  down for demands with fewer than three key concepts (one shared word of a one-word demand is
  weak evidence).

The model is fitted on the dev split of the demand set, whose on-topic judgements were fixed
before any tuning; the threshold is the relevance from which a proposal counts as a good match.
An unrelated demand therefore shows low relevance and "no good match", never a 1.000 top hit.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path
from typing import Any

PATH = Path(__file__).with_name("calibration.json")
# used only when calibration.json is missing: a neutral slope centred on a middling e5 similarity
DEFAULT = {
    "coef": {"meaning": 1.5, "coverage": 2.0},
    "intercept": -4.0,
    "threshold": 0.5,
    "calibrated_on": None,
}


@lru_cache(maxsize=1)
def calibration() -> dict[str, Any]:
    """The stored calibration (coefficients, intercept, threshold and what it was fitted on)."""
    try:
        return json.loads(PATH.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return dict(DEFAULT)


def relevance(meaning: float, coverage: float) -> float:
    """Calibrated probability that a patent is on topic for a demand (0–1)."""
    c = calibration()
    z = c["intercept"] + c["coef"]["meaning"] * meaning + c["coef"]["coverage"] * coverage
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


def threshold() -> float:
    """The relevance from which a proposal is a good match."""
    return float(calibration()["threshold"])


def fit(rows: list[tuple[float, float, bool]]) -> tuple[dict[str, float], float]:
    """Logistic regression of on-topic labels on (meaning, coverage): coefficients and intercept
    (lightly regularised, balanced classes so the rarer label is not drowned out)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    x = np.asarray([[m, c] for m, c, _ in rows], dtype=float)
    y = np.asarray([bool(lab) for _, _, lab in rows], dtype=int)
    if len(set(y.tolist())) < 2:
        raise ValueError("calibration needs on-topic and off-topic pairs")
    model = LogisticRegression(C=10.0, class_weight=None, max_iter=1000).fit(x, y)
    return {
        "meaning": round(float(model.coef_[0][0]), 4),
        "coverage": round(float(model.coef_[0][1]), 4),
    }, round(float(model.intercept_[0]), 4)


def save(coef: dict[str, float], intercept: float, thr: float, calibrated_on: dict[str, Any]) -> Path:
    """Write the calibration and its record."""
    PATH.write_text(
        json.dumps(
            {
                "coef": coef,
                "intercept": intercept,
                "threshold": round(thr, 4),
                "calibrated_on": calibrated_on,
            },
            ensure_ascii=False,
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    calibration.cache_clear()
    return PATH


def quality(probs: list[float], labels: list[bool], bins: int = 10) -> dict[str, float | int | None]:
    """How well probabilities match outcomes: Brier score, expected calibration error (equal-width
    bins), log loss, and the area under the ROC curve."""
    n = len(probs)
    if not n:
        return {"pairs": 0, "brier": None, "ece": None, "log_loss": None, "auc": None}
    brier = sum((p - float(y)) ** 2 for p, y in zip(probs, labels, strict=False)) / n
    ece = 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        idx = [i for i, p in enumerate(probs) if lo <= p < hi or (b == bins - 1 and p == 1.0)]
        if idx:
            conf = sum(probs[i] for i in idx) / len(idx)
            acc = sum(1.0 for i in idx if labels[i]) / len(idx)
            ece += len(idx) / n * abs(conf - acc)
    eps = 1e-6
    ll = (
        -sum(
            math.log(max(eps, p)) if y else math.log(max(eps, 1 - p))
            for p, y in zip(probs, labels, strict=False)
        )
        / n
    )
    pos = [p for p, y in zip(probs, labels, strict=False) if y]
    neg = [p for p, y in zip(probs, labels, strict=False) if not y]
    auc = (
        sum(1.0 if a > b else 0.5 if a == b else 0.0 for a in pos for b in neg) / (len(pos) * len(neg))
        if pos and neg
        else None
    )
    return {
        "pairs": n,
        "on_topic": len(pos),
        "brier": round(brier, 4),
        "ece": round(ece, 4),
        "log_loss": round(ll, 4),
        "auc": round(auc, 4) if auc is not None else None,
    }
