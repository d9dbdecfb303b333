"""The fitted parameters of feature support and of the verdicts built on it (``support.json``
beside this module, written by ``ipai eval patentability --calibrate`` and ``ipai eval
claim-charts --calibrate``), and how they are fitted.

Support of a feature by a passage is a probability, ``σ(w · x)``, from
- ``lex``: the IDF-weighted share of the feature's key words in the passage (across Chinese and
  English through the dictionary, :mod:`ipai.assess.bridge`);
- ``rel``: the e5 cosine of feature (``query:``) and passage (``passage:``) above the feature's own
  baseline (its cosine to unrelated reference passages of the passage's script), which removes
  the offsets e5 has per language pair and per feature;
- ``xl``: 1 when passage and feature are in different languages;
- ``rare``: the share of the feature's rarest key words found (what sets it apart: a product with
  "mineral oil" does not have the element "the coolant is silicone oil").
Without e5 (not installed, or the report's budget of passages read by meaning spent) the
``lexical`` model, fitted on ``lex`` alone against documents of the same field, gives the
probability — for a passage in the claim's language only: dictionary translations of single
words are no evidence that a passage in another language discloses a feature.

The weights are fitted by logistic regression on labelled cases, multiple-instance style: a
feature of a claim is supported by its own document (some passage of it) and by no passage of an
unrelated one; each round keeps the best-scoring passage of every feature and refits. The
thresholds are then cut on the same dev split: X needs every feature at or above ``covered``
(chosen for the most own-document X with at most :data:`MAX_FALSE_X` false X on the dev
negatives); charts cut ``present`` / ``unclear`` for the best agreement with expected verdicts.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

PATH = Path(__file__).with_name("support.json")
MIN_BAND = 0.1  # the narrowest band of support a claim chart calls "unclear"
MAX_FALSE_X = 0.03  # dev false-X allowed when choosing ``covered`` (the target on test is 0.05)
SIGNALS = ("lex", "rel", "xl", "rare")


@dataclass
class SupportParams:
    """Weights of the two support models and the verdict thresholds."""

    full: dict[str, float] = field(
        default_factory=lambda: {"bias": -6.0, "lex": 4.0, "rel": 90.0, "xl": 0.0, "rare": 0.0}
    )
    lexical: dict[str, float] = field(default_factory=lambda: {"bias": -4.0, "lex": 6.0})
    covered: float = 0.5
    partial: float = 0.25
    present: float = 0.5
    unclear: float = 0.25
    calibrated_on: dict[str, Any] = field(default_factory=dict)

    def score(self, rows: np.ndarray, verified: np.ndarray) -> np.ndarray:
        """Support probabilities of signal rows (columns :data:`SIGNALS`); ``verified`` marks the
        rows whose ``rel`` was measured (the others use the lexical model)."""
        if len(rows) == 0:
            return np.zeros(0)
        w = self.full
        z_full = w["bias"] + sum(w.get(name, 0.0) * rows[:, i] for i, name in enumerate(SIGNALS))
        v = self.lexical
        z_lex = v["bias"] + v["lex"] * rows[:, 0]
        # words alone across languages (dictionary translations) are no evidence of disclosure
        z_lex = np.where(rows[:, 2] > 0, -30.0, z_lex)
        return 1.0 / (1.0 + np.exp(-np.where(verified, z_full, z_lex)))

    def to_json(self) -> dict[str, Any]:
        """JSON form (what ``support.json`` holds)."""
        d = asdict(self)
        d["full"] = {k: round(v, 4) for k, v in self.full.items()}
        d["lexical"] = {k: round(v, 4) for k, v in self.lexical.items()}
        for k in ("covered", "partial", "present", "unclear"):
            d[k] = round(d[k], 4)
        return d


@lru_cache(maxsize=1)
def params() -> SupportParams:
    """The shipped parameters (defaults when ``support.json`` is missing)."""
    try:
        data = json.loads(PATH.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return SupportParams()
    known = {k: data[k] for k in SupportParams.__dataclass_fields__ if k in data}
    return SupportParams(**known)


def save(p: SupportParams) -> Path:
    """Write the parameters (and forget the loaded ones)."""
    PATH.write_text(json.dumps(p.to_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    params.cache_clear()
    return PATH


# ---- fitting ---------------------------------------------------------------------------------
def _logistic(x: np.ndarray, y: np.ndarray, l2: float = 1e-3, iters: int = 50) -> np.ndarray:
    """Weights (bias first) of a class-balanced, lightly L2-regularised logistic regression
    (Newton's method), fitted on standardised columns and returned on the original scale."""
    mu, sd = x.mean(axis=0), x.std(axis=0)
    sd = np.where(sd > 1e-9, sd, 1.0)
    X = np.hstack([np.ones((len(x), 1)), (x - mu) / sd])
    pos = max(float(y.sum()), 1.0)
    neg = max(float(len(y) - y.sum()), 1.0)
    sw = np.where(y > 0, 0.5 / pos, 0.5 / neg)
    w = np.zeros(X.shape[1])
    for _ in range(iters):
        p = 1.0 / (1.0 + np.exp(-np.clip(X @ w, -30, 30)))
        grad = X.T @ (sw * (p - y)) + l2 * np.r_[0.0, w[1:]]
        H = (X * (sw * p * (1 - p))[:, None]).T @ X + l2 * np.diag(np.r_[0.0, np.ones(len(w) - 1)])
        step = np.linalg.solve(H + 1e-9 * np.eye(len(w)), grad)
        w -= step
        if np.abs(step).max() < 1e-7:
            break
    scale = w[1:] / sd
    return np.r_[w[0] - float(np.sum(scale * mu)), scale]


def fit_support(
    bags: list[tuple[np.ndarray, np.ndarray, int]],
    base: SupportParams,
    rounds: int = 6,
    lexical_bags: list[tuple[np.ndarray, np.ndarray, int]] | None = None,
) -> SupportParams:
    """Fit both models on labelled bags ``(rows, verified, label)``: the candidate passages of one
    feature in one document, label 1 when the document discloses the claim, 0 when unrelated.
    The lexical model (words only) is fitted on ``lexical_bags`` when given: it decides without
    reading meaning, so its negatives should include documents of the same field."""
    p = SupportParams(**{**asdict(base)})
    full_bags = [(r[v], y) for r, v, y in bags if v.any()]
    for _ in range(rounds):
        xs, ys = [], []
        for rows, y in full_bags:
            s = p.score(rows, np.ones(len(rows), dtype=bool))
            xs.append(rows[int(np.argmax(s))])
            ys.append(y)
        if not xs or len(set(ys)) < 2:
            break
        w = _logistic(np.array(xs), np.array(ys, dtype=float))
        p.full = dict(zip(("bias",) + SIGNALS, map(float, w), strict=False))
    lx = [(float(r[:, 0].max()), y) for r, _, y in (bags if lexical_bags is None else lexical_bags) if len(r)]
    if len({y for _, y in lx}) == 2:
        w = _logistic(np.array([[x] for x, _ in lx]), np.array([y for _, y in lx], dtype=float))
        p.lexical = {"bias": float(w[0]), "lex": float(w[1])}
    return p


def cut_covered(
    pos: list[float], neg: list[float], max_fp: float = MAX_FALSE_X
) -> tuple[float, float, float]:
    """(threshold, recall, false-positive rate): among the cuts keeping the false-positive share
    within ``max_fp``, those with the most positives at or above them; the middle one of these
    (the middle of the gap, not its edge next to the negatives)."""
    values = sorted(set(pos + neg))
    cuts = [(a + b) / 2 for a, b in zip(values, values[1:], strict=False)] + (
        [values[-1] + 1e-6] if values else [0.5]
    )
    scored = []
    for t in sorted(cuts):
        fp = sum(x >= t for x in neg) / max(len(neg), 1)
        rec = sum(x >= t for x in pos) / max(len(pos), 1)
        if fp <= max_fp:
            scored.append((t, rec, fp))
    if not scored:
        return round(cuts[-1], 4), 0.0, 0.0
    top = max(r for _, r, _ in scored)
    plateau = [s for s in scored if s[1] == top]
    t = (plateau[0][0] + plateau[-1][0]) / 2
    fp = sum(x >= t for x in neg) / max(len(neg), 1)
    return round(t, 4), round(top, 4), round(fp, 4)


def cut_balanced(pos: list[float], neg: list[float]) -> tuple[float, float]:
    """(threshold, balanced accuracy) separating positives (at or above) from negatives."""
    values = sorted(set(pos + neg))
    cuts = [(a + b) / 2 for a, b in zip(values, values[1:], strict=False)] or [0.5]
    best = (cuts[0], -1.0)
    for t in cuts:
        acc = (sum(x >= t for x in pos) / max(len(pos), 1) + sum(x < t for x in neg) / max(len(neg), 1)) / 2
        if acc > best[1] + 1e-12:
            best = (t, acc)
    return round(best[0], 4), round(best[1], 4)


def cut_verdicts(
    scores: list[float], expected: list[str], min_band: float = MIN_BAND
) -> tuple[float, float, float]:
    """(present, unclear, agreement): the two cuts giving the most verdicts equal to the expected
    ones (present ≥ present-cut > unclear ≥ unclear-cut > absent), the unclear band at least
    ``min_band`` wide (a reader is always told where to look twice)."""
    values = sorted(set(scores))
    cuts = (
        [values[0] - 1e-6]
        + [(a + b) / 2 for a, b in zip(values, values[1:], strict=False)]
        + [values[-1] + 1e-6]
    )
    s = np.array(scores)
    best = (0.5, 0.25, -1.0)
    for i, hi in enumerate(cuts):
        for lo in cuts[: i + 1]:
            if hi - lo < min_band:
                continue
            got = np.where(s >= hi, "present", np.where(s >= lo, "unclear", "absent"))
            agree = float(np.mean(got == np.array(expected)))
            if agree > best[2] + 1e-12:
                best = (hi, lo, agree)
    return round(best[0], 4), round(best[1], 4), round(best[2], 4)
