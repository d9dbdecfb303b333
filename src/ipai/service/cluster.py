"""Bulk jobs on the distributed engine, for ``ipai cluster …``: the store and the sharded engine
are opened (and closed) here, so the command line only passes settings and options."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ipai.settings import Settings


def ingest(
    settings: Settings,
    paths: list[Path],
    *,
    workers: int | None = None,
    force: bool = False,
    fmt: str | None = None,
    progress: Any = None,
) -> dict[str, Any]:
    """Load files with parsing on the engine's workers into the configured store; the job report,
    with ``index_behind`` true when a search index exists that has not seen the new documents."""
    from ipai.cluster.ingest import cluster_ingest
    from ipai.store import open_store

    settings.home.mkdir(parents=True, exist_ok=True)
    store = open_store(settings)
    try:
        out = cluster_ingest(settings, store, paths, workers=workers, force=force, fmt=fmt, progress=progress)
    finally:
        store.close()
    out_behind = (settings.home / "index").exists() and bool(out["loaded"] or out["updated"])
    return {"report": out, "index_behind": out_behind}


def build_index(
    settings: Settings,
    *,
    shards: int | None = None,
    workers: int | None = None,
    rebuild: bool = False,
    progress: Any = None,
    notice: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Build or refresh the sharded search index, one engine task per shard; the job report."""
    from ipai.cluster.index import build_shards

    return build_shards(
        settings, shards=shards, workers=workers, rebuild=rebuild, progress=progress, notice=notice
    )


def status(settings: Settings) -> dict[str, Any]:
    """The engine jobs use (without starting a local one) and the sharded index, shard by shard
    (``None`` when there is none)."""
    from ipai.cluster.engine import status as engine_status
    from ipai.search.sharded import ShardedSearchEngine
    from ipai.search.shards import read_layout, shards_root
    from ipai.store import open_store

    out: dict[str, Any] = {"engine": engine_status(settings), "index_shards": settings.index_shards}
    layout = read_layout(shards_root(settings))
    if layout is None:
        out["sharded_index"] = None
        return out
    store = open_store(settings)
    eng = ShardedSearchEngine(settings.model_copy(update={"index_shards": layout["shards"]}), store)
    try:
        out["sharded_index"] = eng.status()
    finally:
        eng.close()
        store.close()
    return out
