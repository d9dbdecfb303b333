"""Corpus commands: ingest, repair-text, stats, show, export, formats, demo."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer

from ipai.cli import app, emit, service, settings
from ipai.faces.progress import ingest_progress


@app.command()
def ingest(
    paths: list[Path] = typer.Argument(..., help="Files, folders or zips to load."),
    force: bool = typer.Option(
        False,
        "--force",
        help="Re-read files already loaded completely (e.g. to apply "
        "a newer text hygiene; 'ipai repair-text' does it without the files).",
    ),
    fmt: str | None = typer.Option(None, "--format", help="Skip detection; read every file as this format."),
) -> None:
    """Load patent and trademark records; the last line printed is a JSON summary."""
    missing = [p for p in paths if not p.exists()]
    if missing:  # a mistyped path is an error of the command, not a reject among loaded files
        from ipai.errors import InputError

        raise InputError(
            f"not found: {missing[0]}",
            errors=[{"field": "paths", "message": str(m)} for m in missing],
            code="paths_missing",
            params={"path": str(missing[0])},
        )
    svc = service()
    with ingest_progress(settings().progress) as progress:
        summary = svc.corpus.ingest(paths, force=force, fmt=fmt, progress=progress)
    s = summary
    typer.echo(
        f"loaded {s.loaded:,}, updated {s.updated:,}, unchanged {s.unchanged:,}, "
        f"rejected {s.rejected:,}, skipped {s.skipped:,} files in {s.seconds:.1f}s",
        err=True,
    )
    if s.rejects_file:
        typer.echo(f"rejects: {s.rejects_file}", err=True)
    emit(summary.to_json())


@app.command("repair-text")
def repair_text(
    dry_run: bool = typer.Option(False, "--dry-run", help="Count what would change; write nothing."),
) -> None:
    """Repair mojibake in the stored documents and mark texts that stay garbled (the ingest text
    hygiene, applied to a store loaded before it; no files needed). The last line is a JSON summary."""
    from ipai.faces.progress import index_progress

    svc = service()
    with index_progress(settings().progress, verb="checked") as progress:
        s = svc.corpus.repair_text(dry_run=dry_run, progress=progress)
    would = "would update" if dry_run else "updated"
    typer.echo(
        f"checked {s.checked:,} documents: {s.sources_repaired:,} sources repaired, {would} "
        f"{s.updated:,} documents ({s.garbled:,} keep a garbled-text flag) in {s.seconds:.1f}s",
        err=True,
    )
    emit(s.to_json())


@app.command()
def stats(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Documents by jurisdiction, language, kind, year, classification section and source."""
    data = service().stats()
    if as_json:
        emit(data)
        return
    typer.echo(f"documents: {data['documents']:,}   trademarks: {data['trademarks']:,}")
    for key in (
        "by_jurisdiction",
        "by_language",
        "by_kind",
        "by_doc_type",
        "by_section",
        "by_source_format",
        "by_year",
    ):
        items = list(data[key].items())
        shown = ", ".join(f"{k or '?'}: {v:,}" for k, v in items[:25])
        more = f" … (+{len(items) - 25})" if len(items) > 25 else ""
        typer.echo(f"{key[3:]:<14} {shown}{more}")


@app.command()
def show(
    number: str = typer.Argument(..., help="Publication number in any common spelling, or a trademark id."),
    as_json: bool = typer.Option(False, "--json", help="Print the stored record as JSON."),
) -> None:
    """Show one document (biblio, claims tree, citations) or trademark."""
    svc = service()
    if number.upper().startswith("TM-"):
        tm = svc.trademark(number)
        emit(tm.model_dump(mode="json", exclude_defaults=True)) if as_json else _print_tm(tm)
        return
    if as_json:
        emit(svc.show(number))
        return
    from ipai.cli.render import print_document
    from ipai.cli.search import status_line

    doc = svc.resolve(number)
    print_document(doc, svc.store.document_sources(doc.id))
    st = svc.status.status_of(doc).to_dict()
    typer.echo(f"  legal {status_line(st)}\n    {st['reason']['en']}\n    {st['reason']['zh']}")
    fam = svc.status.family_of(doc)
    typer.echo(
        f"  family {fam['key']}: {fam['stored']} stored"
        + (f" (source: {fam['source_size']})" if fam["source_size"] else "")
    )
    for m in fam["members"]:
        typer.echo(f"    {m['pubno']:<20} {status_line(m['status'])}  {m['title'][:60]}")


def _print_tm(tm: Any) -> None:
    typer.echo(f"{tm.id}  {tm.mark_text or '(figurative)'}  filed {tm.filing_date}")
    typer.echo(f"Vienna: {', '.join(tm.vienna_codes)}")


@app.command()
def export(
    fmt: str = typer.Option("jsonl", "--format", help="Export format (jsonl: ipai canonical JSONL)."),
    what: str = typer.Option("all", "--what", help="all, patents or trademarks."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Output file (default stdout)."),
) -> None:
    """Export the store as canonical JSONL (re-ingestable unchanged; with --out, the drawings are
    copied into <out name>-media beside it)."""
    from ipai.errors import InputError

    if fmt != "jsonl":
        raise InputError(f"unknown export format {fmt!r}: only 'jsonl' is supported")
    svc = service()
    if out:
        with open(out, "w", encoding="utf-8") as fh:
            n = svc.corpus.export(fh, what=what, media=out.parent / f"{out.stem}-media")
        typer.echo(f"wrote {n:,} records to {out}", err=True)
    else:
        n = svc.corpus.export(sys.stdout, what=what)


@app.command()
def formats(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List the source formats ingest recognises."""
    rows = service().corpus.formats()
    if as_json:
        emit(rows)
        return
    for r in rows:
        typer.echo(f"{r['name']:<22} {r['description']}")


@app.command()
def demo(
    data: Path | None = typer.Option(None, "--data", help="Real-data folder (default ../shared/data)."),
    serve_: bool = typer.Option(True, "--serve/--no-serve", help="Serve the web UI and API afterwards."),
    host: str | None = typer.Option(None, "--host", help="Address to listen on (setting host)."),
    port: int | None = typer.Option(None, "--port", help="Port (setting port; 0 = any free port)."),
) -> None:
    """Load the shared real data, build the search index, show a summary, then serve the platform."""
    from ipai.cli.demo import run_demo

    svc = service()
    run_demo(svc, data or settings().shared_data)
    if serve_:
        from ipai.cli.serve import serve_app

        serve_app(svc, host or settings().host, settings().port if port is None else port)
