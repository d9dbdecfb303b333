"""``ipai disclosure …``/``ipai deadlines …``: the disclosure-to-filing workflow."""

from __future__ import annotations

import typer

from ipai.cli import app, emit, service

disclosure_app = typer.Typer(
    help="Invention disclosures: submit, review, decide, file, track.", no_args_is_help=True
)
deadlines_app = typer.Typer(help="Deadlines per jurisdiction and the reminder scan.", no_args_is_help=True)
app.add_typer(disclosure_app, name="disclosure")
app.add_typer(deadlines_app, name="deadlines")


@disclosure_app.command("submit")
def disclosure_submit(
    title: str = typer.Option(..., "--title"),
    text: str = typer.Option(
        ..., "--text", help="The technical disclosure (or @file to read it from a file)."
    ),
    inventors: str = typer.Option(..., "--inventors", help="Comma-separated names."),
    applicant: str | None = typer.Option(None, "--applicant"),
    product_line: str | None = typer.Option(None, "--product-line"),
    jurisdiction: str | None = typer.Option(None, "--jurisdiction", help="CN, US, EP, JP, KR or PCT."),
    no_assess: bool = typer.Option(False, "--no-assess", help="Do not attach the patentability assessment."),
) -> None:
    """Submit a disclosure; the patentability assessment is attached."""
    if text.startswith("@"):
        from pathlib import Path

        text = Path(text[1:]).read_text(encoding="utf-8")
    values = {
        "title": title,
        "text": text,
        "inventors": inventors,
        "applicant": applicant,
        "product_line": product_line,
        "jurisdiction": jurisdiction,
    }
    emit(service().manage.submit_disclosure({k: v for k, v in values.items() if v}, assess=not no_assess))


@disclosure_app.command("list")
def disclosure_list(
    status: str | None = typer.Option(None, "--status"), limit: int = typer.Option(50, "--limit")
) -> None:
    """Disclosures, newest first."""
    emit(service().manage.disclosures(status=status, limit=limit))


@disclosure_app.command("show")
def disclosure_show(disclosure_id: int = typer.Argument(...)) -> None:
    """A disclosure with its assessment, deadlines and next states."""
    emit(service().manage.disclosure(disclosure_id))


@disclosure_app.command("move")
def disclosure_move(
    disclosure_id: int = typer.Argument(...),
    status: str = typer.Argument(
        ...,
        help="reviewing, file, trade_secret, publish, dropped, filed, examination, "
        "granted, abandoned, lapsed",
    ),
    jurisdiction: str | None = typer.Option(None, "--jurisdiction"),
    filing_date: str | None = typer.Option(None, "--filing-date", help="YYYY-MM-DD"),
    priority_date: str | None = typer.Option(None, "--priority-date", help="YYYY-MM-DD"),
    grant_date: str | None = typer.Option(None, "--grant-date", help="YYYY-MM-DD"),
    application_number: str | None = typer.Option(None, "--application-number"),
    applicant: str | None = typer.Option(None, "--applicant"),
    note: str | None = typer.Option(None, "--note"),
) -> None:
    """Move a disclosure to its next state (filing computes the deadlines)."""
    values = {
        "jurisdiction": jurisdiction,
        "filing_date": filing_date,
        "priority_date": priority_date,
        "grant_date": grant_date,
        "application_number": application_number,
        "applicant": applicant,
        "note": note,
    }
    emit(service().manage.move_disclosure(disclosure_id, status, {k: v for k, v in values.items() if v}))


@disclosure_app.command("office-action")
def disclosure_office_action(
    disclosure_id: int = typer.Argument(...),
    action_date: str = typer.Argument(..., help="YYYY-MM-DD"),
    jurisdiction: str | None = typer.Option(None, "--jurisdiction"),
) -> None:
    """Record an office action; its response deadline is computed."""
    emit(service().manage.record_office_action(disclosure_id, action_date, jurisdiction=jurisdiction))


@disclosure_app.command("link")
def disclosure_link(
    patent: str = typer.Argument(..., help="A patent number or disclosure:<id>."),
    product: str = typer.Argument(...),
    product_line: str | None = typer.Option(None, "--product-line"),
) -> None:
    """Record that a patent protects a product."""
    emit(service().manage.link_product(patent, product, product_line=product_line))


@disclosure_app.command("portfolio")
def disclosure_portfolio(
    product_line: str | None = typer.Option(None, "--product-line"),
    product: str | None = typer.Option(None, "--product"),
) -> None:
    """Products per line with the patents covering them."""
    emit(service().manage.portfolio(product_line=product_line, product=product))


@deadlines_app.command("list")
def deadlines_list(
    within_days: int | None = typer.Option(None, "--within-days"),
    status: str = typer.Option("open", "--status"),
) -> None:
    """Deadlines by due date."""
    emit(service().manage.deadlines(status=status, within_days=within_days))


@deadlines_app.command("scan")
def deadlines_scan(
    days: int = typer.Option(30, "--days", help="Alert for deadlines due within this many days."),
    today: str | None = typer.Option(None, "--today", help="YYYY-MM-DD (default: today)."),
) -> None:
    """The reminder scan: deadlines due soon or overdue raise alerts (once each)."""
    svc = service()
    emit(
        {
            **svc.manage.scan_deadlines(days=days, today=today),
            "alerts": svc.manage.deadline_alerts(unacked=True),
        }
    )


@deadlines_app.command("done")
def deadlines_done(deadline_id: int = typer.Argument(...)) -> None:
    """Mark a deadline met."""
    service().manage.complete_deadline(deadline_id)
    emit({"done": deadline_id})
