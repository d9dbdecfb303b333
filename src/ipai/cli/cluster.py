"""Distributed jobs and scale benchmarks: ``ipai cluster …`` and ``ipai bench scale``."""

from __future__ import annotations

from pathlib import Path

import typer

from ipai.cli import app, emit, settings

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
    from ipai.faces.progress import ingest_progress
    from ipai.service import cluster

    cfg = settings()
    with ingest_progress(cfg.progress) as progress:
        res = cluster.ingest(cfg, paths, workers=workers, force=force, fmt=fmt, progress=progress)
    if res["index_behind"]:
        _notice("the search index catches up at the next search, or now with 'ipai cluster index'")
    emit(res["report"])


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
    from ipai.faces.progress import index_progress
    from ipai.service import cluster

    cfg = settings()
    with index_progress(cfg.progress) as progress:
        out = cluster.build_index(
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
    from ipai.service import cluster

    emit(cluster.status(settings()))
