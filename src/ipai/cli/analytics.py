"""Analytics commands: ``ipai landscape``."""

from __future__ import annotations

import time
from pathlib import Path

import typer

from ipai.cli import app, emit, service
from ipai.cli.errors import check_lang
from ipai.errors import InputError


@app.command()
def landscape(
    query: str = typer.Argument(
        ..., help='The set to map (any query: cpc:B64C*, drone OR 无人机, pa:"Parrot" …).'
    ),
    limit: int = typer.Option(25_000, "--limit", help="At most this many best-matching documents."),
    top: int = typer.Option(20, "--top", help="Rows per ranking."),
    cc: str | None = typer.Option(None, "--cc", help="Filter: jurisdiction(s)."),
    year_from: int | None = typer.Option(None, "--year-from", help="Filter: published in or after."),
    year_to: int | None = typer.Option(None, "--year-to", help="Filter: published in or before."),
    count: str = typer.Option(
        "documents", "--count", help="documents, or families (同族: each family once per row)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the whole landscape as JSON."),
) -> None:
    """Counts by year, jurisdiction, class, applicant and inventor over the documents a query matches."""
    r = service().analytics.landscape(
        query,
        limit=limit,
        top=top,
        filters={"cc": cc, "year_from": year_from, "year_to": year_to},
        count=count,
    )
    if as_json:
        emit(r)
        return
    e = typer.echo
    e(
        f"{r['documents']:,} documents ({r['families']:,} families; counting {r['count']}) of {r['matched']:,} matching, "
        f"{r['years']['first']}–{r['years']['last']}, {r['timing_ms']['total']:.0f} ms"
    )
    e("by year:         " + ", ".join(f"{y} {n}" for y, n in list(r["by_year"].items())[-12:]))
    e("jurisdictions:   " + ", ".join(f"{x['key']} {x['count']}" for x in r["by_jurisdiction"][:10]))
    e("subclasses:      " + ", ".join(f"{x['key']} {x['count']}" for x in r["by_subclass"][:10]))
    e("top applicants:")
    for a in r["by_applicant"][:top]:
        e(
            f"  {a['count']:>5}  {a['key'][:60]:<60} {a['first_year']}–{a['last_year']}  cited by {a['cited_by']}"
        )
    e("top inventors:   " + "; ".join(f"{x['key']} ({x['count']})" for x in r["by_inventor"][:8]))


report_app = typer.Typer(help="Self-contained HTML (and PDF) reports.", no_args_is_help=True)
app.add_typer(report_app, name="report")


def _write_report(html_text: str, out: Path, pdf: Path | None, t0: float, **info: object) -> None:
    """Write the HTML report (and its PDF), creating their folders; the JSON line says where and how
    long it took. A place that cannot be written is an InputError naming it (one line, exit 2)."""
    from ipai.report.html import html_to_pdf

    for target, option in ((out, "out"), *(((pdf, "pdf"),) if pdf else ())):
        if target.is_dir():
            raise InputError(
                f"--{option} {target} is a folder: give the file to write, e.g. {target / 'report.html'}",
                errors=[{"field": option, "message": "is a folder"}],
            )
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(
                f"cannot create the folder {target.parent} for --{option}: {exc.strerror or exc}",
                errors=[{"field": option, "message": "cannot create folder"}],
            ) from None
    try:
        out.write_text(html_text, encoding="utf-8")
    except OSError as exc:
        raise InputError(
            f"cannot write the report to {out}: {exc.strerror or exc}",
            errors=[{"field": "out", "message": "cannot write"}],
        ) from None
    res: dict[str, object] = {"ok": True, "html": str(out), **info}
    if pdf:
        html_to_pdf(out, pdf)
        res["pdf"] = str(pdf)
    res["seconds"] = round(time.perf_counter() - t0, 2)
    emit(res)


@report_app.command("landscape")
def report_landscape(
    query: str = typer.Argument(..., help="The set to map (any query)."),
    out: Path = typer.Option(..., "--out", "-o", help="HTML file to write."),
    pdf: Path | None = typer.Option(None, "--pdf", help="Also print a PDF here (needs chromium)."),
    lang: str = typer.Option("en", "--lang", callback=check_lang, help="Report language: en or zh."),
    limit: int = typer.Option(25_000, "--limit", help="At most this many best-matching documents."),
    top: int = typer.Option(20, "--top", help="Rows per ranking."),
) -> None:
    """Landscape report: charts of filings per year, jurisdictions, classes, applicants, matrix, network."""
    from ipai.report.landscape import to_html

    t0 = time.perf_counter()
    r = service().analytics.landscape_report(query, limit=limit, top=top)
    _write_report(to_html(r, lang), out, pdf, t0, documents=r["documents"])


@app.command()
def company(
    name: str = typer.Argument(..., help="Applicant name (any spelling; variants are merged)."),
    top: int = typer.Option(10, "--top", help="Rows per ranking."),
    as_json: bool = typer.Option(False, "--json", help="Print the whole portrait as JSON."),
) -> None:
    """Enterprise portrait and innovation strength among the peers in its leading classes."""
    r = service().analytics.company(name, top=top)
    if as_json:
        emit(r)
        return
    e = typer.echo
    st = r["strength"]
    e(
        f"{r['name']}: {r['documents']:,} documents, {r['families']:,} families, cited {r['citations_received']:,} times"
    )
    e("technology:  " + ", ".join(f"{x['key']} {x['count']}" for x in r["technology_mix"]))
    e("inventors:   " + "; ".join(f"{x['key']} ({x['count']})" for x in r["key_inventors"][:6]))
    e("partners:    " + "; ".join(f"{x['key']} ({x['count']})" for x in r["partners"][:6]))
    e(
        f"strength:    {st['score']:.2f} — rank {st['rank']} of {st['peers']} in {', '.join(r['field']['subclasses'])} "
        f"({st['method']})"
    )
    e("percentiles: " + ", ".join(f"{k} {v:.2f}" for k, v in st["percentiles"].items()))


@app.command()
def talent(
    query: str = typer.Argument(..., help="The technical demand (words, a disclosure, or examiner syntax)."),
    top: int = typer.Option(20, "--top", help="Inventors to list."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON (with the co-inventor network)."),
) -> None:
    """Inventors ranked for a technical demand: relevant output, recency, impact (expert finding)."""
    r = service().analytics.talent(query, top=top)
    if as_json:
        emit(r)
        return
    typer.echo(
        f"{len(r['inventors'])} inventors over {r['documents']:,} matching documents (weights {r['weights']})"
    )
    for i, p in enumerate(r["inventors"], 1):
        typer.echo(
            f"{i:>3}. {p['name'][:40]:<40} score {p['score']:.2f}  docs {p['documents']:>3}  "
            f"{p['years'][0]}–{p['years'][1]}  cited {p['cited_by']:>4}  {'; '.join(p['affiliations'])[:50]}"
        )


@app.command()
def topics(
    query: str = typer.Argument(..., help="The set to map (any query)."),
    k: int | None = typer.Option(None, "--k", help="Number of topics (default ≈ √(n/2), 4–16)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON (with 2-D positions)."),
) -> None:
    """Topic map: clusters of the matching documents with readable zh/en labels."""
    r = service().analytics.topics(query, k=k)
    if as_json:
        emit(r)
        return
    typer.echo(f"{r['k']} topics over {r['documents']:,} documents ({r.get('method', '')})")
    for t in r["topics"]:
        typer.echo(f"{t['size']:>6}  {t['label_en'][:50]:<50} {t['label_zh']}")


@app.command()
def evolution(
    query: str = typer.Argument(..., help="The set to trace (any query)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Technology evolution: the citation main path of the set, or a topic timeline without citations."""
    r = service().analytics.evolution(query)
    if as_json:
        emit(r)
        return
    typer.echo(f"{r['matched']:,} documents; {r['method']}")
    for s in r.get("main_path") or []:
        typer.echo(f"  {s['year']}  {s['id']:<16} {str(s['title'])[:70]}")
    for t in r.get("timeline") or []:
        typer.echo(f"  {t['first_year']}  {t['size']:>5}  {t['topic'][:50]:<50} {t['label_zh']}")


@report_app.command("company")
def report_company(
    name: str = typer.Argument(..., help="Applicant name."),
    out: Path = typer.Option(..., "--out", "-o", help="HTML file to write."),
    pdf: Path | None = typer.Option(None, "--pdf", help="Also print a PDF here (needs chromium)."),
    lang: str = typer.Option("en", "--lang", callback=check_lang, help="Report language: en or zh."),
) -> None:
    """Enterprise portrait report: portfolio, technology mix, inventors, partners, strength among peers."""
    from ipai.report.company import to_html

    t0 = time.perf_counter()
    r = service().analytics.company(name)
    _write_report(to_html(r, lang), out, pdf, t0, company=r["name"], documents=r["documents"])
