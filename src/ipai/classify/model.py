"""The classifier: fit on labelled texts, suggest subclasses (and main groups) with confidences,
save to and load from one versioned ``.npz`` file (plain arrays and JSON, no pickle)."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from ipai.classify import krr
from ipai.classify.calibrate import N_CAND, Calibrator, candidates, decide, fit_calibrator, label_stats
from ipai.classify.text import Encoder, Tfidf, analyze, embed
from ipai.errors import FormatError, InputError
from ipai.text.inputs import check_text

FORMAT = "ipai-classify"
FORMAT_VERSION = 1
MAX_DOCS = 8000  # exact kernel ridge: memory grows as n² (7,800 titles peak at 1.6 GB while training)
MIN_GROUP_DOCS = 3
GROUP_MIN_SCORE = 0.05
Note = Callable[[str], None]


@dataclass
class GroupSuggestion:
    """A main group under a suggested subclass; ``score`` is the kernel-ridge estimate (0-1)."""

    code: str
    score: float
    title: str | None = None


@dataclass
class Suggestion:
    """A suggested subclass: calibrated ``confidence`` that it is right, ``predicted`` when it is
    in the decided label set (the best label always is)."""

    code: str
    confidence: float
    predicted: bool
    title: str | None = None
    groups: list[GroupSuggestion] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict (``title`` and ``groups`` included, possibly empty)."""
        return asdict(self)


def main_group(code: str) -> str | None:
    """``G06N3/04`` → ``G06N3/00``; ``None`` for a bare subclass."""
    head, sep, _ = code.partition("/")
    return f"{head}/00" if sep and len(head) > 4 else None


def _stratified(label_lists: Sequence[Sequence[str]], limit: int, seed: int) -> np.ndarray:
    """Row indices of a sample of ``limit`` rows that keeps every label (rarest first)."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(label_lists))
    seen: dict[str, int] = {}
    first: list[int] = []
    for i in order:
        if any(seen.get(lab, 0) < 5 for lab in label_lists[i]):
            first.append(int(i))
            for lab in label_lists[i]:
                seen[lab] = seen.get(lab, 0) + 1
    chosen = set(first[:limit])
    rest = [int(i) for i in order if int(i) not in chosen]
    return np.sort(np.array(list(chosen) + rest[: limit - len(chosen)], dtype=np.int64))


class Classifier:
    """IPC/CPC subclass suggestions from kernel ridge regression, calibrated by CV."""

    wg: np.ndarray | None  # main-group weights and means (None when trained without groups)
    gmean: np.ndarray | None

    def __init__(
        self, encoder: Encoder | None = None, folds: int = 3, max_docs: int = MAX_DOCS, seed: int = 0
    ) -> None:
        self.encoder = encoder
        self.folds, self.max_docs, self.seed = folds, max_docs, seed
        self.labels: list[str] = []
        self.groups: list[str] = []
        self.titles: dict[str, str] = {}
        self.meta: dict[str, Any] = {}

    # ---- training ----------------------------------------------------------------------------
    def fit(
        self,
        texts: Sequence[str],
        label_lists: Sequence[Sequence[str]],
        group_lists: Sequence[Sequence[str]] | None = None,
        *,
        titles: dict[str, str] | None = None,
        min_docs: int = 1,
        note: Note | None = None,
        extra_meta: dict | None = None,
    ) -> Classifier:
        """Train on texts and their label lists (subclasses); ``group_lists`` adds main groups."""
        started = dt.datetime.now(dt.UTC)
        say = note or (lambda _m: None)
        if len(texts) != len(label_lists) or (group_lists is not None and len(group_lists) != len(texts)):
            raise InputError("texts and label lists differ in length")
        counts: dict[str, int] = {}
        for labs in label_lists:
            for lab in set(labs):
                counts[lab] = counts.get(lab, 0) + 1
        keep = {lab for lab, c in counts.items() if c >= min_docs}
        rows = [
            i
            for i, (t, labs) in enumerate(zip(texts, label_lists, strict=False))
            if t and t.strip() and keep.intersection(labs)
        ]
        if len(rows) < 2 * self.folds or len(keep) < 2:
            raise InputError(
                f"too little labelled text to train: {len(rows)} documents, {len(keep)} labels "
                f"with at least {min_docs} documents"
            )
        sampled = len(rows) > self.max_docs
        if sampled:
            pick = _stratified([list(label_lists[i]) for i in rows], self.max_docs, self.seed)
            rows = [rows[i] for i in pick]
            say(f"training on a stratified sample of {len(rows):,} documents (max_docs)")
        docs = [texts[i] for i in rows]
        self.labels = sorted({lab for i in rows for lab in label_lists[i] if lab in keep})
        lid = {lab: j for j, lab in enumerate(self.labels)}
        y = np.zeros((len(rows), len(self.labels)), dtype=np.float32)
        for r, i in enumerate(rows):
            for lab in label_lists[i]:
                if lab in lid:
                    y[r, lid[lab]] = 1.0
        yg = self._group_matrix(rows, group_lists)

        say(f"analysing {len(docs):,} texts")
        self.tfidf = Tfidf()
        self.tf = self.tfidf.fit_transform([analyze(t) for t in docs])
        say(f"encoding {len(docs):,} texts with the multilingual sentence encoder")
        self.emb = embed(
            docs,
            self.encoder,
            progress=(lambda d: say(f"encoded {d:,}/{len(docs):,}")) if len(docs) > 5000 else None,
        )
        grams = krr.Grams.of(self.tf, self.emb)
        self.params, oof, trials = krr.tune(grams, y, folds=self.folds, seed=self.seed, note=say)
        self.prior, self.co = label_stats(y)
        self.cal, cal_info = fit_calibrator(oof, y, self.prior, self.co)
        say(f"chosen alpha={self.params.alpha} lambda={self.params.lam}; threshold {self.cal.threshold}")
        k = grams.kernel(self.params)
        del grams
        rhs = y if yg is None else np.hstack([y, yg])
        w, mean = krr.solve(k, rhs, self.params.lam, overwrite=True)
        self.w, self.mean = w[:, : len(self.labels)], mean[: len(self.labels)]
        self.wg, self.gmean = (
            (w[:, len(self.labels) :], mean[len(self.labels) :]) if yg is not None else (None, None)
        )
        wanted = set(self.labels) | set(self.groups)
        self.titles = {c: t for c, t in (titles or {}).items() if c in wanted}
        from ipai import __version__

        self.meta = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "ipai_version": __version__,
            "trained": started.isoformat(timespec="seconds"),
            "seconds": round((dt.datetime.now(dt.UTC) - started).total_seconds(), 1),
            "documents": len(rows),
            "sampled": sampled,
            "labels": len(self.labels),
            "groups": len(self.groups),
            "min_docs": min_docs,
            "vocabulary": len(self.tfidf.vocab),
            "encoder": "use-multilingual-v3",
            "kernel": self.params.as_dict(),
            "cv_folds": self.folds,
            "cv_trials": trials,
            "calibration": cal_info,
            **(extra_meta or {}),
        }
        return self

    def _group_matrix(
        self, rows: list[int], group_lists: Sequence[Sequence[str]] | None
    ) -> np.ndarray | None:
        """Main-group label matrix when enough documents carry groups, else ``None``."""
        self.groups = []
        if group_lists is None:
            return None
        per_row = [{g for g in (main_group(c) or c for c in group_lists[i]) if "/" in g} for i in rows]
        counts: dict[str, int] = {}
        for gs in per_row:
            for g in gs:
                counts[g] = counts.get(g, 0) + 1
        if sum(1 for gs in per_row if gs) < 50:
            return None
        self.groups = sorted(g for g, c in counts.items() if c >= MIN_GROUP_DOCS)
        if not self.groups:
            return None
        gid = {g: j for j, g in enumerate(self.groups)}
        yg = np.zeros((len(rows), len(self.groups)), dtype=np.float32)
        for r, gs in enumerate(per_row):
            for g in gs:
                if g in gid:
                    yg[r, gid[g]] = 1.0
        return yg

    # ---- prediction --------------------------------------------------------------------------
    def _require_fitted(self) -> None:
        if not self.labels:
            raise InputError("the classifier is not trained: call fit() or load a model file")

    def scores(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Raw subclass scores and the query-by-training kernel (for group scores)."""
        self._require_fitted()
        clean = [check_text(t) for t in texts]
        tf_q = self.tfidf.transform(analyze(t) for t in clean)
        emb_q = embed(clean, self.encoder)
        kq = krr.cross_kernel(tf_q, emb_q, self.tf, self.emb, self.params)
        return krr.predict(kq, self.w, self.mean), kq

    def predict(self, texts: Sequence[str], top: int = 5) -> list[list[Suggestion]]:
        """Up to ``top`` suggestions per text, best first, each with a calibrated confidence."""
        if not 1 <= top <= 50:
            raise InputError(f"top must be between 1 and 50, not {top}")
        if not texts:
            return []
        s, kq = self.scores(texts)
        order, feats = candidates(s, self.prior, self.co, n_cand=max(top, N_CAND))
        proba = self.cal.proba(feats)
        by_p = np.argsort(-proba, axis=1, kind="stable")  # rank by calibrated probability
        order, proba = np.take_along_axis(order, by_p, axis=1), np.take_along_axis(proba, by_p, axis=1)
        chosen = decide(proba, self.cal.threshold)
        gs = krr.predict(kq, self.wg, self.gmean) if self.wg is not None and self.gmean is not None else None
        out: list[list[Suggestion]] = []
        for i in range(len(texts)):
            row = []
            for j in range(min(top, order.shape[1])):
                code = self.labels[order[i, j]]
                row.append(
                    Suggestion(
                        code=code,
                        confidence=round(float(proba[i, j]), 4),
                        predicted=bool(chosen[i, j]),
                        title=self.titles.get(code),
                        groups=self._groups_of(code, gs[i]) if gs is not None else [],
                    )
                )
            out.append(row)
        return out

    def _groups_of(self, subclass: str, gscores: np.ndarray, limit: int = 3) -> list[GroupSuggestion]:
        idx = [j for j, g in enumerate(self.groups) if g.startswith(subclass)]
        idx = sorted(idx, key=lambda j: -gscores[j])[:limit]
        return [
            GroupSuggestion(
                self.groups[j],
                round(float(min(max(gscores[j], 0.0), 1.0)), 4),
                self.titles.get(self.groups[j]),
            )
            for j in idx
            if gscores[j] >= GROUP_MIN_SCORE
        ]

    # ---- persistence -------------------------------------------------------------------------
    def save(self, path: str | Path) -> Path:
        """Write the model file (atomic replace); returns its path."""
        self._require_fitted()
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        arrays = {
            "meta": np.array(json.dumps(self.meta, ensure_ascii=False)),
            "titles": np.array(json.dumps(self.titles, ensure_ascii=False)),
            "labels": np.array(self.labels, dtype=str),
            "groups": np.array(self.groups, dtype=str),
            "vocab": np.array(self.tfidf.vocab, dtype=str),
            "idf": self.tfidf.idf,
            "tf_data": self.tf.data,
            "tf_indices": self.tf.indices,
            "tf_indptr": self.tf.indptr,
            "emb": self.emb,
            "w": self.w,
            "mean": self.mean,
            "prior": self.prior,
            "co": self.co,
            "kernel": np.array(
                [self.params.alpha, self.params.lam, self.params.gamma_terms, self.params.gamma_sentence],
                dtype=np.float64,
            ),
            **self.cal.to_arrays(),
        }
        if self.wg is not None:
            arrays.update(wg=self.wg, gmean=self.gmean)
        tmp = path.with_name(path.name + ".tmp")
        with tmp.open("wb") as fh:
            np.savez_compressed(fh, **arrays)
        os.replace(tmp, path)
        return path

    @classmethod
    def load(cls, path: str | Path, encoder: Encoder | None = None) -> Classifier:
        """Read a model file; :class:`FormatError` for another format version or a broken file."""
        path = Path(path)
        try:
            with np.load(path, allow_pickle=False) as f:
                a = {k: f[k] for k in f.files}
            meta = json.loads(str(a["meta"]))
        except (OSError, ValueError, KeyError) as exc:
            raise FormatError(
                f"{path} is not a readable ipai classifier model: {exc}", file=str(path)
            ) from exc
        if meta.get("format") != FORMAT:
            raise FormatError(f"{path} is not an ipai classifier model", file=str(path))
        if meta.get("format_version") != FORMAT_VERSION:
            raise FormatError(
                f"{path} has classifier format version {meta.get('format_version')} (written by ipai "
                f"{meta.get('ipai_version')}); this ipai reads version {FORMAT_VERSION}: "
                "run `ipai classify train` again",
                file=str(path),
            )
        m = cls(encoder=encoder, folds=int(meta.get("cv_folds", 3)))
        m.meta, m.titles = meta, json.loads(str(a["titles"]))
        m.labels, m.groups = a["labels"].tolist(), a["groups"].tolist()
        m.tfidf = Tfidf(a["vocab"].tolist(), a["idf"])
        m.tf = sparse.csr_matrix(
            (a["tf_data"], a["tf_indices"], a["tf_indptr"]),
            shape=(len(a["tf_indptr"]) - 1, len(m.tfidf.vocab)),
        )
        m.emb, m.w, m.mean, m.prior, m.co = a["emb"], a["w"], a["mean"], a["prior"], a["co"]
        alpha, lam, gt, gs = (float(x) for x in a["kernel"])
        m.params = krr.KernelParams(alpha=alpha, lam=lam, gamma_terms=gt, gamma_sentence=gs)
        m.cal = Calibrator.from_arrays(a)
        m.wg, m.gmean = (a["wg"], a["gmean"]) if "wg" in a else (None, None)
        return m

    def info(self) -> dict[str, Any]:
        """Model metadata for JSON output (without the CV trial table)."""
        return {k: v for k, v in self.meta.items() if k not in ("cv_trials",)}
