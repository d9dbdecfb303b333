"""``ipai bench watch``: watchlist evaluation time over one ingest of real documents.

A fresh store under ``<home>`` is loaded with an "old" corpus (all Chinese titles, the 1,606 drone
families, the first half of the EUIPO marks), the search index is built, watchlists of all five kinds are
added, then a "new" ingest follows (the 5,884 drone full-text families and US abstracts up to ``docs``
documents, the second half of the marks). The timed part is :meth:`Service.monitor.run_watchlists` on that ingest
(the index refresh before it is timed apart), then a second run with nothing new; each run reports
the documents (and marks) its watchlists evaluated: only what the ingest changed, none the second time."""

from __future__ import annotations

import csv
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

QUERIES = (
    "ti:(drone OR 无人机) AND camera",
    "neural network AND image recognition",
    "tac:(unmanned aerial vehicle) AND battery",
    "baseball AND (bat OR glove)",
)
COMPETITORS = (
    "Parrot",
    "SZ DJI Technology Co Ltd",
    "Boeing",
    "Thales SA",
    "Sony Corporation",
    "Amazon Technologies",
    "Lockheed Martin",
    "International Business Machines Corp.",
)
CLASSES = ("B64C", "B64U", "G06N3", "A63B", "H04N5/232", "G05D1/00")
TM_WORDS = ("Brompton", "Seta", "Uncle Ben's", "Parrot", "Drone", "Apple")


def _rows(path: Path, encoding: str = "utf-8") -> tuple[list[str], list[list[str]]]:
    with path.open(encoding=encoding, errors="replace", newline="") as f:
        r = csv.reader(f)
        return next(r), list(r)


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    return path


def build_corpus(data: Path, out: Path, docs: int) -> tuple[list[Path], list[Path]]:
    """Old and new files from the shared data (``docs`` patent documents in the new set)."""
    (out / "old").mkdir(parents=True, exist_ok=True)
    (out / "new").mkdir(parents=True, exist_ok=True)
    old = [
        data / "cn-patent-titles-ipc/titles_ipc.csv",
        data / "landscape-lens-patentscope/drones_tac_1606_families.csv",
    ]
    h_old, rows_old = _rows(old[1], encoding="mac_roman")  # (CR line ends, Mac Roman)
    seen = {r[h_old.index("Lens ID")] for r in rows_old if len(r) == len(h_old)}
    h, drones = _rows(data / "landscape-lens-patentscope/drone_drones_fulltext_families_5884.csv")
    drones = [r for r in drones if len(r) == len(h) and r[h.index("Lens ID")] not in seen]  # only new ones
    new = [_write(out / "new/drones.csv", h, drones[:docs])]
    rest = docs - min(docs, len(drones))
    for name in ("neural_network_patent_query.csv", "baseball_patent_query.csv"):
        if rest <= 0:
            break
        h, rows = _rows(data / "us-abstracts-patentsview" / name)
        new.append(_write(out / "new" / name, h, rows[:rest]))
        rest -= len(rows[:rest])
    marks = json.loads(
        (data / "trademark-vienna-euipo/Trademark2020_validation.json").read_text(encoding="utf-8")
    )
    keys = sorted(marks)
    half = len(keys) // 2
    for part, ks in (("old", keys[:half]), ("new", keys[half:])):
        p = out / part / "marks.json"
        p.write_text(json.dumps({k: marks[k] for k in ks}), encoding="utf-8")
        (old if part == "old" else new).append(p)
    return old, new


def _watchlists(n: int, own: list[str]) -> list[dict[str, Any]]:
    kinds: list[list[dict[str, Any]]] = [
        [{"kind": "query", "terms": q} for q in QUERIES],
        [{"kind": "competitor", "terms": [c]} for c in COMPETITORS],
        [{"kind": "cpc", "terms": [c]} for c in CLASSES],
        [{"kind": "own", "terms": own[i::4]} for i in range(4)],
        [{"kind": "trademark", "terms": [w]} for w in TM_WORDS],
    ]
    out: list[dict[str, Any]] = []
    i = 0
    while len(out) < n:
        group = kinds[i % len(kinds)]
        if group:
            out.append(group.pop(0))
        elif all(not g for g in kinds):
            break
        i += 1
    return out


def _rss_mb() -> float:
    try:
        import resource

        return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    except ImportError:  # pragma: no cover - not on Windows
        return 0.0


def bench_watch(settings: Any, data: Path, *, docs: int = 10_000, watchlists: int = 20) -> dict[str, Any]:
    """Measure one watchlist evaluation after a ``docs``-document ingest; one JSON object."""
    from ipai.ingest.pipeline import Ingester
    from ipai.service import Service

    settings.home.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=settings.home, prefix="bench-watch-") as td:
        tmp = Path(td)
        old, new = build_corpus(data, tmp / "corpus", docs)
        s = Service(
            settings.model_copy(
                update={
                    "home": tmp / "home",
                    "store": None,
                    "webhook_url": None,
                    "smtp_host": None,
                    "progress": False,
                }
            )
        )
        try:
            t = time.perf_counter()
            s.corpus.ingest(old)
            s.corpus.index()
            t_old = time.perf_counter() - t
            own = [d for d in s.store.recent_ids(400) if d[:2] in ("US", "EP", "FR", "WO", "CN")][:40]
            for w in _watchlists(watchlists, own):
                s.monitor.add_watch(w)
            seq = s.store.max_seq()
            t = time.perf_counter()
            summary = Ingester(s.store, s.settings, progress=None).run(
                new
            )  # ingest without the automatic run
            t_ingest = time.perf_counter() - t
            t = time.perf_counter()
            s.corpus.index()
            t_index = time.perf_counter() - t
            changed = s.store.count_changed(seq)
            t = time.perf_counter()
            run = s.monitor.run_watchlists(since=seq)
            t_run = time.perf_counter() - t
            t = time.perf_counter()
            again = s.monitor.run_watchlists()
            t_again = time.perf_counter() - t
            by_kind: dict[str, dict[str, int]] = {}
            for w in run["watchlists"]:
                k = by_kind.setdefault(w["kind"], {"watchlists": 0, "alerts": 0, "evaluated": 0})
                k["watchlists"] += 1
                k["alerts"] += w["alerts"]
                k["evaluated"] += w.get("documents", 0) + w.get("trademarks", 0)
            return {
                "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
                "old_load_and_index_s": round(t_old, 2),
                "new_ingest": {
                    "documents_changed": changed,
                    "trademarks": summary.by_format.get("euipo-tm-json", 0),
                    "loaded": summary.loaded,
                    "updated": summary.updated,
                    "ingest_s": round(t_ingest, 2),
                    "index_refresh_s": round(t_index, 2),
                },
                "watchlists": len(run["watchlists"]),
                "by_kind": by_kind,
                "evaluation_s": round(t_run, 3),
                "alerts": run["alerts"],
                "documents_evaluated": run["documents_evaluated"],  # summed over the watchlists
                "second_run_s": round(t_again, 3),
                "second_run_alerts": again["alerts"],
                "second_run_documents_evaluated": again["documents_evaluated"],
                "docs_per_s": round(changed / t_run, 1) if t_run else None,
                "target_s": 30,
                "within_target": t_run <= 30,
                "peak_rss_mb": _rss_mb(),
            }
        finally:
            s.close()
