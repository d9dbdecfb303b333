"""``ipai industry …``: the IP-to-industry view and concordances."""

from __future__ import annotations

from pathlib import Path

import typer

from ipai.cli import app, emit, service
from ipai.errors import InputError

industry_app = typer.Typer(
    help="Patents by technology field / industry, joined with industry figures.", no_args_is_help=True
)
app.add_typer(industry_app, name="industry")


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"cannot read {path}: {e}", errors=[{"field": "file", "message": str(e)}]) from e


@industry_app.command("load-concordance")
def load_concordance(
    file: Path = typer.Argument(..., help="CSV: code_prefix,target_id,target_label_en,target_label_zh."),
    scheme: str = typer.Option(
        ..., "--scheme", help="Scheme name, e.g. gbt4754, nace2 (wipo35 replaces the default)."
    ),
) -> None:
    """Validate and store a concordance IPC/CPC prefix → industry under <home>/industry/concordance/."""
    emit({"ok": True, **service().industry.load_concordance(_read(file), scheme)})


@industry_app.command("load-figures")
def load_figures(
    file: Path = typer.Argument(..., help="CSV: industry_id,region,year,value,unit."),
    scheme: str = typer.Option("wipo35", "--scheme", help="The scheme whose ids the figures use."),
) -> None:
    """Validate and store industry figures (e.g. regional output by industry) for a scheme."""
    emit({"ok": True, **service().industry.load_figures(_read(file), scheme)})


@industry_app.command("schemes")
def schemes() -> None:
    """List the concordances available (built-in and loaded)."""
    emit({"ok": True, "schemes": service().industry.industry_schemes()})


@industry_app.command("view")
def view(
    query: str | None = typer.Argument(None, help="The set to map (any query); omit with --applicant."),
    applicant: str | None = typer.Option(None, "--applicant", help="A company portrait instead of a query."),
    scheme: str = typer.Option("wipo35", "--scheme", help="Concordance to map through."),
    region: str | None = typer.Option(
        None, "--region", help="Figures: only this region (default: all summed)."
    ),
    year: int | None = typer.Option(None, "--year", help="Figures: this year (default: the latest)."),
    limit: int = typer.Option(25_000, "--limit", help="At most this many best-matching documents."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Patents per field/industry with share, per-year counts and, with figures, patents per unit of output."""
    r = service().industry.industry_view(
        query, applicant=applicant, scheme=scheme, region=region, year=year, limit=limit
    )
    if as_json:
        emit(r)
        return
    e = typer.echo
    e(
        f"{r['documents']:,} documents ({r['mapped']:,} mapped, {r['unmapped']:,} unmapped), scheme {r['scheme']}"
    )
    fig = r["figures"]
    if fig:
        e(f"figures: region {fig['region']}, year {fig['year']}")
    for x in r["industries"]:
        line = f"  {x['id']:>8}  {x['patents']:>6}  {x['share']:>6.1%}  {(x['label_en'] or x['label_zh'])[:45]:<45}"
        if fig:
            line += f"  {x['figure'] if x['figure'] is not None else '-':>12} {x['unit'] or ''}"
            line += f"  {x['patents_per_unit']:.4g}/unit" if x["patents_per_unit"] else ""
        e(line)
