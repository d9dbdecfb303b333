"""``ipai serve``: the web UI and REST API on the configured store."""

from __future__ import annotations

import os
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


def worker_count(requested: int) -> int:
    """Web workers for a ``workers`` setting or option: 0 = one per core this process may use."""
    if requested > 0:
        return requested
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def serve_app(svc: Any, host: str, port: int, *, insecure: bool = False, workers: int = 1) -> None:
    """Serve the application over ``svc`` until interrupted; prints the URL first. Listening
    beyond this machine needs sign-in on (``IPAI_AUTH=true``) unless ``insecure``. Forwarded
    headers are read by the application from configured trusted proxies only (``trusted_proxies``),
    never by uvicorn. ``workers`` > 1: a supervisor with that many web workers and a writer
    (:mod:`ipai.cli.supervisor`)."""
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
        shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        if workers > 1:
            _serve_workers(svc, sock, host, workers, shown)
            return
        import uvicorn

        from ipai.api import create_app

        svc.notice = lambda msg: typer.echo(msg, err=True)
        application = create_app(service=svc)
        _announce(shown, port)
        config = uvicorn.Config(application, host=host, port=port, log_level="warning", proxy_headers=False)
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()
        svc.close()


def _announce(shown: str, port: int, detail: str = "") -> None:
    typer.echo(
        f"ipai is serving on http://{shown}:{port}/  (API: http://{shown}:{port}/api/v1/docs{detail}; "
        "Ctrl+C stops)",
        err=True,
    )
    typer.echo(f"http://{shown}:{port}/")


def _serve_workers(svc: Any, sock: socket.socket, host: str, workers: int, shown: str) -> None:
    from ipai.cli.supervisor import Supervisor, preload
    from ipai.security.sharedlimits import shared_storage_url

    if "rate_limit_storage" not in svc.settings.model_fields_set:  # counted once, by all workers
        url = shared_storage_url(svc.settings.home / "cache" / "ratelimit.sqlite")
        svc.settings = svc.settings.model_copy(update={"rate_limit_storage": url})
    elif svc.settings.rate_limit_storage.startswith("memory://"):
        typer.echo(
            f"warning: rate_limit_storage is memory://: each of the {workers} workers counts its own "
            "requests (unset it to share one count)",
            err=True,
        )
    svc.notice = lambda msg: typer.echo(msg, err=True)
    typer.echo(f"loading the index and models once for {workers} workers…", err=True)
    application = preload(svc)
    _announce(shown, sock.getsockname()[1], f"; {workers} workers")
    code = Supervisor(svc, application, sock, workers, host=host).run()
    if code:
        raise typer.Exit(code)


@app.command()
def serve(
    host: str | None = typer.Option(None, "--host", help="Address to listen on (setting host)."),
    port: int | None = typer.Option(None, "--port", help="Port (setting port; 0 = any free port)."),
    workers: int | None = typer.Option(
        None,
        "--workers",
        min=0,
        help="Web worker processes (setting workers; default one per core; 1 = a single process).",
    ),
    insecure: bool = typer.Option(False, "--insecure", help="Allow a non-loopback address with sign-in off."),
) -> None:
    """Serve the web UI (/) and the REST API (/api/v1, docs at /api/v1/docs) on the store."""
    cfg = settings()
    serve_app(
        service(),
        host or cfg.host,
        cfg.port if port is None else port,
        insecure=insecure,
        workers=worker_count(cfg.workers if workers is None else workers),
    )
