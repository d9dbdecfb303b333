"""Commands of watchlists, alerts and their push: ``ipai watch add|list|show|run|remove``,
``ipai alerts``, ``ipai bench watch``."""

from __future__ import annotations

import typer

from ipai.cli import app, emit, service

watch_app = typer.Typer(
    help="Watchlists: saved queries, competitors, classes, own patents, trademark words.",
    no_args_is_help=True,
)
app.add_typer(watch_app, name="watch")


def _options(raw: list[str]) -> dict[str, str]:
    out = {}
    for item in raw:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            from ipai.errors import InputError

            raise InputError(
                f"--option {item!r}: write NAME=VALUE", errors=[{"field": "options", "message": item}]
            )
        out[key.strip()] = value.strip()
    return out


@watch_app.command("add")
def watch_add(
    kind: str = typer.Option(..., "--kind", help="query, competitor, cpc, own or trademark."),
    terms: list[str] = typer.Argument(
        ...,
        help="The query; applicant names; class symbols; your publication "
        "numbers; or trademark words (several: give several arguments).",
    ),
    name: str | None = typer.Option(None, "--name", help="A label (default: kind and terms)."),
    severity: str | None = typer.Option(
        None, "--severity", help="low, medium or high: the floor of its alerts."
    ),
    option: list[str] = typer.Option(
        [],
        "--option",
        "-o",
        help="NAME=VALUE, e.g. match=exact, scheme=cpc, min_similarity=0.9, min_score=90, pinyin=false.",
    ),
    channel: list[str] | None = typer.Option(
        None, "--channel", help="Push channel (email, webhook); default both when configured."
    ),
) -> None:
    """Add a watchlist; it fires on what is ingested from now on."""
    values = {
        "kind": kind,
        "terms": list(terms),
        "name": name,
        "severity": severity,
        "options": _options(option),
        "channels": channel,
    }
    emit(service().monitor.add_watch({k: v for k, v in values.items() if v is not None}))


@watch_app.command("list")
def watch_list(as_json: bool = typer.Option(False, "--json")) -> None:
    """Every watchlist with the last run's counts."""
    r = service().monitor.watches()
    if as_json:
        emit(r)
        return
    for w in r["items"]:
        last = w["last_run"] or {}
        state = "" if w["enabled"] else " (disabled)"
        typer.echo(
            f"#{w['id']:<4} {w['kind']:<10} {w['severity']:<6} seq>{w['last_seq']:<8} "
            f"last run: {last.get('alerts', '-')} alert(s)  {w['name'][:60]}{state}"
        )
    typer.echo(f"{r['total']} watchlist(s)")


@watch_app.command("show")
def watch_show(watch_id: int) -> None:
    """One watchlist as JSON."""
    emit(service().monitor.watch(watch_id))


@watch_app.command("set")
def watch_set(
    watch_id: int,
    name: str | None = typer.Option(None, "--name"),
    severity: str | None = typer.Option(None, "--severity"),
    enabled: bool | None = typer.Option(None, "--enabled/--disabled"),
) -> None:
    """Rename, change the severity, or disable/enable a watchlist."""
    values = {"name": name, "severity": severity, "enabled": enabled}
    emit(service().monitor.update_watch(watch_id, {k: v for k, v in values.items() if v is not None}))


@watch_app.command("run")
def watch_run(
    watch_id: list[int] | None = typer.Option(None, "--id", help="Only these watchlists."),
    no_push: bool = typer.Option(False, "--no-push", help="Store alerts without e-mail/webhook."),
) -> None:
    """Evaluate watchlists on what changed since their last run (ingest does this by itself)."""
    emit(service().monitor.run_watchlists(ids=watch_id or None, push=not no_push))


@watch_app.command("remove")
def watch_remove(watch_id: int) -> None:
    """Delete a watchlist (its alerts are kept)."""
    service().monitor.remove_watch(watch_id)
    emit({"ok": True, "removed": watch_id})


@app.command("alerts")
def alerts_cmd(
    unack: bool = typer.Option(False, "--unack", help="Only unacknowledged alerts."),
    ack: list[int] | None = typer.Option(None, "--ack", help="Acknowledge these alert ids."),
    ack_all: bool = typer.Option(False, "--ack-all", help="Acknowledge every unacknowledged alert."),
    watch_id: int | None = typer.Option(None, "--watch", help="Only this watchlist's alerts."),
    severity: str | None = typer.Option(None, "--severity", help="low, medium or high."),
    limit: int = typer.Option(50, "--limit"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Alerts raised by watchlists, newest first; acknowledge with --ack ID… or --ack-all."""
    svc = service()
    if ack or ack_all:
        emit({"ok": True, "acknowledged": svc.monitor.ack_alerts(None if ack_all else list(ack or []))})
        return
    r = svc.monitor.alerts(unacknowledged=unack, watchlist_id=watch_id, severity=severity, limit=limit)
    if as_json:
        emit(r)
        return
    for a in r["items"]:
        mark = " " if a["acknowledged_at"] else "*"
        typer.echo(f"{mark}#{a['id']:<5} {a['severity']:<6} {a['target']:<18} {(a['title'] or '')[:50]}")
        typer.echo(f"        {a['watch_name'][:40]}: {a['reason']}")
    typer.echo(f"{r['total']} alert(s), {r['unacknowledged']} unacknowledged (*)")
