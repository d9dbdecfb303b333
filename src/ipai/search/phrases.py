"""Phrase similarity for patent terms ("abatement" ≈ "abatement of pollution" in class A47),
learned from the USPTO Phrase-to-Phrase Matching set.

:class:`PhraseModel` is a gradient-boosted regressor over pair features
(:mod:`ipai.search.features`: encoder cosine, word alignment, lexical overlap, closeness to the
CPC class title) plus the target phrase's place in the embedding space (its first principal
components, fitted on the training phrases). Two regressors are kept: one with the context
features, used when a pair's class has a title, and one without, used otherwise.

Evaluation rule: train nothing on the file you evaluate. :func:`ipai.evals.pppm.evaluate_pppm` trains on the
shared train file minus every anchor of the evaluated file, or, when that removes most of it (the
evaluated file *is* the training file), reports 5-fold out-of-fold scores grouped by anchor.
"""

from __future__ import annotations

import csv
import json
import logging
import os
import pickle
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ipai.errors import FormatError, InputError, RecordError
from ipai.search.features import (
    ALL_FEATURES,
    BASE_FEATURES,
    CACHE,
    EmbeddingCache,
    class_code,
    featurize,
    load_class_titles,
    normalize,
    phrase_vectors,
)
from ipai.settings import Settings

log = logging.getLogger(__name__)

FORMAT = "ipai-phrase-model"
VERSION = 1  # bump when features or the file layout change; older files are refused
MODEL_FILE = f"phrases-v{VERSION}.pkl"
N_COMPONENTS = 8  # principal components of the target phrase vector added as features
PC_FEATURES = tuple(f"target_pc{i + 1}" for i in range(N_COMPONENTS))
FOLDS = 5

# Chosen once by 5-fold GroupKFold (groups = anchor) on the shared train file (27,113 pairs),
# out-of-fold Pearson, before any evaluation run; not tuned per call. Grid (partly factorial):
# learning_rate {0.05, 0.1} × max_iter {150, 250, 400, 600} × max_leaf_nodes {15, 31, 63} ×
# l2_regularization {0, 1} × min_samples_leaf {20, 50}. The surface is flat: 0.692-0.698 with the
# target components (0.675-0.681 without them); this cell scored 0.696, within 0.002 of the best,
# and is cheap to fit. Early stopping is off so that the model does not depend on a random
# validation split (and behaves the same on small and large training sets).
HGB_PARAMS: dict[str, Any] = {
    "learning_rate": 0.05,
    "max_iter": 250,
    "max_leaf_nodes": 31,
    "min_samples_leaf": 50,
    "l2_regularization": 1.0,
    "early_stopping": False,
    "random_state": 0,
}


@dataclass(frozen=True)
class Pair:
    """One phrase pair; ``context`` is a CPC class like ``A47``, ``score`` the 0-1 label."""

    anchor: str
    target: str
    context: str | None = None
    score: float | None = None


# ---- reading -----------------------------------------------------------------------------


def read_pairs(csv_path: Path | str) -> list[Pair]:
    """Pairs of a PPPM-format CSV (id, anchor, target, context[, score]), read as a stream."""
    path = Path(csv_path)
    if not path.is_file():
        raise FormatError(f"pairs file not found: {path}", file=str(path))
    pairs: list[Pair] = []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        n = 0
        try:
            header = [h.strip().lower() for h in next(reader, [])]
            missing = [c for c in ("anchor", "target") if c not in header]
            if missing:
                raise FormatError(
                    f"{path.name}: not a phrase-pair CSV, no column(s) "
                    f"{', '.join(missing)} in header {header}",
                    file=str(path),
                )
            col = {name: i for i, name in enumerate(header)}
            for n, row in enumerate(reader, start=1):
                if not row or not any(v.strip() for v in row):
                    continue
                pairs.append(_pair(row, n, reader.line_num, col, path))
        except UnicodeDecodeError as exc:
            raise FormatError(f"{path.name}: not UTF-8 text ({exc})", file=str(path)) from exc
        except csv.Error as exc:
            name = f"row {n + 1}, line {reader.line_num}"
            raise RecordError(f"{path.name}: {name}: {exc}", file=str(path), record=name) from exc
    return pairs


def _pair(row: list[str], n: int, line: int, col: dict[str, int], path: Path) -> Pair:
    """One CSV row as a Pair, or a RecordError naming the row."""

    def broken(reason: str) -> RecordError:
        rid = row[col["id"]] if "id" in col and col["id"] < len(row) else ""
        name = f"row {n}" + (f" ({rid})" if rid else "") + f", line {line}"
        return RecordError(f"{path.name}: {name}: {reason}", file=str(path), record=name)

    if len(row) != len(col):
        raise broken(f"{len(row)} fields, the header has {len(col)}")
    anchor, target = row[col["anchor"]].strip(), row[col["target"]].strip()
    if not anchor or not target:
        raise broken("empty anchor or target")
    context = row[col["context"]].strip() or None if "context" in col else None
    score = None
    if "score" in col and row[col["score"]].strip():
        try:
            score = float(row[col["score"]])
        except ValueError:
            raise broken(f"score {row[col['score']]!r} is not a number") from None
        if not 0.0 <= score <= 1.0:
            raise broken(f"score {score} is outside 0-1")
    return Pair(anchor, target, context, score)


def pair_scores(pairs: Sequence[Pair], what: str) -> np.ndarray:
    """The labels of pairs that must all have one."""
    bad = next((i for i, p in enumerate(pairs) if p.score is None), None)
    if bad is not None:
        raise InputError(
            f"{what}: pair {bad + 1} ({pairs[bad].anchor!r} / {pairs[bad].target!r}) has no score"
        )
    return np.array([p.score for p in pairs], dtype=np.float64)


def default_titles(settings: Settings | None = None) -> dict[str, str]:
    """Class titles from the shared IPC scheme (empty, with a warning, if it is missing)."""
    from ipai.settings import load_settings

    path = (settings or load_settings()).shared_data / "ipc-scheme" / "all_ipc.tsv"
    try:
        return load_class_titles(path)
    except FormatError as exc:
        log.warning("phrase model without class titles: %s", exc.message)
        return {}


# ---- the model ---------------------------------------------------------------------------


def _one_thread() -> Any:
    """Boosting on one OpenMP thread: barely slower alone (1.0 s vs 0.7 s for 27k pairs) and
    many times faster when other processes share the cores (spinning OpenMP barriers)."""
    from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]  # ships no type information

    return threadpool_limits(1, user_api="openmp")


@dataclass
class _Design:
    """Features of a batch of pairs: the full matrix, target vectors, which rows have a class."""

    X: np.ndarray
    targets: np.ndarray
    has_ctx: np.ndarray


class PhraseModel:
    """Learned 0-1 similarity of two patent phrases, optionally in a CPC class."""

    def __init__(
        self,
        titles: dict[str, str] | None = None,
        params: dict[str, Any] | None = None,
        cache: EmbeddingCache | None = None,
    ) -> None:
        self.titles = default_titles() if titles is None else dict(titles)
        self.params = dict(HGB_PARAMS if params is None else params)
        self.cache = cache or CACHE
        self.ctx_model: Any = None
        self.base_model: Any = None
        self.pca_mean: np.ndarray | None = None
        self.pca_components: np.ndarray | None = None
        self.train_pairs = 0

    # features ---------------------------------------------------------------------------
    def design(self, pairs: Sequence[Pair]) -> _Design:
        """Featurise pairs (each unique phrase and word is encoded once)."""
        anchors = [p.anchor for p in pairs]
        targets = [p.target for p in pairs]
        X = featurize(anchors, targets, [p.context for p in pairs], self.titles, self.cache)
        has_ctx = np.array([class_code(p.context) in self.titles for p in pairs], dtype=bool)
        return _Design(X, phrase_vectors(targets, self.cache), has_ctx)

    def _with_pcs(self, X: np.ndarray, targets: np.ndarray) -> np.ndarray:
        assert self.pca_mean is not None and self.pca_components is not None, "PCA not fitted"
        pcs = (targets - self.pca_mean) @ self.pca_components.T
        return np.hstack([X, pcs])

    # fit / predict ----------------------------------------------------------------------
    def fit(self, pairs: Sequence[Pair], context_free: bool = True) -> PhraseModel:
        """Fit on scored pairs; ``context_free=False`` skips the regressor for pairs without a
        known class (evaluations whose pairs all have one). Returns self."""
        y = pair_scores(pairs, "training pairs")
        if len(pairs) < 20:
            raise InputError(f"too few training pairs ({len(pairs)}); need at least 20")
        return self.fit_design(self.design(pairs), y, pairs, context_free)

    def fit_design(
        self, d: _Design, y: np.ndarray, pairs: Sequence[Pair], context_free: bool = True
    ) -> PhraseModel:
        """Fit on already computed features (lets cross-fitting featurise once)."""
        from sklearn.ensemble import HistGradientBoostingRegressor

        uniq = list(dict.fromkeys(t for p in pairs for t in (p.anchor, p.target)))
        self._fit_pca(phrase_vectors(uniq, self.cache))
        Xf = self._with_pcs(d.X, d.targets)
        k = len(BASE_FEATURES)
        base_cols = np.r_[0:k, len(ALL_FEATURES) : Xf.shape[1]]
        with _one_thread():
            self.base_model = (
                HistGradientBoostingRegressor(**self.params).fit(Xf[:, base_cols], y)
                if context_free
                else None
            )
            self.ctx_model = HistGradientBoostingRegressor(**self.params).fit(Xf, y)
        self.train_pairs = len(y)
        return self

    def _fit_pca(self, vecs: np.ndarray) -> None:
        """Principal axes of the training phrases (covariance eigenvectors, signs fixed)."""
        vecs = vecs.astype(np.float64)
        self.pca_mean = vecs.mean(axis=0)
        centred = vecs - self.pca_mean
        _, eigvecs = np.linalg.eigh(centred.T @ centred)  # ascending eigenvalues
        comps = eigvecs[:, ::-1][:, :N_COMPONENTS].T
        signs = np.sign(comps[np.arange(len(comps)), np.abs(comps).argmax(axis=1)])
        self.pca_components = (comps * signs[:, None]).astype(np.float32)

    def predict(self, pairs: Sequence[Pair]) -> np.ndarray:
        """Similarity in [0, 1] for each pair."""
        self._require_fitted()
        out = np.zeros(len(pairs), dtype=np.float64)
        step = 50_000  # bounds the feature matrices' memory
        for s in range(0, len(pairs), step):
            out[s : s + step] = self.predict_design(self.design(pairs[s : s + step]))
        return out

    def predict_design(self, d: _Design) -> np.ndarray:
        """Predictions for already computed features."""
        self._require_fitted()
        Xf = self._with_pcs(d.X, d.targets)
        k = len(BASE_FEATURES)
        base_cols = np.r_[0:k, len(ALL_FEATURES) : Xf.shape[1]]
        out = np.zeros(len(Xf), dtype=np.float64)
        with _one_thread():
            if d.has_ctx.any():
                out[d.has_ctx] = self.ctx_model.predict(Xf[d.has_ctx])
            if (~d.has_ctx).any() and self.base_model is not None:
                out[~d.has_ctx] = self.base_model.predict(Xf[~d.has_ctx][:, base_cols])
            elif (~d.has_ctx).any():  # fitted without it: context columns are NaN here
                out[~d.has_ctx] = self.ctx_model.predict(Xf[~d.has_ctx])
        return np.clip(out, 0.0, 1.0)

    def similarity(self, a: str, b: str, context: str | None = None) -> float:
        """Similarity of one pair; without a known class the context-free regressor answers."""
        return float(self.predict([Pair(a, b, context)])[0])

    def _require_fitted(self) -> None:
        if self.ctx_model is None:
            raise InputError("phrase model is not fitted: call fit() or load a saved model")

    # persistence ------------------------------------------------------------------------
    def header(self) -> dict[str, Any]:
        """The JSON header written in front of a saved model."""
        import sklearn

        return {
            "format": FORMAT,
            "version": VERSION,
            "features": list(ALL_FEATURES + PC_FEATURES),
            "context_free_features": list(BASE_FEATURES + PC_FEATURES),
            "params": self.params,
            "train_pairs": self.train_pairs,
            "sklearn": sklearn.__version__,
        }

    def save(self, path: Path | str) -> Path:
        """Write the model atomically: one JSON header line, then the pickled regressors."""
        self._require_fitted()
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        body = {
            "ctx_model": self.ctx_model,
            "base_model": self.base_model,
            "pca_mean": self.pca_mean,
            "pca_components": self.pca_components,
            "titles": self.titles,
        }
        tmp = path.with_name(path.name + f".tmp{os.getpid()}")
        with tmp.open("wb") as fh:
            fh.write(json.dumps(self.header()).encode("utf-8") + b"\n")
            pickle.dump(body, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        return path

    @classmethod
    def load(cls, path: Path | str, cache: EmbeddingCache | None = None) -> PhraseModel:
        """Read a model written by :meth:`save`; files of another format version are refused."""
        path = Path(path)
        if not path.is_file():
            raise FormatError(f"phrase model not found: {path}", file=str(path))
        with path.open("rb") as fh:
            try:
                head = json.loads(fh.readline(65536).decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                head = None
            if not isinstance(head, dict) or head.get("format") != FORMAT:
                raise FormatError(f"{path} is not an ipai phrase model", file=str(path))
            if head.get("version") != VERSION:
                raise FormatError(
                    f"{path} is a phrase model of version {head.get('version')}; this ipai reads "
                    f"version {VERSION} only: retrain it (train_phrase_model)",
                    file=str(path),
                )
            body = pickle.load(fh)  # a file from the user's own home, written by save()
        import sklearn

        if head.get("sklearn") != sklearn.__version__:
            log.warning(
                "%s was saved with scikit-learn %s, running %s",
                path,
                head.get("sklearn"),
                sklearn.__version__,
            )
        model = cls(titles=body["titles"], params=head.get("params"), cache=cache)
        model.ctx_model, model.base_model = body["ctx_model"], body["base_model"]
        model.pca_mean, model.pca_components = body["pca_mean"], body["pca_components"]
        model.train_pairs = int(head.get("train_pairs", 0))
        return model


# ---- cross-fitting (out-of-fold scores; ``ipai eval pppm`` uses them) -------------------


def cross_fit(
    pairs: Sequence[Pair], titles: dict[str, str], folds: int = FOLDS, params: dict[str, Any] | None = None
) -> tuple[np.ndarray, _Design]:
    """Out-of-fold predictions, GroupKFold by anchor (each fold scored by a model of the rest)."""
    from sklearn.model_selection import GroupKFold

    y = pair_scores(pairs, "pairs")
    groups = np.array([normalize(p.anchor) for p in pairs])
    k = min(folds, len(set(groups)))
    if k < 2:
        raise InputError("cross-fitting needs pairs of at least two different anchors")
    probe = PhraseModel(titles, params)
    d = probe.design(pairs)
    oof = np.zeros(len(pairs))
    for tr, te in GroupKFold(n_splits=k).split(d.X, y, groups):
        sub = _Design(d.X[tr], d.targets[tr], d.has_ctx[tr])
        model = PhraseModel(titles, params).fit_design(
            sub, y[tr], [pairs[i] for i in tr], context_free=not d.has_ctx.all()
        )
        oof[te] = model.predict_design(_Design(d.X[te], d.targets[te], d.has_ctx[te]))
    return oof, d


# ---- the shipped model -------------------------------------------------------------------


def model_path(settings: Settings) -> Path:
    """Where the trained phrase model lives: ``<home>/models/phrases-v1.pkl``."""
    return settings.home / "models" / MODEL_FILE


def train_phrase_model(settings: Settings) -> Path:
    """Fit on the whole shared PPPM train file and save under the home; returns the path."""
    pairs = read_pairs(settings.shared_data / "uspto-pppm" / "train.csv")
    model = PhraseModel(default_titles(settings)).fit(pairs)
    path = model.save(model_path(settings))
    _LOADED.pop(str(path), None)
    return path


_LOADED: dict[str, tuple[float, PhraseModel]] = {}


def load_phrase_model(settings: Settings) -> PhraseModel:
    """The saved phrase model, trained first if it is missing (works offline on a fresh home)."""
    path = model_path(settings)
    if not path.is_file():
        log.info("training the phrase model (first use): %s", path)
        train_phrase_model(settings)
    mtime = path.stat().st_mtime
    hit = _LOADED.get(str(path))
    if hit and hit[0] == mtime:
        return hit[1]
    model = PhraseModel.load(path)
    _LOADED[str(path)] = (mtime, model)
    return model
