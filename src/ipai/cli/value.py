"""Valuation commands: ``ipai value``, ``ipai value-train``, ``ipai eval value``, ``ipai bench value``."""

from __future__ import annotations

from typing import Any

import typer

from ipai.cli import app, emit, service


def _print_doc(d: dict[str, Any]) -> None:
    e = typer.echo
    score = "n/a" if d["score"] is None else f"{d['score']:.1f}"
    e(
        f"{d['id']:<16} score {score:>5} (rank score {d['rank_score']:.1f}, coverage {100 * d['coverage']:.0f}%)  "
        f"{(d.get('title') or '')[:70]}"
    )
    for r in d["indicators"]:
        if r["normalised"] is not None:
            e(f"    {r['contribution']:>6.2f}  {r['text']}")
    if d.get("note"):
        e(f"    note: {d['note']}")
    if d.get("learned"):
        lm = d["learned"]
        e(f"    learned ({lm['label']}): p = {lm['probability']:.3f}")


@app.command("value")
def value_cmd(
    numbers: list[str] | None = typer.Argument(None, help="Publication numbers (any spelling)."),
    query: str | None = typer.Option(None, "--query", "-q", help="Value the documents a query matches."),
    top: int = typer.Option(20, "--top", help="Documents listed for a query (best first)."),
    limit: int = typer.Option(1000, "--limit", help="At most this many best-matching documents are valued."),
    pool: bool = typer.Option(
        False, "--pool", help="Screen the query's portfolio into a transformable pool."
    ),
    min_term: float = typer.Option(3.0, "--min-term", help="Pool: years of term a document needs left."),
    share: float = typer.Option(0.5, "--share", help="Pool: best share of the eligible documents kept."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Value score (0-100) with a per-indicator explanation; --pool ranks a portfolio into a transformable pool."""
    if pool:
        if not query:
            raise typer.BadParameter('--pool needs --query (the portfolio, e.g. pa:"UNIV TSINGHUA")')
        r = service().value.value_screen(
            query,
            limit=max(limit, 25_000) if limit == 1000 else limit,
            top_share=share,
            min_term=min_term,
            listed=top,
        )
        if as_json:
            emit(r)
            return
        typer.echo(
            f"portfolio {r['portfolio']}, eligible {r['eligible']}, pool {r['pool_size']} "
            f"(by owner type {r['pool_by_owner_type']})"
        )
        for k, n in r["excluded"].items():
            typer.echo(f"  excluded {n:>6}: {k}")
        for e in r["pool"]:
            typer.echo(
                f"{e['rank']:>4} [{e['tier']}] {e['id']:<16} {e['score']:.1f}  {(e.get('title') or '')[:60]}"
            )
            for reason in e["reasons"]:
                typer.echo(f"        - {reason}")
        return
    if not numbers and not query:
        raise typer.BadParameter("give publication numbers or --query")
    r = service().value.value(numbers or None, query if not numbers else None, limit=limit, top=top)
    if as_json:
        emit(r)
        return
    typer.echo(
        f"{r['valued']} valued of {r['matched']} (reference: {r['reference_documents']:,} stored documents, "
        f"as of {r['as_of']}, {r['timing_ms']:.0f} ms)"
    )
    for d in r["documents"]:
        _print_doc(d)


@app.command("value-train")
def value_train(
    label: str = typer.Option(
        "cites", "--label", help="Proxy label: cites (top-quartile cohort citations) or family."
    ),
) -> None:
    """Fit the learned (logistic) value layer on the stored documents; writes <home>/models/value-<label>-vN.json."""
    emit(service().value.train_value_model(label=label))
