"""Training from the loaded corpus and finding the newest model: what the Service calls.

Model files live in ``<home>/models/classify-<scheme>-v<N>.npz``; ``N`` counts up with every
training of that scheme, the newest file (by training time) is the one used.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ipai.classify.model import MAX_DOCS, Classifier
from ipai.classify.text import document_text
from ipai.classify.titles import load_titles
from ipai.errors import InputError, NotFound

SCHEMES = ("ipc", "cpc", "any")
_NAME = re.compile(r"^classify-(ipc|cpc|any)-v(\d+)\.npz$")
_CACHE: dict[Path, tuple[float, Classifier]] = {}
_LOCK = threading.Lock()
Progress = Callable[[str, int, int], None]


def models_dir(settings: Any) -> Path:
    """``<home>/models``."""
    return Path(settings.home) / "models"


def list_models(settings: Any) -> list[dict[str, Any]]:
    """Model files, oldest first: path, scheme, version number, size, modification time."""
    d = models_dir(settings)
    out = []
    for p in d.glob("classify-*-v*.npz") if d.is_dir() else []:
        m = _NAME.match(p.name)
        if m:
            st = p.stat()
            out.append(
                {
                    "path": str(p),
                    "scheme": m.group(1),
                    "number": int(m.group(2)),
                    "bytes": st.st_size,
                    "mtime": st.st_mtime,
                }
            )
    return sorted(out, key=lambda r: (r["mtime"], r["number"]))


def next_path(settings: Any, scheme: str) -> Path:
    """The file name the next training of ``scheme`` writes."""
    n = max((r["number"] for r in list_models(settings) if r["scheme"] == scheme), default=0) + 1
    return models_dir(settings) / f"classify-{scheme}-v{n}.npz"


def load_latest(settings: Any, scheme: str | None = None) -> Classifier:
    """The newest model (of ``scheme`` if given), cached per file; :class:`NotFound` if none."""
    rows = [r for r in list_models(settings) if scheme in (None, r["scheme"])]
    if not rows:
        what = f"{scheme} " if scheme else ""
        raise NotFound(
            f"no {what}classification model in {models_dir(settings)}: "
            "run `ipai classify train` first (it learns from the loaded corpus)"
        )
    path, mtime = Path(rows[-1]["path"]), rows[-1]["mtime"]
    with _LOCK:
        hit = _CACHE.get(path)
        if hit and hit[0] == mtime:
            return hit[1]
    model = Classifier.load(path)
    with _LOCK:
        _CACHE.clear()
        _CACHE[path] = (mtime, model)
    return model


def _labels(doc: Any, scheme: str) -> tuple[list[str], list[str]]:
    """Subclasses and full symbols of a document in the chosen scheme(s)."""
    subs: dict[str, None] = {}
    codes: dict[str, None] = {}
    for c in doc.classifications:
        if c.scheme not in ("ipc", "cpc") or (scheme != "any" and c.scheme != scheme) or not c.subclass:
            continue
        subs.setdefault(c.subclass, None)
        codes.setdefault(c.code, None)
    return list(subs), list(codes)


def train_from_store(
    store: Any,
    settings: Any,
    scheme: str = "any",
    progress: Progress | None = None,
    *,
    min_docs: int = 3,
    max_docs: int = MAX_DOCS,
) -> dict[str, Any]:
    """Train on the store's classified documents (title + abstract + first claim); save a new
    versioned model file; return a summary. ``progress(stage, done, total)`` gets reading
    progress (``total`` > 0) and training steps (``done`` = ``total`` = 0)."""
    if scheme not in SCHEMES:
        raise InputError(f"scheme must be one of {', '.join(SCHEMES)}, not {scheme!r}")
    if min_docs < 1:
        raise InputError(f"min_docs must be at least 1, not {min_docs}")
    report = progress or (lambda _s, _d, _t: None)
    started = time.perf_counter()
    total = store.count_documents()
    ids: list[str] = []
    labels: list[list[str]] = []
    codes: list[list[str]] = []
    texts: list[str] | None = []
    seen = 0
    for doc in store.iter_documents():
        seen += 1
        if seen % 1000 == 0 or seen == total:
            report("reading documents", seen, total)
        subs, full = _labels(doc, scheme)
        if not subs:
            continue
        text = document_text(doc)
        if not text.strip():
            continue
        ids.append(doc.id)
        labels.append(subs)
        codes.append(full)
        if texts is not None:
            texts.append(text)
            if len(texts) > 2 * max_docs:
                texts = None  # too many to keep: fetch the sampled ones again below
    report("reading documents", seen, max(total, seen))
    if not ids:
        raise InputError(
            f"no document in the store has {'an IPC or CPC' if scheme == 'any' else scheme.upper()} "
            "classification with text: load classified documents first (ipai ingest)"
        )
    labelled, sampled = len(ids), texts is None
    if texts is None:
        fetched = _fetch_texts(store, ids, labels, max_docs, report)
        keep = [i for i, t in enumerate(fetched) if t is not None]
        ids, labels, codes = [ids[i] for i in keep], [labels[i] for i in keep], [codes[i] for i in keep]
        texts = [t for t in fetched if t is not None]
    wanted = {s for labs in labels for s in labs} | {
        f"{c.partition('/')[0]}/00" for cs in codes for c in cs if "/" in c
    }
    titles = load_titles(Path(settings.shared_data) / "ipc-scheme" / "all_ipc.tsv", wanted)
    model = Classifier(max_docs=max_docs).fit(
        texts,
        labels,
        codes,
        titles=titles,
        min_docs=min_docs,
        note=lambda m: report(m, 0, 0),
        extra_meta={"scheme": scheme, "store_documents": seen, "labelled_documents": labelled},
    )
    model.meta["sampled"] = model.meta["sampled"] or sampled
    path = model.save(next_path(settings, scheme))
    summary = {
        "path": str(path),
        "scheme": scheme,
        "store_documents": seen,
        "labelled_documents": labelled,
        "trained_documents": model.meta["documents"],
        "sampled": model.meta["sampled"],
        "labels": len(model.labels),
        "groups": len(model.groups),
        "group_suggestions": bool(model.groups),
        "min_docs": min_docs,
        "cv_micro_f1": model.meta["calibration"]["cv_micro_f1"],
        "kernel": model.meta["kernel"],
        "seconds": round(time.perf_counter() - started, 1),
    }
    (path.with_suffix(".json")).write_text(
        json.dumps({**model.info(), **summary}, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return summary


def _fetch_texts(
    store: Any, ids: list[str], labels: list[list[str]], max_docs: int, report: Progress
) -> list[str | None]:
    """Texts of the documents a stratified sample picks (others ``None``)."""
    from ipai.classify.model import _stratified

    pick = set(_stratified(labels, max_docs, 0).tolist())
    out: list[str | None] = [None] * len(ids)
    chosen = [i for i in range(len(ids)) if i in pick]
    for s in range(0, len(chosen), 500):
        part = chosen[s : s + 500]
        docs = store.get_documents([ids[i] for i in part])
        for i in part:
            d = docs.get(ids[i])
            out[i] = document_text(d) if d is not None else None
        report("fetching sampled documents", min(s + 500, len(chosen)), len(chosen))
    return out
