"""Search commands: index, search, similar, expand."""

from __future__ import annotations

import re
from dataclasses import asdict
from pathlib import Path
from typing import Any

import typer

from ipai.cli import app, emit, service, settings


def _svc() -> Any:
    svc = service()
    svc.notice = lambda msg: typer.echo(msg, err=True)
    return svc


def status_line(st: dict[str, Any]) -> str:
    """A legal status on one line: label in both languages, since, expiry, basis."""
    out = f"status: {st['label']['en']} ({st['label']['zh']})"
    if st.get("since"):
        out += f" since {st['since']}"
    if st.get("expiry"):
        out += f", term ends {st['expiry']}"
    return out + (" [kind code only]" if st["basis"] == "kind-code" else "")


def _print_results(res: Any) -> None:
    both = f", {res.total_all:,} with all of them" if res.total_all is not None else ""
    if res.query.startswith("similar:"):
        typer.echo(f"{len(res.hits)} similar documents ({res.mode}, {res.took_ms} ms)")
    else:
        typer.echo(
            f"{len(res.hits)} results ({res.mode}, {res.total:,} documents with the query's words{both}, "
            f"{res.took_ms} ms)"
        )
    for c in res.concepts:
        forms = [f"{f['text']} ({f['source']})" for f in c["forms"] if f["source"] != "query"]
        if forms or not c["documents"]:
            typer.echo(f"  {c['text']}: {', '.join(forms) if forms else 'in no document'}")
    if res.semantic_only and res.hits:
        typer.echo("  no document has these words; these are close in meaning (checked)")
    sug = res.suggestions or {}
    if sug.get("query"):
        typer.echo(f"  did you mean: {sug['query']}")
    for d in sug.get("without_filter", []):
        typer.echo(f"  without the filter {' + '.join(d['drop'])}: {d['total']:,} documents")
    n_concepts = sum(1 for c in res.concepts if c["required"])
    for h in res.hits:
        src = ", ".join(f"{k} #{v}" for k, v in h.matched.items() if v)
        if h.concepts is not None and n_concepts > 1:
            src = f"{h.concepts}/{n_concepts} concepts; {src}"
        if h.meaning is not None:
            src = f"{src}; meaning {h.meaning:.2f}"
        typer.echo(f"{h.rank:>3}. {h.pubno:<22} {h.date or '':<10}  {h.title[:90]}")
        typer.echo(f"     {'; '.join(h.applicants)[:60]}  {' '.join(h.classes)}  [{src}]")
        if h.status:
            typer.echo(f"     {status_line(h.status)}")
        if h.family:
            members = ", ".join(f"{m['pubno']} ({m['status']['label']['en']})" for m in h.family["members"])
            typer.echo(f"     family {h.family['key']}" + (f": {members}" if members else ""))
        for p in h.highlights[:2]:
            text = re.sub(r"</?mark>", "*", p.text)
            typer.echo(f"       {p.where}: {text[:160]}")


@app.command()
def index(
    rebuild: bool = typer.Option(False, "--rebuild", help="Drop the index and build it again."),
    status: bool = typer.Option(False, "--status", help="Only show the index state."),
) -> None:
    """Build or refresh the search index (incremental: only what changed since the last run)."""
    svc = _svc()
    if status:
        emit(svc.corpus.index_status())
        return
    from ipai.faces.progress import index_progress

    with index_progress(settings().progress) as progress:
        res = svc.corpus.index(rebuild=rebuild, progress=progress)
    emit(res)


@app.command()
def search(
    query: str = typer.Argument(
        ..., help="Words, phrases, fields (ti: ab: cl: pa: cpc: pd: cc: lang: …), AND/OR/NOT."
    ),
    top: int = typer.Option(10, "--top", "-k", help="Results to show."),
    offset: int = typer.Option(0, "--offset", help="Results to skip (paging)."),
    mode: str = typer.Option("hybrid", "--mode", help="hybrid, keyword or semantic."),
    cross_lingual: bool = typer.Option(
        True,
        "--cross-lingual/--same-language",
        help="Let Chinese queries find English documents and the reverse.",
    ),
    cc: str | None = typer.Option(None, "--cc", help="Filter: jurisdiction(s), US or US,CN."),
    lang: str | None = typer.Option(None, "--lang", help="Filter: document language (en, zh, de…)."),
    year_from: int | None = typer.Option(None, "--year-from", help="Filter: published in or after."),
    year_to: int | None = typer.Option(None, "--year-to", help="Filter: published in or before."),
    cls: str | None = typer.Option(None, "--cls", help="Filter: CPC/IPC class (G06N, G06N3*, H04L9/32)."),
    applicant: str | None = typer.Option(None, "--applicant", help="Filter: applicant or assignee."),
    doc_type: str | None = typer.Option(None, "--type", help="Filter: patent, application, design…"),
    status: str | None = typer.Option(
        None, "--status", help="Filter: legal status (in_force, lapsed, alive, dead, 有效, 失效 …)."
    ),
    collapse: str | None = typer.Option(None, "--collapse", help="family: one row per family (同族)."),
    today: str | None = typer.Option(
        None, "--today", help="The day legal statuses are computed for (YYYY-MM-DD)."
    ),
    sort: str = typer.Option(
        "relevance",
        "--sort",
        help="relevance, date_desc, date_asc (publication date) or "
        "citations: a sort other than relevance orders the whole matched set.",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON (the API's response shape)."),
) -> None:
    """Search the corpus (the index is built or refreshed first when needed)."""
    from ipai.service import results_json

    filters = {
        "cc": cc,
        "lang": lang,
        "year_from": year_from,
        "year_to": year_to,
        "cls": cls,
        "applicant": applicant,
        "doc_type": doc_type,
        "status": status,
    }
    res = _svc().search_tools.search_sorted(
        query,
        sort=sort,
        top=top,
        offset=offset,
        mode=mode,
        cross_lingual=cross_lingual,
        filters=filters,
        collapse=collapse,
        today=today,
    )
    if as_json:
        out = results_json(res, top=top, offset=offset, filters=filters)
        if res.sort != "relevance":
            out["next_offset"] = offset + top if offset + top < res.sorted else None
        emit({**out, "sort": res.sort, "sorted": res.sorted})
    else:
        _print_results(res)


@app.command("export-results")
def export_results(
    query: str = typer.Argument(..., help="The query whose results are exported (as for search)."),
    out: Path = typer.Option(..., "--out", "-o", help="File to write: .xlsx or .csv (UTF-8 with BOM)."),
    sort: str = typer.Option("relevance", "--sort", help="relevance, date_desc, date_asc or citations."),
    limit: int | None = typer.Option(
        None, "--limit", help="Rows at most (default and ceiling: search_export_max)."
    ),
    lang: str = typer.Option("zh", "--lang", help="Language of the column headers and statuses: zh or en."),
    cc: str | None = typer.Option(None, "--cc", help="Filter: jurisdiction(s), US or US,CN."),
    year_from: int | None = typer.Option(None, "--year-from", help="Filter: published in or after."),
    year_to: int | None = typer.Option(None, "--year-to", help="Filter: published in or before."),
    cls: str | None = typer.Option(None, "--cls", help="Filter: CPC/IPC class."),
    applicant: str | None = typer.Option(None, "--applicant", help="Filter: applicant or assignee."),
    status: str | None = typer.Option(None, "--status", help="Filter: legal status."),
) -> None:
    """Export the results of a query as XLSX or CSV (publication number, title, applicants, date,
    country, classes, legal status, family, abstract, link)."""
    from ipai.service.search_export import csv_chunks, write_xlsx

    filters = {
        "cc": cc,
        "year_from": year_from,
        "year_to": year_to,
        "cls": cls,
        "applicant": applicant,
        "status": status,
    }
    ex = _svc().search_tools.export_results(query, filters=filters, sort=sort, lang=lang, limit=limit)
    with open(out, "wb") as fh:
        if out.suffix.lower() == ".xlsx":
            write_xlsx(ex, fh)
        else:
            for chunk in csv_chunks(ex):
                fh.write(chunk)
    typer.echo(f"wrote {ex.count:,} of {ex.matched:,} matching documents to {out}", err=True)


@app.command()
def similar(
    number: str = typer.Argument(..., help="Publication number of a stored document."),
    top: int = typer.Option(10, "--top", "-k", help="Results to show."),
    mode: str = typer.Option("hybrid", "--mode", help="hybrid, keyword or semantic."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Documents most like a given one (more-like-this)."""
    from ipai.service import results_json

    res = _svc().similar(number, top=top, mode=mode)
    emit(results_json(res, top=top, offset=0)) if as_json else _print_results(res)


@app.command()
def expand(
    term: str = typer.Argument(..., help="A query term (any language)."),
    top: int = typer.Option(20, "--top", "-k", help="Suggestions to show."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Associated terms: translations, synonyms, narrower and related terms, each with its measured association."""
    out = _svc().expand(term, top=top)
    if as_json:
        emit({"term": term, "suggestions": [asdict(s) for s in out]})
        return
    for s in out:
        typer.echo(
            f"{s.term:<28} {s.lang:<3} {s.kind:<12} {s.score:.3f}  {'+'.join(s.sources[1:]):<14} "
            f"{s.count:,} documents"
        )
