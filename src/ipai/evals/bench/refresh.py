"""``ipai bench refresh``: what refreshing the search index costs after a few new documents.

On a given home (copied to a scratch folder first unless ``in_place``), or on a synthetic store of
``docs`` documents built here (the scaled real corpus of :func:`ipai.evals.bench.search.synth_corpus`,
indexed in full first), ``new`` more documents are written to the store and the index is refreshed
— the work ``ipai index`` does after an ingest. The refresh runs in a fresh process, as ``ipai index``
does: its figures are the seconds to open the index, the seconds of the refresh (new words' term-space
vectors included) and the peak memory the refresh adds over the opened index (Linux: the peak is reset
after opening). The new documents are then looked up in the index: each must be found.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from ipai.settings import Settings, load_settings


def _bench_settings(home: Path, store: str, base: Settings) -> Settings:
    return load_settings(
        home=home,
        store=store,
        vector_backend=base.vector_backend,
        progress=False,
        search_encoder=base.search_encoder,
        search_termspace=base.search_termspace,
        encoder_cache=base.encoder_cache,
    )


def _status_kb(field: str) -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    import resource

    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) if field == "VmHWM" else 0


def _reset_peak() -> bool:
    """Reset this process's peak RSS to its current RSS (Linux ``clear_refs``)."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def refresh_child(settings: Settings, ids: list[str]) -> dict[str, Any]:
    """In a fresh process: open the index, refresh it, look the new documents up."""
    from ipai.service import Service

    t0 = time.perf_counter()
    svc = Service(settings)
    try:
        before = svc.corpus.index_status()  # opens the index
        t_open = time.perf_counter() - t0
        rss0 = _status_kb("VmRSS")
        reset = _reset_peak()
        peak0 = _status_kb("VmHWM")
        t1 = time.perf_counter()
        out = svc.corpus.index()
        t_refresh = time.perf_counter() - t1
        peak = _status_kb("VmHWM")
        eng: Any = svc.search_engine
        found = 0
        if hasattr(eng, "keyword"):  # the single index: each new id is one keyword document
            found = sum(1 for i in ids if eng.keyword.search(eng.keyword.term("id", i), 1)[2] == 1)
        return {
            "documents_before": before["documents"],
            "pending": before["pending"],
            "open_seconds": round(t_open, 3),
            "refresh_seconds": round(t_refresh, 3),
            "seconds_with_open": round(t_open + t_refresh, 3),
            "rss_opened_mb": round(rss0 / 1024, 1),
            "extra_peak_mb": round((peak - (rss0 if reset else peak0)) / 1024, 1),
            "peak_reset": reset,
            "refresh": out,
            "new_found": found,
        }
    finally:
        svc.close()


def _new_docs(data: Path, n: int, tag: str) -> list[Any]:
    """``n`` new documents (real text varied) under publication numbers no store has."""
    from ipai.evals.bench.search import _base_docs, synth_corpus
    from ipai.model import PatentDocument, PubNo

    skip = len(_base_docs(data))  # the unvaried base documents come first
    out = []
    for k, d in enumerate(synth_corpus(data, skip + n, seed=int(tag) % 997)):
        if k >= skip:
            out.append(
                PatentDocument(
                    pubno=PubNo(country="US", number=f"9{tag}{k - skip:03d}", kind="A"),
                    titles=d.titles,
                    abstracts=d.abstracts,
                    lang=d.lang,
                    publication_date=d.publication_date,
                )
            )
    return out


def _write(settings: Settings, docs: list[Any]) -> float:
    from ipai.service import Service
    from ipai.store import SourceRecord

    svc = Service(settings)
    try:
        t0 = time.perf_counter()
        batch: list[SourceRecord] = []
        for d in docs:
            batch.append(SourceRecord(record=d, source="bench-refresh", format="bench", priority=50))
            if len(batch) >= 5_000:
                svc.store.write_batch(batch, job_id=None)
                batch = []
        if batch:
            svc.store.write_batch(batch, job_id=None)
        return time.perf_counter() - t0
    finally:
        svc.close()


def bench_refresh(
    base: Settings,
    data: Path,
    *,
    home: Path | None = None,
    docs: int = 50_000,
    new: int = 10,
    in_place: bool = False,
    workdir: Path | None = None,
) -> dict[str, Any]:
    """Refresh after ``new`` documents on ``home`` (or a synthetic store of ``docs``); the JSON report."""
    from ipai.evals.bench.search import synth_corpus

    out: dict[str, Any] = {"new": new, "encoder": base.search_encoder}
    tag = str(int(time.time()))[-7:]
    with tempfile.TemporaryDirectory(dir=workdir, prefix="ipai-bench-refresh-") as td:
        if home is not None:
            src = home.resolve()
            if not (src / "index").exists():
                raise ValueError(f"{src} has no search index to refresh: run 'ipai index' there first")
            work = src if in_place else Path(td) / "home"
            if not in_place:
                t0 = time.perf_counter()
                shutil.copytree(src, work, symlinks=True)
                out["copy_seconds"] = round(time.perf_counter() - t0, 1)
            same = in_place and base.home.resolve() == src
            settings = base if same else _bench_settings(work, f"sqlite:///{work / 'ipai.sqlite'}", base)
            out["home"] = str(src) + ("" if in_place else " (copied)")
        else:
            work = Path(td) / "home"
            settings = _bench_settings(work, f"sqlite:///{work / 'ipai.sqlite'}", base)
            out["store_load_seconds"] = round(_write(settings, list(synth_corpus(data, docs))), 1)
            from ipai.service import Service

            svc = Service(settings)
            try:
                built = svc.corpus.index(rebuild=True)
            finally:
                svc.close()
            out["build"] = {
                k: built.get(k) for k in ("documents", "seconds", "docs_per_s", "termspace_seconds")
            }
        fresh = _new_docs(data, new, tag)
        out["write_new_seconds"] = round(_write(settings, fresh), 3)
        out["load_avg"] = round(os.getloadavg()[0], 2)
        with mp.get_context("spawn").Pool(1) as pool:
            res = pool.apply(refresh_child, (settings, [d.id for d in fresh]))
        out |= res
        out["load_avg_after"] = round(os.getloadavg()[0], 2)
    out["ok"] = res["new_found"] == new and res["refresh"]["indexed"] >= new
    return out
