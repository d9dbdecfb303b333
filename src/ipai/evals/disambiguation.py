"""Evaluation on the PatentsView disambiguation benchmarks: pairwise and B-cubed precision/recall/F1.

Each benchmark CSV has ``mention_id`` (``US5204210-0`` = patent and inventor/assignee sequence),
``unique_id`` (the hand-labelled cluster) and the raw name (``organization`` for assignees,
``raw_inventor_name_first``/``raw_inventor_name_last`` for inventors). Inventor context comes from
the file itself: the other inventors of the same patent (co-inventors).
"""

from __future__ import annotations

import csv
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from ipai.analytics.entities.resolver import Kind, Resolver
from ipai.errors import InputError


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def cluster_metrics(gold: list[str], pred: Sequence[int | str]) -> dict:
    """Pairwise and B-cubed precision, recall and F1 of a predicted clustering against gold labels."""
    cells = Counter(zip(gold, pred, strict=False))
    gsize, psize = Counter(gold), Counter(pred)
    tp = sum(_pairs(c) for c in cells.values())
    pp, gp = sum(_pairs(c) for c in psize.values()), sum(_pairs(c) for c in gsize.values())
    p = tp / pp if pp else 1.0
    r = tp / gp if gp else 1.0
    n = len(gold) or 1
    bp = sum(c * c / psize[pl] for (_, pl), c in cells.items()) / n
    br = sum(c * c / gsize[gl] for (gl, _), c in cells.items()) / n
    return {
        "pairwise": {"precision": round(p, 4), "recall": round(r, 4), "f1": round(_f1(p, r), 4)},
        "bcubed": {"precision": round(bp, 4), "recall": round(br, 4), "f1": round(_f1(bp, br), 4)},
        "mentions": len(gold),
        "gold_clusters": len(gsize),
        "predicted_clusters": len(psize),
    }


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def read_benchmark(path: Path) -> tuple[Kind, list[str], list[str], list[dict] | None, int]:
    """(kind, names, gold labels, per-mention context, mentions skipped for lack of a name)."""
    with open(path, encoding="utf-8", errors="replace", newline="") as fh:
        rows = list(csv.DictReader(fh))
    if not rows:
        raise InputError(f"{path}: empty benchmark file")
    cols = set(rows[0])
    if "organization" in cols:
        kept = [r for r in rows if (r["organization"] or "").strip()]
        return (
            "applicant",
            [r["organization"] for r in kept],
            [r["unique_id"] for r in kept],
            None,
            len(rows) - len(kept),
        )
    if "raw_inventor_name_last" in cols:
        kept = [
            r for r in rows if (r["raw_inventor_name_last"] or r["raw_inventor_name_first"] or "").strip()
        ]
        names = [f"{r['raw_inventor_name_last']}, {r['raw_inventor_name_first']}" for r in kept]
        by_patent: dict[str, list[str]] = defaultdict(list)
        for r, _n in zip(kept, names, strict=False):
            by_patent[r["mention_id"].rsplit("-", 1)[0]].append(r["raw_inventor_name_last"].strip().upper())
        ctx = []
        for r in kept:
            me = r["raw_inventor_name_last"].strip().upper()
            co = [x for x in by_patent[r["mention_id"].rsplit("-", 1)[0]] if x != me]
            ctx.append({"coinventors": co})
        return "inventor", names, [r["unique_id"] for r in kept], ctx, len(rows) - len(kept)
    raise InputError(
        f"{path}: no name columns (organization or raw_inventor_name_*)",
    )


def published_figures(root: Path) -> list[dict]:
    """Published figures are only reported when a README/docs file in the benchmark folder states them."""
    found = []
    for p in sorted(root.rglob("*")):
        if p.is_file() and p.suffix.lower() in {".md", ".txt", ".rst"} or p.name.upper().startswith("README"):
            found.append({"source": str(p), "note": "documentation file present; figures quoted manually"})
    return found


def eval_disambiguation(
    benchmark: Path,
    *,
    limit: int | None = None,
    log: Callable[[str], None] = lambda m: print(m, file=sys.stderr),
) -> dict:
    """Run the resolver on every benchmark CSV under ``benchmark`` and score it against the labels."""
    benchmark = Path(benchmark)
    files: Iterable[Path] = [benchmark] if benchmark.is_file() else sorted(benchmark.rglob("*.csv"))
    files = list(files)
    if not files:
        raise InputError(f"{benchmark}: no benchmark CSV files")
    results: dict[str, dict] = {}
    for f in files:
        name = str(f.relative_to(benchmark)) if benchmark.is_dir() else f.name
        try:
            kind, names, gold, ctx, skipped = read_benchmark(f)
        except InputError as exc:
            log(f"skip {name}: {exc.message}")
            results[name] = {"skipped": exc.message}
            continue
        if limit:
            names, gold = names[:limit], gold[:limit]
            ctx = ctx[:limit] if ctx else None
        t0 = time.perf_counter()
        res = Resolver().fit(names, kind=kind, context=ctx)
        secs = time.perf_counter() - t0
        m = cluster_metrics(gold, res.labels_)
        m.update({"kind": kind, "skipped_without_name": skipped, "seconds": round(secs, 2)})
        n_ent = len(res.entities)
        base = cluster_metrics(gold, [_exact_key(n, kind) for n in names])
        m["baseline_exact_normalised_name"] = {"pairwise": base["pairwise"], "bcubed": base["bcubed"]}
        results[name] = m
        log(
            f"{name}: {len(names)} mentions → {n_ent} entities in {secs:.1f}s, pairwise F1 {m['pairwise']['f1']}"
        )
    return {
        "benchmark": str(benchmark),
        "sets": results,
        "published": published_figures(benchmark),
        "published_note": "no README or documentation with published figures in the benchmark folder"
        if not published_figures(benchmark)
        else None,
    }


def _exact_key(name: str, kind: str) -> str:
    from ipai.text.names import normalize_name

    return normalize_name(name, kind="person" if kind == "inventor" else "organisation")
