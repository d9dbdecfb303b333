"""``ipai eval value``: time-split evaluation of the value models against a proxy label.

The files are ingested into a temporary store; indicators are computed for every document with
``as_of`` = the newest publication date in the data; the proxy label (:mod:`ipai.value.learned`:
top quarter of the cohort by forward citations or by family size, cohorts at least 3 years old)
is built; documents filed up to ``split_year`` train, later ones test. Reported on the test
documents, for each model: ROC AUC against the 0/1 label and Spearman's rho against the
continuous cohort percentile.

* ``indicator``: the label-free indicator model, with the label's own indicators left out;
* ``logistic``: the learned layer (what ``ipai value-train`` stores), fitted on the train years;
* ``gradient_boosting``: scikit-learn HistGradientBoosting on the same features (fixed seed);
* ``baseline``: one indicator alone (family size for ``cites``, age-normalised citations for ``family``).
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from ipai.errors import InputError
from ipai.settings import Settings, load_settings
from ipai.value.indicators import BRIEF, EXTRA, extract_many
from ipai.value.learned import LABEL_KINDS, excluded, fit_logistic, proxy_label
from ipai.value.model import Reference, score

BASELINE = {"cites": "family_size", "family": "forward_citations"}
TRAIN_SHARE = 0.7


def _metrics(pred: np.ndarray, y: np.ndarray, pct: np.ndarray) -> dict[str, float | None]:
    from scipy.stats import spearmanr
    from sklearn.metrics import roc_auc_score

    ok = ~np.isnan(pred)
    auc = roc_auc_score(y[ok], pred[ok]) if len(set(y[ok])) == 2 else None
    rho = spearmanr(pred[ok], pct[ok])[0] if ok.sum() > 2 else None
    return {
        "auc": None if auc is None else round(float(auc), 4),
        "spearman": None if rho is None or np.isnan(rho) else round(float(rho), 4),
        "n": int(ok.sum()),
    }


def default_split(years: np.ndarray) -> int:
    """The earliest filing year by which TRAIN_SHARE of the labelled documents were filed."""
    ys = np.sort(years)
    return int(ys[min(int(TRAIN_SHARE * len(ys)), len(ys) - 1)])


def _load(paths: list[Path]) -> tuple[dict[str, dict[str, Any]], dt.date]:
    from ipai.service import Service

    with tempfile.TemporaryDirectory() as td:
        svc = Service(load_settings(home=Path(td) / "home", progress=False))
        try:
            svc.corpus.ingest(paths)
            ids = svc.store.recent_ids(svc.store.count_documents())
            rows = svc.store.get_fields(ids, BRIEF)
            for i, extra in svc.store.get_fields(ids, EXTRA).items():
                rows.setdefault(i, {}).update(extra)
        finally:
            svc.close()
    dates = [str(r.get("publication_date") or r.get("grant_date") or "") for r in rows.values()]
    newest = max((d for d in dates if len(d) >= 10), default="")
    if not rows or not newest:
        raise InputError(
            "no dated patent documents in the files",
            errors=[{"field": "publication_date", "message": "no document has one"}],
        )
    return rows, dt.date.fromisoformat(newest[:10])


def eval_value(
    paths: list[Path], settings: Settings, *, label: str = "cites", split_year: int | None = None
) -> dict[str, Any]:
    """Ingest ``paths`` into a temporary store and evaluate the value models (see module doc)."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    drop = excluded(label)
    t0 = time.perf_counter()
    rows, cutoff = _load(paths)
    print(f"loaded {len(rows):,} documents; data cut-off {cutoff}", file=sys.stderr)
    inds = extract_many(rows, cutoff)
    src = LABEL_KINDS[label][0]
    if not any(i.values.get(src) is not None for i in inds):
        raise InputError(
            f"no document carries {src} (field $.{'cited_by_count' if label == 'cites' else src}): "
            "the label cannot be built from these files",
            errors=[{"field": src, "message": "missing"}],
        )
    ref = Reference.build(inds, cutoff)
    full = score(inds, ref)
    indicator = score(inds, ref, exclude=drop).scores
    pct, y = proxy_label(inds, label, cutoff.year)
    years = np.array([np.nan if i.year is None else i.year for i in inds], dtype=float)
    lab = ~np.isnan(y)
    if lab.sum() < 50:
        raise InputError(
            f"only {int(lab.sum())} documents could be labelled (cohorts of >= 30 documents, filed >= 3 "
            "years before the data's newest publication): give more files",
            errors=[{"field": src, "message": "too few labelled documents"}],
        )
    split = split_year if split_year is not None else default_split(years[lab])
    train, test = lab & (years <= split), lab & (years > split)
    if train.sum() < 20 or test.sum() < 20 or len(set(y[test])) < 2:
        raise InputError(
            f"split year {split} leaves {int(train.sum())} training and {int(test.sum())} test documents "
            "(need >= 20 each, both classes in test): choose another --split-year",
            errors=[{"field": "split_year", "message": "unusable split"}],
        )
    y_train = np.where(train, y, np.nan)
    logit = fit_logistic(full, y_train, label)
    p_log = logit.predict(full)
    feats = [
        k
        for k, n in enumerate(full.names)  # a feature no training document has cannot be binned
        if n not in drop and np.any(~np.isnan(full.sub[train, k]))
    ]
    gb = HistGradientBoostingClassifier(
        max_iter=200,
        learning_rate=0.05,
        max_leaf_nodes=15,
        l2_regularization=1.0,
        early_stopping=False,
        random_state=0,
    )
    gb.fit(full.sub[train][:, feats], y[train])
    p_gb = gb.predict_proba(full.sub[:, feats])[:, 1]
    base_name = BASELINE[label]
    base = full.sub[:, full.names.index(base_name)]
    base_filled = np.where(
        np.isnan(base), np.nanmedian(base[train]) if np.any(~np.isnan(base[train])) else 0.5, base
    )
    models = {"indicator": indicator, "logistic": p_log, "gradient_boosting": p_gb, "baseline": base_filled}
    res = {name: _metrics(p[test], y[test], pct[test]) for name, p in models.items()}
    res_train = {name: _metrics(p[train], y[train], pct[train])["auc"] for name, p in models.items()}
    coverage = {n: round(float(np.mean(~np.isnan(full.sub[lab, k]))), 3) for k, n in enumerate(full.names)}
    return {
        "label": label,
        "label_definition": f"top {int(100 * 0.25)}% of cohort (country x filing year) by {src}, "
        f"cohorts filed <= {cutoff.year - 3}",
        "files": [str(p) for p in paths],
        "documents": len(inds),
        "data_cutoff": str(cutoff),
        "labelled": int(lab.sum()),
        "split_year": split,
        "train": {
            "documents": int(train.sum()),
            "positives": int(y[train].sum()),
            "years": [int(np.nanmin(years[train])), int(np.nanmax(years[train]))],
        },
        "test": {
            "documents": int(test.sum()),
            "positives": int(y[test].sum()),
            "years": [int(np.nanmin(years[test])), int(np.nanmax(years[test]))],
        },
        "excluded_indicators": list(drop),
        "baseline_indicator": base_name,
        "feature_coverage_labelled": coverage,
        "train_auc": res_train,
        "logistic_coefficients": {k: round(v, 4) for k, v in zip(logit.features, logit.coef, strict=False)},
        "models": res,
        "seconds": round(time.perf_counter() - t0, 1),
    }
