"""``ipai bench …``: speed and memory measurements (numbers live here, not in timed tests); each
calls one module of :mod:`ipai.evals.bench` and prints one JSON object last."""

from __future__ import annotations

from pathlib import Path

import typer

from ipai.errors import InputError
from ipai.evals.cli import bench_app, emit, service, settings


def _notice(msg: str) -> None:
    typer.echo(msg, err=True)


@bench_app.command("ingest")
def bench_ingest_cmd(
    data: Path | None = typer.Option(None, "--data", help="Real-data folder (default ../shared/data)."),
    xml_copies: int = typer.Option(
        40, "--xml-copies", help="Repetitions of the USPTO XML samples (large run)."
    ),
    csv_copies: int = typer.Option(
        4, "--csv-copies", help="Repetitions of the PatentsView CSV rows (large run)."
    ),
    cnipa_copies: int = typer.Option(
        600,
        "--cnipa-copies",
        help="Repetitions of the CNIPA XML samples (large bulk run; the zip run takes a quarter).",
    ),
) -> None:
    """USPTO XML, CNIPA XML and CSV ingest speed and peak memory at two file sizes."""
    from ipai.evals.bench.ingest import bench_ingest

    emit(
        bench_ingest(
            data or settings().shared_data,
            xml_copies=xml_copies,
            csv_copies=csv_copies,
            cnipa_copies=cnipa_copies,
        )
    )


@bench_app.command("search")
def bench_search_cmd(
    docs: int = typer.Option(100_000, "--docs", help="Abstract-sized documents to index."),
    data: Path | None = typer.Option(None, "--data", help="Real-data folder (default ../shared/data)."),
    lucene: bool = typer.Option(
        True, "--lucene/--no-lucene", help="Also measure Lucene BM25 (ipai[lucene])."
    ),
    repeat: int = typer.Option(1, "--repeat", help="Times each query set is run."),
    queries: int = typer.Option(
        200, "--queries", min=1, max=10_000, help="Queries of each kind (short, long, Chinese)."
    ),
    e5_sample: int = typer.Option(
        128,
        "--e5-sample",
        min=0,
        max=100_000,
        help="Passages encoded with multilingual-e5 to measure its rate (0: skip).",
    ),
) -> None:
    """Index build docs/s, query p50/p99 (keyword, semantic, hybrid), peak RSS, beside Lucene BM25."""
    from ipai.evals.bench.search import bench_search

    emit(
        bench_search(
            data or settings().shared_data,
            docs,
            lucene=lucene,
            repeat_queries=repeat,
            n_queries=queries,
            e5_sample=e5_sample,
        )
    )


@bench_app.command("export")
def bench_export_cmd(
    rows: int = typer.Option(10_000, "--rows", min=1, max=1_000_000, help="Result rows to export."),
    query: str | None = typer.Option(
        None,
        "--query",
        help="Query whose results are exported (default: every dated document, pd:[1790 TO 2100]).",
    ),
    fmt: list[str] | None = typer.Option(
        None, "--format", help="xlsx and/or csv (default both; repeatable)."
    ),
) -> None:
    """Search export on the current store: seconds to write ROWS results as XLSX and CSV (the
    target is 5 s for 10,000 XLSX rows) and peak memory at ROWS and a tenth of them (flat)."""
    from ipai.evals.bench.export import bench_export

    formats = tuple(dict.fromkeys(fmt or ["xlsx", "csv"]))
    if any(f not in ("xlsx", "csv") for f in formats):
        raise typer.BadParameter("--format takes xlsx or csv")
    emit(bench_export(service(), query=query, rows=rows, formats=formats))


@bench_app.command("keyword-engines")
def bench_keyword_engines_cmd(
    docs: int = typer.Option(100_000, "--docs", help="Abstract-sized documents."),
    data: Path | None = typer.Option(None, "--data", help="Real-data folder (default ../shared/data)."),
) -> None:
    """tantivy vs SQLite FTS5 vs bm25s on the same analysed documents (why ipai uses tantivy)."""
    from ipai.evals.bench.keyword_engines import bench_keyword_engines

    emit(bench_keyword_engines(data or settings().shared_data, docs))


@bench_app.command("api")
def bench_api_cmd(
    seconds: float = typer.Option(30, "--seconds", help="Length of the timed load."),
    clients: int = typer.Option(16, "--clients", help="Concurrent clients."),
    data: list[Path] | None = typer.Option(
        None, "--data", help="Files/folders to ingest first (default: use what the store already holds)."
    ),
    workers: str = typer.Option(
        "1",
        "--workers",
        help="Worker counts of ipai serve to measure back to back, comma-separated (e.g. 1,2): "
        "throughput, latency and memory (PSS) of each, and their ratios to one worker.",
    ),
) -> None:
    """Loopback load test of the REST API (mixed search/show): throughput, p50/p99, status counts."""
    from ipai.errors import InputError
    from ipai.evals.bench.api import bench_api

    try:
        counts = [int(w) for w in workers.split(",") if w.strip()]
    except ValueError as exc:
        raise InputError(
            f"--workers: {workers!r} is not a list of numbers (e.g. 1,2)", errors=[{"field": "workers"}]
        ) from exc
    emit(bench_api(settings(), seconds=seconds, clients=clients, data=data or None, workers=counts))


@bench_app.command("load")
def bench_load_cmd(
    seconds: float = typer.Option(30, "--seconds", help="Length of the timed load."),
    clients: int = typer.Option(50, "--clients", help="Concurrent clients (spread over the tenants)."),
    tenants: int = typer.Option(
        2, "--tenants", help="Tenants, each with its own users, keys and private rows."
    ),
    data: list[Path] | None = typer.Option(
        None, "--data", help="Files/folders to ingest first (default: use what the store already holds)."
    ),
) -> None:
    """Multi-tenant load test of the API in server mode (use --store postgresql://… for production
    figures): p50/p95/p99, throughput, errors (must be 0) and cross-tenant leaks (must be 0)."""
    from ipai.evals.bench.load import bench_load

    emit(bench_load(settings(), seconds=seconds, clients=clients, tenants=tenants, data=data or None))


@bench_app.command("assess")
def bench_assess_cmd(
    reports: int = typer.Option(10, "--reports", help="One-page disclosures per language."),
) -> None:
    """Seconds per patentability report for one-page disclosures (en, zh) on the current store."""
    from ipai.evals.bench.assess import bench_assess

    emit(bench_assess(service(), reports=reports))


@bench_app.command("landscape")
def bench_landscape_cmd(
    query: list[str] | None = typer.Option(
        None, "--query", "-q", help="Queries to map (repeatable; default: cc:US, drones, pizza)."
    ),
    repeat: int = typer.Option(5, "--repeat", help="Warm calls per query."),
    limit: int = typer.Option(25_000, "--limit", help="Documents per landscape (best-matching first)."),
    no_report: bool = typer.Option(False, "--no-report", help="Skip the full-report timing."),
    no_pdf: bool = typer.Option(False, "--no-pdf", help="Time the HTML report only."),
) -> None:
    """Landscape times (cold, after the server warm-up, warm) and full report times on the current store."""
    from ipai.evals.bench.landscape import DEFAULT_QUERIES, bench_landscape

    emit(
        bench_landscape(
            settings(),
            queries=tuple(query or DEFAULT_QUERIES),
            repeat=repeat,
            limit=limit,
            report=not no_report,
            pdf=not no_pdf,
        )
    )


@bench_app.command("manage")
def bench_manage_cmd(
    disclosures: int = typer.Option(10_000, "--disclosures", help="Filed disclosures with their deadlines."),
    store: str | None = typer.Option(
        None, "--store-url", help="A database URL (default: a fresh SQLite file)."
    ),
) -> None:
    """The deadline reminder scan over N disclosures (limit: 1 s)."""
    from ipai.evals.bench.manage import bench_manage

    emit(bench_manage(disclosures=disclosures, store_url=store))


@bench_app.command("web")
def bench_web_cmd(
    runs: int = typer.Option(5, "--runs", min=1, max=100, help="First-byte requests per page (median)."),
    browser_runs: int = typer.Option(
        3, "--browser-runs", min=1, max=20, help="Warm Chromium loads per page (median)."
    ),
    lang: str = typer.Option("zh", "--lang", help="Interface language asked for (zh or en)."),
    page: list[str] | None = typer.Option(None, "--page", help="Only these pages (by name; repeatable)."),
    no_browser: bool = typer.Option(False, "--no-browser", help="First-byte times only (no Chromium)."),
    chromium: str | None = typer.Option(
        None, "--chromium", help="Chromium executable (default /usr/bin/chromium)."
    ),
) -> None:
    """Every web page on the current store: first byte (HTTP, median) and full load in Chromium, warm;
    limits 300 ms and 1 s."""
    from ipai.evals.bench.web import bench_web

    emit(
        bench_web(
            settings(),
            runs=runs,
            browser_runs=browser_runs,
            lang=lang,
            only=page or None,
            browser=not no_browser,
            chromium=chromium,
        )
    )


@bench_app.command("watch")
def bench_watch_cmd(
    docs: int = typer.Option(10_000, "--docs", help="Documents in the measured ingest."),
    watchlists: int = typer.Option(20, "--watchlists", help="Watchlists evaluated (all five kinds)."),
    data: Path | None = typer.Option(None, "--data", help="Real-data folder (default ../shared/data)."),
) -> None:
    """Watchlist evaluation time over one ingest of real documents (old/new split), per kind."""
    from ipai.evals.bench.watch import bench_watch

    emit(bench_watch(settings(), data or settings().shared_data, docs=docs, watchlists=watchlists))


@bench_app.command("refresh")
def bench_refresh_cmd(
    home: Path | None = typer.Option(
        None, "--home", help="A home with an index to refresh (copied first; default: a synthetic store)."
    ),
    docs: int = typer.Option(50_000, "--docs", help="Documents of the synthetic store (without --home)."),
    new: int = typer.Option(
        10, "--new", min=1, max=100_000, help="New documents written before the refresh."
    ),
    in_place: bool = typer.Option(
        False, "--in-place", help="Refresh --home itself (it keeps the new bench documents)."
    ),
    workdir: Path | None = typer.Option(None, "--workdir", help="Scratch folder (default: the system's)."),
    data: Path | None = typer.Option(None, "--data", help="Real-data folder (default ../shared/data)."),
) -> None:
    """Seconds and extra peak memory of an index refresh after a few new documents; they must be found."""
    from ipai.evals.bench.refresh import bench_refresh

    s = settings()
    emit(
        bench_refresh(
            s, data or s.shared_data, home=home, docs=docs, new=new, in_place=in_place, workdir=workdir
        )
    )


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
    from ipai.evals.bench.engines import bench_engines

    emit(bench_engines(data or settings().shared_data, docs, workers, spark=spark))


@bench_app.command("scale")
def bench_scale_cmd(
    sizes: str = typer.Option("10000,100000,1000000", "--sizes", help="Corpus sizes, comma-separated."),
    workers: int = typer.Option(2, "--workers", "-w", min=1, help="Worker CPUs of the local engine."),
    queries: int = typer.Option(200, "--queries", min=10, help="Queries timed per set-up."),
    workdir: Path | None = typer.Option(None, "--workdir", help="Where the temporary corpora and homes go."),
    data: Path | None = typer.Option(None, "--data", help="Real-data folder (default ../shared/data)."),
    chart: Path | None = typer.Option(
        None, "--chart", help="Also write the query latency by size as a PNG chart (log-log) here."
    ),
    report: Path | None = typer.Option(
        None,
        "--from-report",
        help="Measure nothing: print (and --chart) a saved run's output (its JSON line).",
    ),
) -> None:
    """Ingest + index + query at each size: single process vs the local engine; a table, the query
    latency curve, then JSON."""
    from ipai.evals.bench.scale import TABLE_HEAD, bench_scale, format_row
    from ipai.evals.bench.scale_chart import draw_chart, growth, markdown_table, read_report

    try:
        ns = [int(x.replace("_", "")) for x in sizes.split(",") if x.strip()]
    except ValueError as exc:
        raise InputError(f"--sizes takes whole numbers separated by commas, not {sizes!r}") from exc
    if not ns or min(ns) < 1000:
        raise InputError("--sizes: each size must be at least 1000 documents")
    if chart is not None and not chart.parent.is_dir():
        raise InputError(f"--chart: no folder {chart.parent}")
    if report is not None:
        out = read_report(report)
        out["query_curve"] = growth(out["rows"])
    else:
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
    typer.echo(markdown_table(out["rows"]))
    if chart is not None:
        out["chart"] = str(draw_chart(out, chart))
        _notice(f"chart written to {chart}")
    emit(out)


@bench_app.command("match")
def bench_match_cmd(
    claims: int = typer.Option(
        20, "--claims", help="Pseudo-demands from stored claims, besides the fixed needs."
    ),
    repeat: int = typer.Option(2, "--repeat"),
) -> None:
    """Milliseconds per demand matched against the current store (p50/p95/max)."""
    from ipai.evals.bench.match import bench_match

    emit(bench_match(service(), claims=claims, repeat=repeat))


@bench_app.command("evidence")
def bench_evidence_cmd(
    entries: int = typer.Option(1_000_000, "--entries", help="Log size to reach."),
    batch: int = typer.Option(10_000, "--batch", help="Hash-only deposits per transaction."),
    singles: int = typer.Option(500, "--singles", help="Single deposits timed first."),
) -> None:
    """Deposits per second (single and batched, hash-only) and proof/receipt/verify times at that size."""
    from ipai.evals.bench.evidence import bench_evidence
    from ipai.faces.progress import index_progress

    with index_progress(settings().progress) as cb:
        emit(
            bench_evidence(
                entries=entries,
                batch=batch,
                singles=singles,
                progress=(lambda n: cb(n, entries)) if cb else None,
            )
        )


@bench_app.command("images")
def bench_images_cmd(
    marks: int = typer.Option(10_000, "--marks", help="Gallery size (real marks plus augmented copies)."),
    queries: int = typer.Option(200, "--queries", help="Timed queries."),
    dirs: list[Path] | None = typer.Option(
        None,
        "--dir",
        help="Image folders to build the gallery from "
        "(default: logos-svg and car-logos-thumb in the data folder).",
    ),
) -> None:
    """Image query latency over a large mark gallery (real marks + augmented copies)."""
    from ipai.evals.bench.images import bench_images

    data = settings().shared_data
    emit(
        bench_images(
            list(dirs or []) or [data / "logos-svg" / "logos", data / "car-logos-thumb"],
            marks=marks,
            queries=queries,
        )
    )


@bench_app.command("value")
def bench_value(
    docs: int = typer.Option(50_000, "--docs", help="Stored documents to value (newest first)."),
) -> None:
    """Seconds to value N stored documents (read fields, indicators, reference, scores, explanations)."""
    from ipai.evals.bench.value import bench_value as run

    emit(run(settings(), docs=docs))


@bench_app.command("cli")
def bench_cli_cmd(
    number: str | None = typer.Option(
        None, "--number", help="Document to show (default: the newest stored document)."
    ),
    query: str | None = typer.Option(
        None, "--query", "-q", help="Query to search (default: two words of that document's title)."
    ),
    runs: int = typer.Option(5, "--runs", min=1, max=100, help="Measured runs of each command."),
) -> None:
    """Cold start of the command line (fresh processes): --help, show, stats, search on the configured home."""
    from ipai.evals.bench.cli import bench_cli

    emit(bench_cli(settings(), number=number, query=query, runs=runs))
