"""``ipai serve``: the web UI and REST API on the configured store."""

from __future__ import annotations

import socket
from typing import Any

import typer

from ipai.cli import app, service, settings
from ipai.errors import InputError

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` (0 = a free port) with SO_REUSEADDR, so that a server restarted
    right after a crash binds at once (connections of the old process may still hold the port in
    TIME_WAIT); a port another process listens on is still refused."""
    try:
        family, kind, proto, _, addr = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except socket.gaierror as exc:
        raise InputError(
            f"cannot listen on {host}:{port}: {exc.strerror} (use --host)",
            errors=[{"field": "host", "message": "unknown"}],
        ) from exc
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(addr)
    except OSError as exc:
        sock.close()
        raise InputError(
            f"cannot listen on {host}:{port}: {exc.strerror} (use --port)",
            errors=[{"field": "port", "message": "in use"}],
        ) from exc
    return sock


def serve_app(svc: Any, host: str, port: int, *, insecure: bool = False) -> None:
    """Serve the application over ``svc`` until interrupted; prints the URL first. Listening
    beyond this machine needs sign-in on (``IPAI_AUTH=true``) unless ``insecure``. Forwarded
    headers are read by the application from configured trusted proxies only (``trusted_proxies``),
    never by uvicorn."""
    import uvicorn

    from ipai.api import create_app

    if host not in LOOPBACK and not svc.settings.auth and not insecure:
        raise InputError(
            f"refusing to listen on {host} with sign-in off: everyone who can reach it would act as "
            "the administrator. Set IPAI_AUTH=true (server mode, see docs/security.md) or pass "
            "--insecure",
            errors=[{"field": "auth", "message": "off"}],
        )

    sock = listen(host, port)
    try:
        port = sock.getsockname()[1]
        svc.notice = lambda msg: typer.echo(msg, err=True)
        application = create_app(service=svc)
        shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        typer.echo(
            f"ipai is serving on http://{shown}:{port}/  (API: http://{shown}:{port}/api/v1/docs; "
            "Ctrl+C stops)",
            err=True,
        )
        typer.echo(f"http://{shown}:{port}/")
        config = uvicorn.Config(application, host=host, port=port, log_level="warning", proxy_headers=False)
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()
        svc.close()


@app.command()
def serve(
    host: str | None = typer.Option(None, "--host", help="Address to listen on (setting host)."),
    port: int | None = typer.Option(None, "--port", help="Port (setting port; 0 = any free port)."),
    insecure: bool = typer.Option(False, "--insecure", help="Allow a non-loopback address with sign-in off."),
) -> None:
    """Serve the web UI (/) and the REST API (/api/v1, docs at /api/v1/docs) on the store."""
    cfg = settings()
    serve_app(service(), host or cfg.host, cfg.port if port is None else port, insecure=insecure)
