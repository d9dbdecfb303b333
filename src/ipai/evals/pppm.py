"""``ipai eval pppm``: phrase similarity against human scores (Pearson, Spearman), never trained
on the evaluated file (:mod:`ipai.search.phrases` holds the model and its cross-fitting)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np

from ipai.errors import InputError
from ipai.search.features import normalize
from ipai.search.phrases import (
    FOLDS,
    VERSION,
    PhraseModel,
    cross_fit,
    default_titles,
    pair_scores,
    read_pairs,
)
from ipai.settings import Settings


def _corr(pred: np.ndarray, y: np.ndarray) -> tuple[float | None, float | None]:
    """Pearson and Spearman, None where undefined (constant input)."""
    from scipy.stats import pearsonr, spearmanr

    if len(y) < 2 or np.ptp(pred) == 0 or np.ptp(y) == 0:
        return None, None
    return round(float(pearsonr(pred, y)[0]), 4), round(float(spearmanr(pred, y)[0]), 4)


def evaluate_pppm(
    pairs_csv: Path | str, train_csv: Path | str | None = None, settings: Settings | None = None
) -> dict[str, Any]:
    """Pearson/Spearman of the phrase model on a scored PPPM file, never trained on that file.

    Training data: ``train_csv`` or the shared PPPM train file, minus every pair whose anchor
    occurs in the evaluated file (``mode: anchor-disjoint``). If that drops more than half of it,
    the evaluated file is the training file: 5-fold out-of-fold scores grouped by anchor
    (``mode: cross-fitted``; ``train_pairs`` is then the evaluated file's size, of which each
    fold's model saw about 4/5).
    """
    from ipai.settings import load_settings

    t0 = time.perf_counter()
    settings = settings or load_settings()
    pairs_csv = Path(pairs_csv)
    train_path = Path(train_csv) if train_csv else settings.shared_data / "uspto-pppm" / "train.csv"
    pairs = read_pairs(pairs_csv)
    if not pairs:
        raise InputError(f"{pairs_csv}: no pairs to evaluate")
    y = pair_scores(pairs, str(pairs_csv))
    train = read_pairs(train_path)
    titles = default_titles(settings)
    anchors = {normalize(p.anchor) for p in pairs}
    kept = [p for p in train if normalize(p.anchor) not in anchors]
    result: dict[str, Any] = {"pairs": len(pairs)}
    if len(kept) < len(train) / 2:
        pred, d = cross_fit(pairs, titles)
        k = min(FOLDS, len(anchors))
        extra = {"mode": "cross-fitted", "folds": k, "train_pairs": len(pairs), "train_file": str(pairs_csv)}
    else:
        model = PhraseModel(titles)
        d = model.design(pairs)
        model.fit(kept, context_free=not d.has_ctx.all())
        pred = model.predict_design(d)
        extra = {
            "mode": "anchor-disjoint",
            "train_pairs": len(kept),
            "dropped_train_pairs": len(train) - len(kept),
            "train_file": str(train_path),
        }
    result["pearson"], result["spearman"] = _corr(pred, y)
    result["zero_shot_pearson"], result["zero_shot_spearman"] = _corr(d.X[:, 0], y)
    result.update(extra)
    result["model_version"] = VERSION
    result["seconds"] = round(time.perf_counter() - t0, 1)
    return result
