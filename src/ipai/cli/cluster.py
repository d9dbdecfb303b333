"""Distributed jobs and scale benchmarks: ``ipai cluster …`` and ``ipai bench scale``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from ipai.cli import app, emit, settings
from ipai.cli.bench import bench_app
from ipai.errors import InputError

cluster_app = typer.Typer(
    help="Bulk jobs on the distributed engine (Ray; local unless IPAI_CLUSTER_ADDRESS). "
    "Each prints one JSON object last.",
    no_args_is_help=True,
)
app.add_typer(cluster_app, name="cluster")

WORKERS_HELP = "Worker CPUs of a local engine (default: every core; a cluster uses what it has)."


def _notice(msg: str) -> None:
    typer.echo(msg, err=True)


@cluster_app.command("ingest")
def cluster_ingest_cmd(
    paths: list[Path] = typer.Argument(..., help="Files, folders or zips to load."),
    workers: int | None = typer.Option(None, "--workers", "-w", help=WORKERS_HELP),
    fmt: str | None = typer.Option(None, "--format", help="Force a format (see 'ipai formats')."),
    force: bool = typer.Option(
        False, "--force", help="Read files again even if they were loaded completely."
    ),
) -> None:
    """Load files with parsing on the engine's workers (one file per task; this process writes the
    store). Resumable: run it again after an interruption."""
    from ipai.cli.progress import ingest_progress
    from ipai.cluster.ingest import cluster_ingest
    from ipai.store import open_store

    cfg = settings()
    cfg.home.mkdir(parents=True, exist_ok=True)
    store = open_store(cfg)
    try:
        with ingest_progress(cfg.progress) as progress:
            out = cluster_ingest(cfg, store, paths, workers=workers, force=force, fmt=fmt, progress=progress)
    finally:
        store.close()
    if (cfg.home / "index").exists() and (out["loaded"] or out["updated"]):
        _notice("the search index catches up at the next search, or now with 'ipai cluster index'")
    emit(out)


@cluster_app.command("index")
def cluster_index_cmd(
    shards: int | None = typer.Option(
        None,
        "--shards",
        "-s",
        min=1,
        max=1024,
        help="Shards (default: IPAI_INDEX_SHARDS when > 1, else one per worker).",
    ),
    workers: int | None = typer.Option(None, "--workers", "-w", help=WORKERS_HELP),
    rebuild: bool = typer.Option(
        False, "--rebuild", help="Fit the encoder again and build every shard anew."
    ),
) -> None:
    """Build or refresh the sharded search index, one task per shard (a shard whose worker dies is
    run again and resumes from its checkpoint)."""
    from ipai.cli.progress import index_progress
    from ipai.cluster.index import build_shards

    cfg = settings()
    with index_progress(cfg.progress) as progress:
        out = build_shards(
            cfg, shards=shards, workers=workers, rebuild=rebuild, progress=progress, notice=_notice
        )
    if cfg.index_shards != out["shards"]:
        out["hint"] = (
            f"search uses these shards when IPAI_INDEX_SHARDS={out['shards']} (now {cfg.index_shards})"
        )
        _notice(out["hint"])
    emit(out)


@cluster_app.command("status")
def cluster_status_cmd() -> None:
    """The engine jobs use (without starting a local one) and the sharded index, shard by shard."""
    from ipai.cluster.engine import status
    from ipai.search.shards import read_layout, shards_root

    cfg = settings()
    out: dict[str, Any] = {"engine": status(cfg), "index_shards": cfg.index_shards}
    layout = read_layout(shards_root(cfg))
    if layout is None:
        out["sharded_index"] = None
    else:
        from ipai.search.sharded import ShardedSearchEngine
        from ipai.store import open_store

        store = open_store(cfg)
        eng = ShardedSearchEngine(cfg.model_copy(update={"index_shards": layout["shards"]}), store)
        try:
            out["sharded_index"] = eng.status()
        finally:
            eng.close()
            store.close()
    emit(out)


@bench_app.command("engines")
def bench_engines_cmd(
    docs: int = typer.Option(
        5000, "--docs", help="Real documents analysed (US abstracts, Chinese titles, EPO texts)."
    ),
    workers: int | None = typer.Option(None, "--workers", "-w", help="Worker processes of each engine."),
    spark: bool = typer.Option(
        True, "--spark/--no-spark", help="Also measure Spark (needs pyspark and Java 17+)."
    ),
    data: Path | None = typer.Option(None, "--data", help="Real-data folder (default ../shared/data)."),
) -> None:
    """Ray vs Spark on the same ipai work: start-up, throughput, retry of a killed worker."""
    from ipai.cluster.bench_engines import bench_engines

    emit(bench_engines(data or settings().shared_data, docs, workers, spark=spark))


@bench_app.command("scale")
def bench_scale_cmd(
    sizes: str = typer.Option("10000,100000,1000000", "--sizes", help="Corpus sizes, comma-separated."),
    workers: int = typer.Option(2, "--workers", "-w", min=1, help="Worker CPUs of the local engine."),
    queries: int = typer.Option(200, "--queries", min=10, help="Queries timed per set-up."),
    workdir: Path | None = typer.Option(None, "--workdir", help="Where the temporary corpora and homes go."),
    data: Path | None = typer.Option(None, "--data", help="Real-data folder (default ../shared/data)."),
) -> None:
    """Ingest + index + query at each size: single process vs the local engine; a table, then JSON."""
    from ipai.cluster.bench_scale import TABLE_HEAD, bench_scale, format_row

    try:
        ns = [int(x.replace("_", "")) for x in sizes.split(",") if x.strip()]
    except ValueError as exc:
        raise InputError(f"--sizes takes whole numbers separated by commas, not {sizes!r}") from exc
    if not ns or min(ns) < 1000:
        raise InputError("--sizes: each size must be at least 1000 documents")
    cfg = settings()
    out = bench_scale(
        data or cfg.shared_data,
        ns,
        workers=workers,
        queries=queries,
        workdir=workdir,
        settings=cfg,
        log=_notice,
    )
    typer.echo(TABLE_HEAD)
    for row in out["rows"]:
        typer.echo(format_row(row))
    emit(out)
