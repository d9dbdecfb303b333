"""Claim-vs-product commands: ``ipai fto compare``, ``ipai fto scan``."""

from __future__ import annotations

from pathlib import Path

import typer

from ipai.cli import app, emit, service

fto_app = typer.Typer(
    help="Claim-vs-product comparison (freedom to operate, infringement screening).", no_args_is_help=True
)
app.add_typer(fto_app, name="fto")
ICON = {"present": "✔", "unclear": "?", "absent": "✘"}


def _product(value: str) -> str:
    """A product description given inline or as a file path."""
    from ipai.text.inputs import read_text_file

    p = Path(value)
    return read_text_file(p) if len(value) < 4096 and p.is_file() else value


def _print_chart(chart: dict, title: str) -> None:
    import re

    from ipai.assess.messages import say

    e = typer.echo
    e(
        say(
            "coverage_line",
            chart["lang"],
            title=title,
            p=chart["literal_coverage"],
            present=chart["present"],
            unclear=chart["unclear"],
            absent=chart["absent"],
            verdict=chart["verdict"],
        )
    )
    if chart.get("semantic", {}).get("note"):
        e(f"  ({chart['semantic']['note']})")
    for f in chart["features"]:
        where = f" [{f['where']}]" if f["where"] else ""
        e(f"  {ICON[f['status']]} {f['id']} {f['status_text']}: {f['feature'][:70]}")
        if f["product_passage"]:
            e(f"      {f['score']:.2f}{where} {re.sub('<[^>]+>', '', f['product_passage'])[:110]}")
    e(f"  {chart['note']}")


@fto_app.command("compare")
def compare(
    number: str = typer.Argument(..., help="Publication number of a stored patent with claims."),
    product: str = typer.Option(
        ..., "--product", "-p", help="Product description (text, or a UTF-8/GB18030 file)."
    ),
    claim: int | None = typer.Option(
        None, "--claim", help="Chart this claim (default: every independent claim)."
    ),
    lang: str | None = typer.Option(
        None, "--lang", help="Language of the chart's texts (en, zh); default: the product description's."
    ),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Claim chart: each claim element present / unclear / absent in the product, with the passage."""
    r = service().fto.compare_product(number, _product(product), claim=claim, lang=_lang(lang))
    if as_json:
        emit(r)
        return
    typer.echo(f"{r['patent']} {r['title']}")
    for ch in r["charts"]:
        _print_chart(ch, ch["claim_label"])


def _lang(lang: str | None) -> str | None:
    from ipai.errors import InputError

    if lang not in (None, "en", "zh"):
        raise InputError(
            f"--lang must be en or zh, not {lang!r} / --lang 只能是 en 或 zh",
            errors=[{"field": "lang", "message": "en or zh"}],
        )
    return lang


@fto_app.command("scan")
def scan(
    product: str = typer.Option(..., "--product", "-p", help="Product description (text or file)."),
    top: int = typer.Option(10, "--top"),
    lang: str | None = typer.Option(None, "--lang", help="en or zh"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """The stored patents whose first independent claim the product covers most."""
    from ipai.assess.messages import say

    text = _product(product)
    r = service().fto.scan_product(text, top=top, lang=_lang(lang))
    if as_json:
        emit(r)
        return
    ui = lang or ("zh" if any("\u4e00" <= ch <= "\u9fff" for ch in text[:2000]) else "en")
    typer.echo(
        say("scan_head", ui, charted=r["charted"], candidates=r["candidates"], without=r["without_claims"])
    )
    for p in r["patents"]:
        typer.echo(
            f"  {p['literal_coverage']:.0%} ({p['present']}✔ {p['unclear']}? {p['absent']}✘)  {p['patent']}  {p['title'][:60]}"
        )


@app.command()
def overseas(
    company: str = typer.Argument(..., help="The company going abroad (any spelling of its applicant name)."),
    markets: str = typer.Option(..., "--markets", "-m", help="Target jurisdictions, e.g. US,EP,JP."),
    product: str | None = typer.Option(None, "--product", "-p", help="Product description (text or file)."),
    case_type: str | None = typer.Option(None, "--case-type", help="infringement, invalidation, customs …"),
    top: int = typer.Option(20, "--top"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Overseas early warning: foreign documents closest to the company's products/patents in its
    target markets, and the agencies (from `ipai directory import`) to act there."""
    r = service().fto.overseas_warning(
        company,
        markets.replace(";", ",").split(","),
        product=_product(product) if product else None,
        case_type=case_type,
        top=top,
    )
    if as_json:
        emit(r)
        return
    e = typer.echo
    e(
        f"{r['company']} ({r['home'] or '?'}): {r['own_documents']} own documents; {r['candidates']} candidates in {', '.join(r['markets'])}"
    )
    for t in r["threats"]:
        e(f"  {t['score']:.2f}  {t['id']:<16} {t['title'][:50]:<50} {'; '.join(t['applicants'][:1])[:30]}")
        e(f"        {' · '.join(t['reasons'])}")
    if r["agencies"]:
        e("agencies:")
        for a in r["agencies"]:
            e(f"  {a['score']:.2f}  {a['name'][:40]:<40} {' · '.join(a['reasons'])}")


directory_app = typer.Typer(
    help="The overseas directory: service agencies and past dispute cases.", no_args_is_help=True
)
app.add_typer(directory_app, name="directory")


@directory_app.command("import")
def directory_import(
    kind: str = typer.Argument(..., help="agencies or cases"),
    file: Path = typer.Argument(
        ...,
        help="CSV or XLSX (agencies: name, jurisdictions, fields, "
        "case_types, contact; cases: agency, jurisdiction, case_type, field, outcome)",
    ),
) -> None:
    """Load (replace) the agencies directory or the past-cases table; bad rows are reported by row and column."""
    emit(service().fto.import_directory(kind, file))


@directory_app.command("list")
def directory_list(kind: str = typer.Argument("agencies", help="agencies or cases")) -> None:
    """The loaded directory as JSON."""
    if kind not in ("agencies", "cases"):
        raise typer.BadParameter("agencies or cases")
    emit(service().fto.directory(kind))
