"""Who is at the other end of a request, and whether a request comes from this site.

The caller's address is the address that connected, unless that address is one of the configured
``trusted_proxies``: then ``X-Forwarded-For`` is read from the right, skipping trusted proxies, and
the first address that is not one is the caller. With no trusted proxies (the default) forwarded
headers are ignored, so a client cannot choose the address it is counted and audited as.

A state-changing request is *foreign* when the browser says it comes from another site
(``Sec-Fetch-Site``), or its ``Origin`` (else its ``Referer``) names another host than the one the
request was sent to (``Host``, or ``X-Forwarded-Host`` from a trusted proxy).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}


def networks(items: Iterable[str]) -> tuple[Network, ...]:
    """The trusted proxy networks of the setting (addresses become /32 or /128 networks)."""
    return tuple(ipaddress.ip_network(x, strict=False) for x in items)


def parse_ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """An address from a forwarded hop (``1.2.3.4``, ``1.2.3.4:5678``, ``[::1]:80``, ``::1``); None if not one."""
    t = text.strip().strip('"')
    if t.startswith("["):
        t = t[1:].split("]", 1)[0]
    elif t.count(":") == 1:
        t = t.split(":", 1)[0]
    try:
        return ipaddress.ip_address(t)
    except ValueError:
        return None


def trusted(address: str | None, nets: Sequence[Network]) -> bool:
    """Whether ``address`` is one of the trusted proxies."""
    ip = parse_ip(address or "") if nets else None
    return ip is not None and any(ip in n for n in nets)


def _header(scope: dict[str, Any], name: bytes) -> list[str]:
    return [v.decode("latin-1") for k, v in scope.get("headers") or [] if k == name]


def peer(scope: dict[str, Any]) -> str:
    """The address that connected."""
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


def client_address(scope: dict[str, Any], nets: Sequence[Network]) -> str:
    """The caller's address: the connecting address, or behind trusted proxies the last hop of
    ``X-Forwarded-For`` that is not a trusted proxy."""
    addr = peer(scope)
    if not trusted(addr, nets):
        return addr
    hops = [h for v in _header(scope, b"x-forwarded-for") for h in v.split(",") if h.strip()]
    for hop in reversed(hops):
        ip = parse_ip(hop)
        if ip is None:  # garbage in the chain: stop at the last hop we could read
            break
        addr = str(ip)
        if not any(ip in n for n in nets):
            break
    return addr


def _host_port(netloc: str) -> tuple[str, int | None]:
    try:
        parts = urlsplit("//" + netloc)
        return (parts.hostname or "").lower(), parts.port
    except ValueError:
        return "", None


def _same_host(url: str, host_header: str) -> bool:
    """Whether the origin of ``url`` is the host (and port) the request was sent to. Without a port
    in the Host header the origin must use its scheme's default port (http and https alike: a proxy
    terminating TLS passes the host on without the scheme)."""
    try:
        u = urlsplit(url)
        u_host, u_port = (u.hostname or "").lower(), u.port or DEFAULT_PORTS.get(u.scheme.lower())
    except ValueError:
        return False
    if not u_host or u.scheme.lower() not in DEFAULT_PORTS:
        return False
    h_host, h_port = _host_port(host_header)
    if h_host != u_host:
        return False
    return u_port == h_port if h_port is not None else u_port == DEFAULT_PORTS[u.scheme.lower()]


def foreign(scope: dict[str, Any], nets: Sequence[Network]) -> str | None:
    """Why a request comes from another site (for state-changing requests), or None."""
    site = (_header(scope, b"sec-fetch-site") or [""])[0].strip().lower()
    if site in ("cross-site", "same-site"):
        return f"the browser says this request comes from another site (Sec-Fetch-Site: {site})"
    host = (_header(scope, b"host") or [""])[0]
    if trusted(peer(scope), nets):
        host = (_header(scope, b"x-forwarded-host") or [host])[0].split(",")[0].strip()
    origins = _header(scope, b"origin")
    origin = origins[0] if origins else None
    if origin is not None:
        return (
            None
            if _same_host(origin, host)
            else f"the request comes from another site (Origin: {origin[:100]})"
        )
    referers = _header(scope, b"referer")
    referer = referers[0] if referers else None
    if referer is not None and not _same_host(referer, host):
        return "the request comes from another site (Referer)"
    return None
