"""``ipai eval ipc``: train on one labelled CSV, test on another (or on folds of one file).

CSV format (the shared ``cn-patent-titles-ipc/titles_ipc.csv``): ``patent_title``,
``true_subclasses_all`` (``|``-separated), ``fold`` (needed only to split one file), optionally
``publication_numbers`` and ``patent_abstract`` (appended to the title when present). A broken
row is reported with its row number and skipped.
"""

from __future__ import annotations

import csv
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ipai.classify.metrics import multilabel_metrics
from ipai.errors import FormatError, InputError
from ipai.model.classification import normalize_ipc
from ipai.text.inputs import MAX_CHARS

TEXT_COLS = ("patent_title", "title")
LABEL_COLS = ("true_subclasses_all", "subclasses", "labels")
_SUBCLASS = re.compile(r"^[A-HY]\d\d[A-Z]$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
Note = Callable[[str], None]


@dataclass
class Row:
    """One labelled row of an evaluation CSV."""

    line: int
    text: str
    labels: list[str]
    fold: int | None


def read_labelled_csv(path: Path, note: Note | None = None) -> tuple[list[Row], list[dict[str, Any]]]:
    """Rows of an evaluation CSV and the skipped rows (``{"row": n, "error": ...}``)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"CSV file not found: {path}")
    csv.field_size_limit(10_000_000)
    try:
        return _read(path, "utf-8-sig", note)
    except UnicodeDecodeError:
        try:
            return _read(path, "gb18030", note)
        except UnicodeDecodeError as exc:
            raise FormatError(f"{path} is neither UTF-8 nor GB18030 text: {exc}", file=str(path)) from exc


def _read(path: Path, encoding: str, note: Note | None) -> tuple[list[Row], list[dict[str, Any]]]:
    rows: list[Row] = []
    bad: list[dict[str, Any]] = []
    with path.open(encoding=encoding, newline="") as fh:
        reader = csv.reader(fh)
        header = [h.strip().lower() for h in next(reader, [])]
        col = {h: i for i, h in enumerate(header)}
        t_col = next((col[c] for c in TEXT_COLS if c in col), None)
        l_col = next((col[c] for c in LABEL_COLS if c in col), None)
        if t_col is None or l_col is None:
            raise FormatError(
                f"{path}: need columns patent_title and true_subclasses_all; found {header}", file=str(path)
            )
        a_col, f_col = col.get("patent_abstract"), col.get("fold")
        for n, cells in enumerate(reader, start=2):
            err = _row_error(cells, len(header), t_col, l_col, f_col)
            if err:
                bad.append({"row": n, "error": err})
                continue
            text = cells[t_col].strip()
            if a_col is not None and a_col < len(cells) and cells[a_col].strip():
                text = f"{text}\n{cells[a_col].strip()}"
            text = _CONTROL.sub(" ", text)[:MAX_CHARS]
            labels = sorted({_subclass(x) for x in cells[l_col].split("|") if x.strip()})
            fold = int(cells[f_col]) if f_col is not None and cells[f_col].strip() else None
            rows.append(Row(n, text, labels, fold))
    if note:
        for b in bad[:20]:
            note(f"{path.name} row {b['row']}: {b['error']} (skipped)")
        if len(bad) > 20:
            note(f"{path.name}: {len(bad) - 20} more broken rows skipped")
    return rows, bad


def _subclass(raw: str) -> str:
    """``G06F`` from ``g06f``, ``G06F 17/30`` or ``G06F0017300000``; empty when not a symbol."""
    code = normalize_ipc(raw.strip())
    return code[:4] if code and _SUBCLASS.match(code[:4]) else ""


def _row_error(cells: list[str], width: int, t_col: int, l_col: int, f_col: int | None) -> str | None:
    if len(cells) != width:
        return f"{len(cells)} cells, the header has {width}"
    if not cells[t_col].strip():
        return "empty title"
    labels = [x.strip() for x in cells[l_col].split("|") if x.strip()]
    if not labels:
        return "no labels"
    wrong = [x for x in labels if not _subclass(x)]
    if wrong:
        return f"not an IPC/CPC subclass: {wrong[0]!r}"
    if f_col is not None and cells[f_col].strip() and not cells[f_col].strip().isdigit():
        return f"fold is not a number: {cells[f_col]!r}"
    return None


def _folds(spec: str | None) -> set[int] | None:
    if spec is None or not str(spec).strip():
        return None
    try:
        return {int(x) for x in str(spec).split(",") if x.strip()}
    except ValueError as exc:
        raise InputError(f"folds must be numbers separated by commas, not {spec!r}") from exc


def split_rows(
    train: list[Row], test: list[Row], same_file: bool, train_folds: str | None, test_folds: str | None
) -> tuple[list[Row], list[Row]]:
    """Apply fold selections; on one file both selections are required and must not overlap."""
    tr_f, te_f = _folds(train_folds), _folds(test_folds)
    if same_file:
        if not tr_f or not te_f:
            raise InputError(
                "the same file is given for --train and --test: choose the split with "
                "--train-folds and --test-folds (e.g. 1,2,3 and 4)"
            )
        if tr_f & te_f:
            raise InputError(f"train and test folds overlap: {sorted(tr_f & te_f)}")
    if tr_f:
        train = [r for r in train if r.fold in tr_f]
    if te_f:
        test = [r for r in test if r.fold in te_f]
    if not train or not test:
        raise InputError(f"empty split: {len(train)} training rows, {len(test)} test rows")
    return train, test


def _svm_decisions(x_tr: Any, y: np.ndarray, x_te: Any) -> np.ndarray:
    """One-vs-rest LinearSVC (C=1) decision values; labels without a negative example score 0."""
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.svm import LinearSVC

    d = np.zeros((x_te.shape[0], y.shape[1]))
    live = (y.sum(axis=0) > 0) & (y.sum(axis=0) < len(y))
    if live.any():
        clf = OneVsRestClassifier(LinearSVC(C=1.0)).fit(x_tr, y[:, live])
        d[:, live] = np.asarray(clf.decision_function(x_te)).reshape(x_te.shape[0], -1)
    d[:, ~live] = np.where(y[:, ~live].sum(axis=0) > 0, 0.0, -10.0)
    return d


def _at_threshold(d: np.ndarray, t: float) -> np.ndarray:
    pred = d >= t
    pred[np.arange(len(d)), d.argmax(axis=1)] = True
    return pred


def baseline(train: Sequence[Row], test: Sequence[Row], folds: int = 3) -> dict[str, Any]:
    """TF-IDF (same terms) + one-vs-rest LinearSVC (C=1): labels with decision > 0, and the same
    model with "best label plus decision ≥ t", t chosen by k-fold CV on the training rows."""
    from sklearn.preprocessing import MultiLabelBinarizer

    from ipai.classify.krr import fold_ids
    from ipai.classify.text import Tfidf, analyze

    t0 = time.perf_counter()
    vec = Tfidf()
    x_tr = vec.fit_transform([analyze(r.text) for r in train])
    x_te = vec.transform(analyze(r.text) for r in test)
    mlb = MultiLabelBinarizer()
    y = mlb.fit_transform([r.labels for r in train])
    d = _svm_decisions(x_tr, y, x_te)
    truth = [set(r.labels) for r in test]
    classes = mlb.classes_
    ranked = [list(classes[np.argsort(-row)[:3]]) for row in d]
    at0 = multilabel_metrics(truth, [set(classes[row > 0]) for row in d], ranked)
    fid = fold_ids(len(train), folds)
    oof = np.zeros(y.shape)
    for f in range(folds):
        tr, va = np.flatnonzero(fid != f), np.flatnonzero(fid == f)
        oof[va] = _svm_decisions(x_tr[tr], y[tr], x_tr[va])
    grid = np.round(np.linspace(-1.5, 0.5, 41), 3)
    f1s = [
        2 * (_at_threshold(oof, t) & (y > 0)).sum() / (_at_threshold(oof, t).sum() + y.sum()) for t in grid
    ]
    t_cv = float(grid[int(np.argmax(f1s))])
    tuned = multilabel_metrics(truth, [set(classes[row]) for row in _at_threshold(d, t_cv)], ranked)
    return {
        "method": "tfidf-linearsvc-ovr, C=1, labels with decision > 0",
        **at0,
        "cv_threshold": {
            "method": f"same model, best label plus decision >= t, t by {folds}-fold CV on the training rows",
            "threshold": t_cv,
            **tuned,
        },
        "train_predict_s": round(time.perf_counter() - t0, 1),
    }


def eval_ipc(
    train_csv: Path,
    test_csv: Path,
    train_folds: str | None = None,
    test_folds: str | None = None,
    note: Note | None = None,
    with_baseline: bool = True,
) -> dict[str, Any]:
    """Train the classifier on one CSV, test on another; metrics, counts, baseline, timing."""
    from ipai.classify.model import Classifier

    say = note or (lambda _m: None)
    same = Path(train_csv).resolve() == Path(test_csv).resolve()
    tr_rows, tr_bad = read_labelled_csv(Path(train_csv), say)
    te_rows, te_bad = (tr_rows, tr_bad) if same else read_labelled_csv(Path(test_csv), say)
    train, test = split_rows(tr_rows, te_rows, same, train_folds, test_folds)
    say(f"train {len(train):,} rows, test {len(test):,} rows")
    t0 = time.perf_counter()
    model = Classifier().fit([r.text for r in train], [r.labels for r in train], note=say)
    t_fit = time.perf_counter() - t0
    t0 = time.perf_counter()
    sugg = model.predict([r.text for r in test], top=max(3, 5))
    t_pred = time.perf_counter() - t0
    pred = [{s.code for s in row if s.predicted} for row in sugg]
    ranked = [[s.code for s in row] for row in sugg]
    truth = [set(r.labels) for r in test]
    result: dict[str, Any] = {
        "task": "ipc-subclass",
        **multilabel_metrics(truth, pred, ranked),
        "counts": {
            "train_rows": len(train),
            "trained_rows": model.meta["documents"],
            "sampled": model.meta["sampled"],
            "test_rows": len(test),
            "train_labels": len(model.labels),
            "test_labels": len(set().union(*truth)),
            "test_label_assignments_unseen_in_training": sum(len(t - set(model.labels)) for t in truth),
            "skipped_rows": {"train": len(tr_bad), "test": 0 if same else len(te_bad)},
        },
        "model": {
            "kernel": model.meta["kernel"],
            "calibration": model.meta["calibration"],
            "cv_trials": model.meta["cv_trials"],
            "cv_folds": model.meta["cv_folds"],
        },
        "timing_s": {
            "train": round(t_fit, 1),
            "predict": round(t_pred, 1),
            "predict_ms_per_text": round(1000 * t_pred / len(test), 2),
        },
        "files": {
            "train": str(train_csv),
            "test": str(test_csv),
            "train_folds": train_folds,
            "test_folds": test_folds,
        },
    }
    if with_baseline:
        say("baseline: TF-IDF + LinearSVC, decision at 0")
        result["baseline"] = baseline(train, test)
    if tr_bad or (te_bad and not same):
        result["skipped"] = {"train": tr_bad[:50], "test": [] if same else te_bad[:50]}
    return result
