"""``ipai bench …``: speed and memory measurements (numbers live here, not in timed tests)."""

from __future__ import annotations

from pathlib import Path

import typer

from ipai.cli import app, emit, settings

bench_app = typer.Typer(help="Benchmarks; each prints one JSON object last.", no_args_is_help=True)
app.add_typer(bench_app, name="bench")


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
    from ipai.ingest.bench import bench_ingest

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
    from ipai.search.bench import bench_search

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
    from ipai.cli import service
    from ipai.service.search_bench import bench_export

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
    from ipai.search.bench_engines import bench_keyword_engines

    emit(bench_keyword_engines(data or settings().shared_data, docs))


@bench_app.command("api")
def bench_api_cmd(
    seconds: float = typer.Option(30, "--seconds", help="Length of the timed load."),
    clients: int = typer.Option(16, "--clients", help="Concurrent clients."),
    data: list[Path] | None = typer.Option(
        None, "--data", help="Files/folders to ingest first (default: use what the store already holds)."
    ),
) -> None:
    """Loopback load test of the REST API (mixed search/show): throughput, p50/p99, status counts."""
    from ipai.api.bench import bench_api

    emit(bench_api(settings(), seconds=seconds, clients=clients, data=data or None))


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
    from ipai.api.loadtest import bench_load

    emit(bench_load(settings(), seconds=seconds, clients=clients, tenants=tenants, data=data or None))


@bench_app.command("assess")
def bench_assess_cmd(
    reports: int = typer.Option(10, "--reports", help="One-page disclosures per language."),
) -> None:
    """Seconds per patentability report for one-page disclosures (en, zh) on the current store."""
    from ipai.assess.bench import bench_assess
    from ipai.cli import service

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
    from ipai.analytics.bench import DEFAULT_QUERIES, bench_landscape

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
    from ipai.manage.bench import bench_manage

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
    from ipai.web.bench import bench_web

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
