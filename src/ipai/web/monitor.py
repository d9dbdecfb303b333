"""Web pages of watchlists, alerts and their push: the watchlists with a form for a new one (any of
the five kinds), a run button, and the alerts with their reasons, severities and acknowledgement."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ipai.errors import InputError
from ipai.faces import params as P
from ipai.web.i18n import pick_lang
from ipai.web.render import page, url

router = APIRouter()


def _watch_page(request: Request, *, status: int = 200, **extra: Any) -> HTMLResponse:
    svc = request.app.state.service
    unack = request.query_params.get("unack") == "1"
    values: dict[str, Any] = {
        "active": "watch",
        "watches": svc.monitor.watches()["items"],
        "unack": unack,
        "alerts": svc.monitor.alerts(unacknowledged=unack, limit=200),
        "form": {},
        "error": None,
        "ran": None,
    }
    values.update(extra)
    return page(request, "watch.html", status=status, **values)


@router.get("/watch", response_class=HTMLResponse)
def watch_page(request: Request) -> HTMLResponse:
    """Watchlists, the new-watchlist form and the alerts."""
    return _watch_page(request)


@router.post("/watch", response_class=HTMLResponse)
async def watch_post(request: Request) -> Response:
    """Add a watchlist from the form (one term per line); errors come back on the form."""
    form = await request.form()
    values = {k: str(form.get(k) or "").strip() for k in ("kind", "terms", "name", "severity")}
    try:
        request.app.state.service.monitor.add_watch({k: v for k, v in values.items() if v})
    except InputError as exc:
        return _watch_page(
            request, status=exc.status, form=values, error=exc.text(pick_lang(request)[0]).split("\n")[0]
        )
    return RedirectResponse(url(request, "/watch"), status_code=303)


@router.post("/watch/run", response_class=HTMLResponse)
def watch_run(request: Request) -> HTMLResponse:
    """Evaluate every enabled watchlist now and show what it found."""
    return _watch_page(request, ran=request.app.state.service.monitor.run_watchlists())


@router.post("/watch/{watch_id}/remove", response_class=HTMLResponse)
def watch_remove(request: Request, watch_id: P.RowId) -> Response:
    """Delete a watchlist (its alerts stay)."""
    request.app.state.service.monitor.remove_watch(watch_id)
    return RedirectResponse(url(request, "/watch"), status_code=303)


@router.post("/alerts/ack", response_class=HTMLResponse)
async def alerts_ack(request: Request) -> Response:
    """Acknowledge one alert (``id``) or all unacknowledged ones."""
    form = await request.form()
    raw = str(form.get("id") or "").strip()
    if raw and not (raw.isascii() and raw.isdigit() and 0 < int(raw) <= P.MAX_ID):
        raise InputError(
            "id must be an alert number", errors=[{"field": "id", "message": "not an alert number"}]
        )
    request.app.state.service.monitor.ack_alerts([int(raw)] if raw else None)
    return RedirectResponse(url(request, "/watch") + (f"#a{raw}" if raw else ""), status_code=303)
