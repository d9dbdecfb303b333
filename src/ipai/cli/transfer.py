"""Technology-transfer commands: ``ipai demand …`` (the needs list), ``ipai transfer …`` (matching;
``ipai match …`` is its deprecated name, kept for one release), ``ipai matches …``,
``ipai resources``, ``ipai notifications``."""

from __future__ import annotations

from pathlib import Path

import typer

from ipai.cli import app, emit, service
from ipai.cli.aliases import deprecated_alias
from ipai.cli.errors import check_lang

demand_app = typer.Typer(help="Enterprise technical demands (the needs list).", no_args_is_help=True)
transfer_app = typer.Typer(
    help="Technology transfer: match demands to patents, owners and experts; patents to demands.",
    no_args_is_help=True,
)
matches_app = typer.Typer(help="The matches list: status, feedback, export.", no_args_is_help=True)
app.add_typer(demand_app, name="demand")
app.add_typer(transfer_app, name="transfer")
deprecated_alias(app, transfer_app, old="match", new="transfer")
app.add_typer(matches_app, name="matches")


def _show_match(r: dict, top: int, lang: str) -> None:
    """A match in the reader's language: key terms, translations, then patents, owners and experts
    with their calibrated relevance and reasons; "no good match" when even the best is too low."""
    from ipai.transfer.reasons import msg

    e = typer.echo
    sep = "、" if lang == "zh" else ", "
    if r.get("key_terms"):
        e(f"{msg('key_terms', lang)}: " + sep.join(t["text"] for t in r["key_terms"]))
    if r.get("translations"):
        e(
            f"{msg('translations', lang)}: "
            + "; ".join(f"{w} → {sep.join(ts)}" for w, ts in r["translations"].items())
        )
    if r.get("notice") == "no_terms":
        e(msg("no_terms", lang))
    elif r.get("notice") == "no_good_match":
        e(msg("no_good_match", lang, best=f"{r['best']:.2f}", threshold=f"{r['threshold']:.2f}"))
    key = "reasons_zh" if lang == "zh" else "reasons"
    for title, k in (("patents_title", "patents"), ("owners_title", "owners"), ("experts_title", "experts")):
        e(f"{msg(title, lang)} ({msg('relevance', lang)}):")
        for x in r[k][:top]:
            mid = f" [#{x['match_id']} {x['status']}]" if x.get("match_id") else ""
            e(f"  {x['rank']:>2}. {x['label'][:60]:<60} {x['score']:.3f}{mid}")
            for reason in x["explanation"].get(key, [])[:3]:
                e(f"        {reason}")
    e(f"({r['timing_ms']['total']:.0f} ms)")


@demand_app.command("add")
def demand_add(
    text: str = typer.Argument(..., help="The need, in Chinese or English."),
    title: str | None = typer.Option(None, "--title"),
    organisation: str | None = typer.Option(None, "--org", help="Enterprise posting the need."),
    industry: str | None = typer.Option(None, "--industry"),
    region: str | None = typer.Option(None, "--region"),
    budget: str | None = typer.Option(None, "--budget"),
    deadline: str | None = typer.Option(None, "--deadline", help="YYYY-MM-DD"),
    contact: str | None = typer.Option(None, "--contact"),
    no_match: bool = typer.Option(False, "--no-match", help="Store only; do not compute matches now."),
) -> None:
    """Add a demand; its matches are computed and a notification is made."""
    values = {
        k: v
        for k, v in {
            "text": text,
            "title": title,
            "organisation": organisation,
            "industry": industry,
            "region": region,
            "budget": budget,
            "deadline": deadline,
            "contact": contact,
        }.items()
        if v is not None
    }
    emit(service().transfer.add_demand({**values, "source": "cli"}, match=not no_match))


@demand_app.command("import")
def demand_import(
    file: Path = typer.Argument(
        ..., help="CSV or XLSX with a demand-text column (需求描述 / description …)."
    ),
    match: bool = typer.Option(False, "--match", help="Compute matches for every imported demand."),
) -> None:
    """Bulk import: valid rows load; each bad cell is reported by row and column."""
    emit(service().transfer.import_demands(file, match=match))


@demand_app.command("list")
def demand_list(
    status: str | None = typer.Option(None, "--status", help="open or closed"),
    limit: int = typer.Option(50, "--limit"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """The needs list."""
    r = service().transfer.demands(status=status, limit=limit)
    if as_json:
        emit(r)
        return
    for d in r["items"]:
        typer.echo(f"#{d['id']:<4} {d['status']:<6} {(d['organisation'] or '')[:20]:<20} {d['title'][:60]}")
    typer.echo(f"{r['total']} demand(s)")


@demand_app.command("show")
def demand_show(demand_id: int) -> None:
    """One demand as JSON."""
    emit(service().transfer.demand(demand_id))


@demand_app.command("update")
def demand_update(
    demand_id: int,
    status: str | None = typer.Option(None, "--status"),
    text: str | None = typer.Option(None, "--text"),
    title: str | None = typer.Option(None, "--title"),
    deadline: str | None = typer.Option(None, "--deadline"),
) -> None:
    """Change a demand's fields."""
    values = {
        k: v
        for k, v in {"status": status, "text": text, "title": title, "deadline": deadline}.items()
        if v is not None
    }
    emit(service().transfer.update_demand(demand_id, values))


@demand_app.command("delete")
def demand_delete(demand_id: int) -> None:
    """Delete a demand and its matches."""
    service().transfer.delete_demand(demand_id)
    emit({"ok": True, "deleted": demand_id})


@transfer_app.command("demand")
def match_demand(
    text: str | None = typer.Argument(None, help="A need as free text (or --id for a stored demand)."),
    demand_id: int | None = typer.Option(None, "--id", help="A stored demand (its proposals are saved)."),
    top: int = typer.Option(10, "--top"),
    mode: str = typer.Option("hybrid", "--mode", help="hybrid, keyword or semantic search of the key terms."),
    lang: str | None = typer.Option(
        None, "--lang", callback=check_lang, help="Language of the reasons: zh or en (default: the demand's)."
    ),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Patents, owners (universities, institutes, companies) and experts for a demand, with their
    calibrated relevance and reasons."""
    if not text and demand_id is None:
        raise typer.BadParameter("give the demand text or --id")
    if lang not in (None, "zh", "en"):
        raise typer.BadParameter("--lang must be zh or en")
    r = service().transfer.match_demand(text, demand_id=demand_id, top=top, mode=mode)
    emit(r) if as_json else _show_match(r, top, lang or ("zh" if r.get("lang") == "zh" else "en"))


@transfer_app.command("patent")
def match_patent(
    number: str = typer.Argument(..., help="Publication number of a stored patent."),
    top: int = typer.Option(10, "--top"),
    as_json: bool = typer.Option(False, "--json"),
    lang: str = typer.Option("en", "--lang", callback=check_lang, help="Language of the reasons: zh or en."),
) -> None:
    """Open demands ranked for a patent (calibrated relevance)."""
    if lang not in ("zh", "en"):
        raise typer.BadParameter("--lang must be zh or en")
    r = service().transfer.match_patent(number, top=top)
    if as_json:
        emit(r)
        return
    typer.echo(f"{r['patent']} {r['title']}")
    key = "reasons_zh" if lang == "zh" else "reasons"
    for d in r["demands"]:
        typer.echo(f"  #{d['demand_id']:<4} {d['score']:.3f}  {d['title'][:60]}  ({'; '.join(d[key])})")


@matches_app.command("list")
def matches_list(
    demand_id: int | None = typer.Option(None, "--demand"),
    status: str | None = typer.Option(None, "--status"),
    kind: str | None = typer.Option(None, "--kind"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """The matches list."""
    r = service().transfer.matches(demand_id=demand_id, status=status, kind=kind)
    if as_json:
        emit(r)
        return
    for m in r["items"]:
        typer.echo(
            f"#{m['id']:<5} demand #{m['demand_id']:<4} {m['kind']:<7} {m['status']:<10} {m['feedback'] or '':<9} {m['label'][:50]}"
        )
    typer.echo(f"{r['total']} match(es)")


@matches_app.command("set")
def matches_set(
    match_id: int,
    status: str | None = typer.Option(None, "--status", help="proposed, contacted, agreed, closed"),
    feedback: str | None = typer.Option(None, "--feedback", help="accepted, rejected or none"),
) -> None:
    """Move a match through its statuses and/or record feedback (used to re-rank)."""
    emit(service().transfer.update_match(match_id, status=status, feedback=feedback))


@matches_app.command("export")
def matches_export(
    out: Path = typer.Option(..., "--out", "-o", help="CSV file to write."),
    status: str | None = typer.Option(None, "--status"),
) -> None:
    """Export the matches list as CSV (opens in Excel/WPS with Chinese intact)."""
    out.write_text(service().transfer.export_matches(status=status), encoding="utf-8")
    emit({"ok": True, "file": str(out)})


@app.command()
def resources(
    kind: list[str] = typer.Option(["university", "institute"], "--kind", help="Owner types to list."),
    limit: int = typer.Option(30, "--limit"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """The resources list: universities and institutes (or other owner types) with their patents and inventors."""
    r = service().transfer.resources(kinds=tuple(kind), limit=limit)
    if as_json:
        emit(r)
        return
    for o in r["owners"]:
        typer.echo(
            f"{o['documents']:>5}  {o['type']:<10} {o['owner'][:50]:<50} {', '.join(o['subclasses'][:3])}"
        )


@app.command()
def notifications(
    unread: bool = typer.Option(False, "--unread"),
    mark_read: bool = typer.Option(False, "--mark-read"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Match notifications (new demands' matches, new documents matching open demands)."""
    svc = service()
    r = svc.transfer.notifications(unread=unread)
    if mark_read:
        r["marked_read"] = svc.transfer.read_notifications()
    if as_json:
        emit(r)
        return
    for n in r["items"]:
        typer.echo(f"#{n['id']:<4} {n['created_at']}  {'  ' if n['read_at'] else '● '}{n['message']}")
