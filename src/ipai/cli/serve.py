"""``ipai serve``: the web UI and REST API on the configured store."""

from __future__ import annotations

import socket
from typing import Any, Optional

import typer

from ipai.cli import app, service, settings
from ipai.errors import InputError


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def serve_app(svc: Any, host: str, port: int, *, insecure: bool = False) -> None:
    """Serve the application over ``svc`` until interrupted; prints the URL first. Listening
    beyond this machine needs sign-in on (``IPAI_AUTH=true``) unless ``insecure``."""
    import uvicorn

    from ipai.api import create_app

    if host not in LOOPBACK and not svc.settings.auth and not insecure:
        raise InputError(f"refusing to listen on {host} with sign-in off: everyone who can reach it would act as "
                         "the administrator. Set IPAI_AUTH=true (server mode, see docs/security.md) or pass "
                         "--insecure", errors=[{"field": "auth", "message": "off"}])

    if port == 0:
        with socket.socket() as s:
            s.bind((host, 0))
            port = s.getsockname()[1]
    else:
        with socket.socket() as s:
            try:
                s.bind((host, port))
            except OSError as exc:
                raise InputError(f"cannot listen on {host}:{port}: {exc.strerror} (use --port)") from exc
    svc.notice = lambda msg: typer.echo(msg, err=True)
    application = create_app(service=svc)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    typer.echo(f"ipai is serving on http://{shown}:{port}/  (API: http://{shown}:{port}/api/v1/docs; "
               "Ctrl+C stops)", err=True)
    typer.echo(f"http://{shown}:{port}/")
    try:
        uvicorn.run(application, host=host, port=port, log_level="warning")
    finally:
        svc.close()


@app.command()
def serve(
    host: Optional[str] = typer.Option(None, "--host", help="Address to listen on (setting host)."),
    port: Optional[int] = typer.Option(None, "--port", help="Port (setting port; 0 = any free port)."),
    insecure: bool = typer.Option(False, "--insecure", help="Allow a non-loopback address with sign-in off."),
) -> None:
    """Serve the web UI (/) and the REST API (/api/v1, docs at /api/v1/docs) on the store."""
    cfg = settings()
    serve_app(service(), host or cfg.host, cfg.port if port is None else port, insecure=insecure)
