"""``ipai deal …``: licence, transfer and pledge deals."""

from __future__ import annotations

import typer

from ipai.cli import app, emit, service
from ipai.cli.errors import check_lang

deal_app = typer.Typer(
    help="Licence, transfer and pledge deals: offer, sign, milestones, verify, export.", no_args_is_help=True
)
app.add_typer(deal_app, name="deal")


def _parties(values: list[str]) -> dict[str, str]:
    out = {}
    for v in values:
        role, sep, name = v.partition("=")
        if not sep:
            from ipai.errors import InputError

            raise InputError(
                f"--party {v!r}: use role=name, e.g. licensor=Acme",
                errors=[{"field": "parties", "message": "role=name"}],
            )
        out[role.strip().lower()] = name.strip()
    return out


@deal_app.command("offer")
def deal_offer(
    kind: str = typer.Argument(..., help="licence, transfer or pledge"),
    patents: str = typer.Option(..., "--patents", help="Comma-separated patent numbers."),
    party: list[str] = typer.Option(
        [], "--party", help="role=name, repeated: licensor/licensee, assignor/assignee, pledgor/pledgee."
    ),
    title: str | None = typer.Option(None, "--title"),
    exclusivity: str | None = typer.Option(None, "--exclusivity", help="exclusive, sole or non-exclusive."),
    territory: str | None = typer.Option(None, "--territory", help="Comma-separated codes (default WORLD)."),
    field_of_use: str | None = typer.Option(None, "--field-of-use"),
    royalty_rate: float | None = typer.Option(None, "--royalty-rate", help="Percent."),
    lump_sum: float | None = typer.Option(None, "--lump-sum"),
    currency: str | None = typer.Option(None, "--currency"),
    start_date: str | None = typer.Option(None, "--start-date", help="YYYY-MM-DD"),
    end_date: str | None = typer.Option(None, "--end-date", help="YYYY-MM-DD"),
    lang: str = typer.Option(
        "en",
        "--lang",
        callback=check_lang,
        help="Language of a refusal (zh or en): a patent whose right has ended.",
    ),
) -> None:
    """Offer a licence, transfer or pledge (refused for a stored patent that has lapsed, expired or been revoked)."""
    values = {
        "kind": kind,
        "patents": patents,
        "parties": _parties(party),
        "title": title,
        "exclusivity": exclusivity,
        "territory": territory,
        "field_of_use": field_of_use,
        "royalty_rate": royalty_rate,
        "lump_sum": lump_sum,
        "currency": currency,
        "start_date": start_date,
        "end_date": end_date,
    }
    emit(service().deals.offer_deal({k: v for k, v in values.items() if v is not None}, lang=lang))


@deal_app.command("list")
def deal_list(
    status: str | None = typer.Option(None, "--status"),
    kind: str | None = typer.Option(None, "--kind"),
    limit: int = typer.Option(50, "--limit"),
) -> None:
    """Deals, newest first."""
    emit(service().deals.deals(status=status, kind=kind, limit=limit))


@deal_app.command("show")
def deal_show(deal_id: int = typer.Argument(...)) -> None:
    """A deal with its signed versions, milestones, payments and next states."""
    emit(service().deals.deal(deal_id))


@deal_app.command("move")
def deal_move(
    deal_id: int = typer.Argument(...),
    status: str = typer.Argument(..., help="negotiating, signed, active, completed, terminated"),
    signed_date: str | None = typer.Option(None, "--signed-date", help="YYYY-MM-DD"),
) -> None:
    """Move a deal to its next state (signing deposits the agreement in the evidence log)."""
    emit(service().deals.move_deal(deal_id, status, {"signed_date": signed_date} if signed_date else {}))


@deal_app.command("milestone")
def deal_milestone(
    deal_id: int = typer.Argument(...),
    title: str | None = typer.Option(None, "--title"),
    payment: bool = typer.Option(False, "--payment", help="A payment rather than a milestone."),
    amount: float | None = typer.Option(None, "--amount"),
    currency: str | None = typer.Option(None, "--currency"),
    due_date: str | None = typer.Option(None, "--due-date", help="YYYY-MM-DD"),
    done_date: str | None = typer.Option(None, "--done-date", help="YYYY-MM-DD"),
    payer: str | None = typer.Option(None, "--payer"),
) -> None:
    """Record a milestone or payment; it is deposited in the evidence log."""
    values = {
        "kind": "payment" if payment else "milestone",
        "title": title,
        "amount": amount,
        "currency": currency,
        "due_date": due_date,
        "done_date": done_date,
        "payer": payer,
    }
    emit(service().deals.add_deal_milestone(deal_id, {k: v for k, v in values.items() if v is not None}))


@deal_app.command("verify")
def deal_verify(deal_id: int = typer.Argument(...)) -> None:
    """Check every version and record against the evidence log; exit 1 when any was tampered with."""
    res = service().deals.verify_deal(deal_id)
    emit(res)
    if not res["ok"]:
        raise typer.Exit(1)


@deal_app.command("export")
def deal_export(
    deal_id: int = typer.Argument(...), fmt: str = typer.Option("json", "--format", help="json or csv")
) -> None:
    """The agreement data and its history as JSON or CSV."""
    data = service().deals.export_deal(deal_id, fmt)
    if isinstance(data, str):
        typer.echo(data, nl=False)
    else:
        emit(data)
