"""The learned layer: a logistic regression over the indicator sub-scores, fitted to a proxy label.

Proxy labels (no document carries a market value, so value is proxied by what later happened):

* ``cites``: the document is in the top quarter of its cohort (country × filing year; filing year
  alone for small cohorts) by forward citations; only cohorts at least ``MIN_AGE`` years older
  than the data's newest publication, so truncated citation counts of recent filings do not
  decide the label. The forward-citation indicator is not a feature.
* ``family``: top quarter of the cohort by family size; family size and jurisdictions are not
  features.

Features are the indicator sub-scores (:mod:`ipai.value.model`) with a missing value replaced by
the training mean plus a 0/1 "missing" flag, standardised. The model is stored as JSON
(coefficients, means, scales) so every prediction splits into per-indicator log-odds
contributions; no pickle.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ipai.errors import FormatError, InputError
from ipai.value.indicators import Indicators
from ipai.value.model import LABELS, MIN_COHORT, Valuation, midrank

FORMAT = "ipai-value-logistic"
FORMAT_VERSION = 1
LABEL_KINDS = {
    "cites": ("forward_citations", ("forward_citations",)),
    "family": ("family_size", ("family_size", "jurisdictions")),
}
MIN_AGE = 3
TOP_SHARE = 0.25
_NAME = re.compile(r"^value-(cites|family)-v(\d+)\.json$")


def excluded(label: str) -> tuple[str, ...]:
    """Indicators a label is made of (never features of a model of that label)."""
    if label not in LABEL_KINDS:
        raise InputError(
            f"unknown label {label!r}: use cites or family",
            errors=[{"field": "label", "message": "cites or family"}],
        )
    return LABEL_KINDS[label][1]


def proxy_label(inds: list[Indicators], label: str, newest_year: int) -> tuple[np.ndarray, np.ndarray]:
    """Cohort percentile of the label's indicator (NaN where not labelled) and the 0/1 label."""
    src = LABEL_KINDS[label][0] if label in LABEL_KINDS else excluded(label)[0]
    groups: dict[Any, list[int]] = defaultdict(list)
    for j, i in enumerate(inds):
        if i.values.get(src) is not None and i.year is not None and i.year <= newest_year - MIN_AGE:
            groups[(i.country, i.year)].append(j)
    by_year: dict[int, list[int]] = defaultdict(list)
    final: dict[Any, list[int]] = {}
    for (c, y), js in groups.items():
        if len(js) >= MIN_COHORT:
            final[(c, y)] = js
        else:
            by_year[y].extend(js)
    for y, js in by_year.items():
        if len(js) >= MIN_COHORT:
            final[("*", y)] = js
    pct = np.full(len(inds), np.nan)
    for js in final.values():
        x = np.array([float(inds[j].values[src]) for j in js])
        pct[js] = midrank(np.sort(x), x)
    y = np.where(np.isnan(pct), np.nan, (pct >= 1.0 - TOP_SHARE).astype(float))
    return pct, y


@dataclass
class LogisticValue:
    """A fitted logistic model over sub-scores, JSON-serialisable."""

    label: str
    names: list[str]  # indicator names (sub-score features); flags are "<name>:missing"
    mean: list[float]  # imputation value of each indicator (training mean)
    feat_mean: list[float]
    feat_scale: list[float]
    coef: list[float]
    intercept: float
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def features(self) -> list[str]:
        """Feature names: the sub-scores, then their missing flags."""
        return self.names + [f"{n}:missing" for n in self.names]

    def design(self, val: Valuation) -> np.ndarray:
        """Standardised feature matrix of a valuation's documents."""
        return (_raw_features(val, self.names, np.array(self.mean)) - np.array(self.feat_mean)) / np.array(
            self.feat_scale
        )

    def predict(self, val: Valuation) -> np.ndarray:
        """Probability of the label for every document."""
        z = self.design(val) @ np.array(self.coef) + self.intercept
        return 1.0 / (1.0 + np.exp(-z))

    def explain(self, val: Valuation, j: int) -> dict[str, Any]:
        """Probability and per-indicator log-odds contributions (flag folded into its indicator)."""
        x = self.design(val)[j]
        c = x * np.array(self.coef)
        k = len(self.names)
        rows: list[dict[str, Any]] = [
            {"indicator": n, "label": LABELS.get(n, n), "log_odds": round(float(c[i] + c[k + i]), 4)}
            for i, n in enumerate(self.names)
        ]
        rows.sort(key=lambda r: -abs(r["log_odds"]))
        z = float(c.sum() + self.intercept)
        return {
            "label": self.label,
            "probability": round(1.0 / (1.0 + np.exp(-z)), 4),
            "intercept": round(self.intercept, 4),
            "contributions": rows,
        }

    # ---- persistence -------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        """The model file's content."""
        from ipai import __version__

        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "ipai_version": __version__,
            "label": self.label,
            "names": self.names,
            "mean": self.mean,
            "feat_mean": self.feat_mean,
            "feat_scale": self.feat_scale,
            "coef": self.coef,
            "intercept": self.intercept,
            "meta": self.meta,
        }

    def save(self, path: str | Path) -> Path:
        """Write the JSON model (atomic replace) and its ``.version`` sidecar; returns the path."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(self.to_json(), indent=1), encoding="utf-8")
        os.replace(tmp, path)
        path.with_name(path.name + ".version").write_text(f"{FORMAT} {FORMAT_VERSION}\n", encoding="utf-8")
        return path

    @classmethod
    def load(cls, path: str | Path) -> LogisticValue:
        """Read a model file; :class:`FormatError` for another format or version."""
        path = Path(path)
        try:
            d = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise FormatError(f"{path} is not a readable ipai value model: {exc}", file=str(path)) from exc
        if d.get("format") != FORMAT or d.get("format_version") != FORMAT_VERSION:
            raise FormatError(
                f"{path} is not an ipai value model of format version {FORMAT_VERSION} "
                f"(found {d.get('format')} {d.get('format_version')}): run `ipai value train` again",
                file=str(path),
            )
        return cls(
            d["label"],
            d["names"],
            d["mean"],
            d["feat_mean"],
            d["feat_scale"],
            d["coef"],
            float(d["intercept"]),
            d.get("meta") or {},
        )


def _raw_features(val: Valuation, names: list[str], impute: np.ndarray) -> np.ndarray:
    idx = [val.names.index(n) for n in names]
    x = val.sub[:, idx]
    miss = np.isnan(x)
    return np.hstack([np.where(miss, impute, x), miss.astype(float)])


def fit_logistic(val: Valuation, y: np.ndarray, label: str, *, c: float = 1.0) -> LogisticValue:
    """Fit on the labelled rows of ``val`` (``y`` 0/1, NaN = unlabelled)."""
    from sklearn.linear_model import LogisticRegression

    rows = ~np.isnan(y)
    if rows.sum() < 20 or len(set(y[rows])) < 2:
        raise InputError(
            f"too few labelled documents to learn from ({int(rows.sum())}; both classes needed)",
            errors=[{"field": "label", "message": f"{label}: not enough labelled documents"}],
        )
    names = [n for n in val.names if n not in excluded(label)]
    idx = [val.names.index(n) for n in names]
    sub = val.sub[rows][:, idx]
    have = ~np.isnan(sub)
    mean = np.where(have.any(axis=0), np.nansum(sub, axis=0) / np.maximum(have.sum(axis=0), 1), 0.5)
    x = _raw_features(val, names, mean)[rows]
    fm, fs = x.mean(axis=0), x.std(axis=0)
    fs[fs < 1e-9] = 1.0
    clf = LogisticRegression(C=c, max_iter=2000).fit((x - fm) / fs, y[rows])
    return LogisticValue(
        label,
        names,
        mean.tolist(),
        fm.tolist(),
        fs.tolist(),
        clf.coef_[0].tolist(),
        float(clf.intercept_[0]),
        {
            "trained": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "documents": int(rows.sum()),
            "positives": int(y[rows].sum()),
            "C": c,
        },
    )


def models_dir(settings: Any) -> Path:
    """``<home>/models``."""
    return Path(settings.home) / "models"


def latest(settings: Any, label: str | None = None) -> Path | None:
    """The newest value model file (of ``label`` if given), or ``None``."""
    d = models_dir(settings)
    found = []
    for p in d.glob("value-*-v*.json") if d.is_dir() else []:
        m = _NAME.match(p.name)
        if m and label in (None, m.group(1)):
            found.append((p.stat().st_mtime, int(m.group(2)), p))
    return max(found)[2] if found else None


def next_path(settings: Any, label: str) -> Path:
    """The file the next training of ``label`` writes."""
    d = models_dir(settings)
    ns = [
        int(m.group(2))
        for p in (d.glob(f"value-{label}-v*.json") if d.is_dir() else [])
        if (m := _NAME.match(p.name))
    ]
    return d / f"value-{label}-v{max(ns, default=0) + 1}.json"
