"""``ipai eval logos`` and ``ipai eval designs``: retrieval of the other images of the same mark or design.

Every image of a group (a brand's logo files, a design patent's drawing sheets) with at least two
images is a query; the group's other images are the relevant ones; every other image, plus the
distractors, is the gallery. The mark descriptor is compared in the same run with two baselines, a
perceptual hash (Hamming distance) and a colour histogram (Bhattacharyya coefficient).

Ties are counted at their expected rank (half the tied items ahead), so a coarse score such as a
64-bit hash gains nothing from the order of the files.
"""

from __future__ import annotations

import json
import re
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from ipai.errors import InputError
from ipai.images.extract import extract, image_files
from ipai.images.index import ImageIndex
from ipai.images.search import item_scores

KS = (1, 10)


def _metrics(score_rows: Any, queries: list[tuple[int, set[int]]]) -> dict[str, float]:
    """recall@k (share of the relevant items in the top k), hit@k (a relevant one in the top k) and
    MAP over the queries; ``score_rows(q)`` gives the scores of every gallery item for query q."""
    rec = {k: 0.0 for k in KS}
    hit = {k: 0.0 for k in KS}
    ap_sum = 0.0
    for q, rel in queries:
        s = np.asarray(score_rows(q), dtype=np.float64).copy()
        s[q] = -np.inf
        rel_idx = np.fromiter(rel, dtype=np.int64)
        srt = np.sort(s)
        ranks = []
        for r in rel_idx:
            v = s[r]
            higher = len(srt) - np.searchsorted(srt, v, side="right")
            equal = np.searchsorted(srt, v, side="right") - np.searchsorted(srt, v, side="left") - 1
            # other relevant items tied or higher are counted as they fall (expected rank)
            ranks.append(1 + higher + equal / 2)
        ranks_a = np.sort(np.array(ranks))
        for k in KS:
            rec[k] += float(np.mean(ranks_a <= k))
            hit[k] += float(ranks_a[0] <= k)
        ap_sum += float(np.mean([(i + 1) / max(rk, i + 1) for i, rk in enumerate(ranks_a)]))
    n = max(1, len(queries))
    out = {f"recall@{k}": round(rec[k] / n, 4) for k in KS}
    out |= {f"hit@{k}": round(hit[k] / n, 4) for k in KS}
    out["map"] = round(ap_sum / n, 4)
    return out


def _run(tasks: list[tuple[Path, dict[str, Any]]], group_key: str, workers: int | None) -> dict[str, Any]:
    """Extract, then score the descriptor and the two baselines on the same queries."""
    t0 = time.perf_counter()
    entries, errors, colours = extract(tasks, workers=workers, with_colour=True)
    t_extract = time.perf_counter() - t0
    index = ImageIndex.from_entries(entries)
    groups: dict[str, list[int]] = defaultdict(list)
    for i, e in enumerate(entries):
        if e.item.get(group_key) is not None:
            groups[e.item[group_key]].append(i)
    queries = [(i, set(g) - {i}) for g in groups.values() if len(g) > 1 for i in g]
    if not queries:
        raise InputError(
            "no group has two readable images: nothing to evaluate",
            errors=[{"field": "dir", "message": "no queries"}],
        )
    qviews = [e.views for e in entries]
    bits = np.unpackbits(index.phash, axis=1).astype(np.float32)
    ones = bits.sum(axis=1)
    cols = np.stack(colours)
    t1 = time.perf_counter()
    ours = _metrics(lambda q: item_scores(index, qviews[q]), queries)
    t_ours = time.perf_counter() - t1
    methods = {
        "views": ours | {"query_ms": round(1000 * t_ours / len(queries), 2)},
        # Hamming distance = |a| + |b| - 2 a·b; negated as a score
        "phash": _metrics(lambda q: 2 * bits @ bits[q] - ones - ones[q], queries),
        "colour_histogram": _metrics(lambda q: cols @ cols[q], queries),
    }
    return {
        "queries": len(queries),
        "groups_with_queries": sum(len(g) > 1 for g in groups.values()),
        "gallery": len(entries),
        "unreadable": len(errors),
        "errors": errors[:20],
        "extract_seconds": round(t_extract, 2),
        "methods": methods,
        "beats_baselines": all(
            ours[m] > max(methods["phash"][m], methods["colour_histogram"][m]) for m in ("recall@10", "map")
        ),
    }


def eval_logos(
    folder: Path, distractors: Path | None = None, *, workers: int | None = None
) -> dict[str, Any]:
    """Evaluate on a ``logos.json`` folder (brands with their files, files in ``logos/`` or beside it)."""
    manifest = folder / "logos.json"
    if not manifest.is_file():
        raise InputError(
            f"{folder} has no logos.json (brands with their files)",
            errors=[{"field": "dir", "message": "missing logos.json"}],
        )
    try:
        brands = json.loads(manifest.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise InputError(f"{manifest}: not JSON: {exc}") from exc
    tasks: list[tuple[Path, dict[str, Any]]] = []
    missing = []
    for n, b in enumerate(brands):
        key = f"{n}:{b.get('shortname') or b.get('name')}"  # entry number: names may repeat
        for f in b.get("files") or []:
            p = folder / "logos" / f if (folder / "logos" / f).exists() else folder / f
            if not p.exists():
                missing.append(f)
                continue
            tasks.append((p, {"id": f, "label": b.get("name") or key, "brand": key, "file": f}))
    extra: list[dict[str, str]] = []
    if distractors is not None:
        files, extra = image_files(distractors)
        tasks += [(p, {"id": f"distractor/{p.name}", "label": p.stem, "file": p.name}) for p in files]
    res = _run(tasks, "brand", workers)
    res["distractors"] = len(tasks) - sum(1 for _, it in tasks if "brand" in it)
    res["missing_files"] = len(missing)
    res["skipped_other_files"] = len(extra)
    return {
        "eval": "logos",
        "dir": str(folder),
        "distractors_dir": str(distractors) if distractors else None,
    } | res


_LOCARNO = re.compile(r"<classification-locarno>.*?<main-classification>\s*([^<\s]+)", re.DOTALL)


def eval_designs(
    folder: Path, distractors: Path | None = None, *, workers: int | None = None
) -> dict[str, Any]:
    """Evaluate on a folder of design-patent folders (drawing sheets plus the grant XML)."""
    from ipai.model import normalize_locarno

    tasks: list[tuple[Path, dict[str, Any]]] = []
    files, other = image_files(folder)
    locarno: dict[Path, str | None] = {}
    for p in files:
        d = p.parent
        if d not in locarno:
            xml = next(iter(sorted(d.glob("*.XML")) + sorted(d.glob("*.xml"))), None)
            m = _LOCARNO.search(xml.read_text(errors="replace")) if xml else None
            locarno[d] = normalize_locarno(m.group(1)) if m else None
        tasks.append(
            (
                p,
                {
                    "id": p.name,
                    "design": d.name,
                    "label": d.name,
                    "file": p.name,
                    "locarno": [locarno[d]] if locarno[d] else [],
                },
            )
        )
    if distractors is not None:
        dfiles, _ = image_files(distractors)
        tasks += [(p, {"id": f"distractor/{p.name}", "label": p.stem, "file": p.name}) for p in dfiles]
    res = _run(tasks, "design", workers)
    res["skipped_other_files"] = sum(1 for o in other if not o["file"].lower().endswith(".xml"))
    return {"eval": "designs", "dir": str(folder)} | res
