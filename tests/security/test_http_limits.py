"""Issue 19, defect 2: anonymous callers could exhaust memory or disk with a chunked body (the upload
limit read only Content-Length, and bodies were read before the role check: 600 MB of chunked JSON to
/api/v1/demands without a key added 1.67 GB of server memory before its 403).

A real ``ipai serve`` (server mode, upload_max_mb 8) is offered 200 MB chunked bodies: without a key,
with a bad key, with keys whose role may not, and with keys that may but go over the route's limit
(JSON 2 MB, uploads 8 MB). Each is refused (403/401 before a byte of the body is read, 413 once the
limit is passed) in the one error shape, and the server's peak resident memory during all of them
stays within ``BOUND_MB`` of where it started.

The bound: the refusals before the body read nothing; the 413s read at most 2 MB (JSON) and 9 MB
(upload + form overhead; multipart files are spooled to disk past 1 MB), in 64 KiB pieces. 48 MB
leaves room for allocator slack and the threads that answer; the old code needed about 2.8 times the
body (560 MB and more for 200 MB), and measured peaks are noted in docs/security.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from ipai.service import Service
from ipai.settings import load_settings
from tests.security.live import chunked_post, memory_kb, reset_peak, served

TOTAL = 200 * 1024 * 1024
BOUND_MB = 48
BOUNDARY = "ipaiboundary7a3f"
JSON_HEAD = b'{"title": "hostile", "text": "'
PART_HEAD = (
    f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="big.csv"\r\n'
    "Content-Type: text/csv\r\n\r\npublication_number,title\r\n"
).encode()
MULTIPART = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
JSON = {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any, dict[str, str]]]:
    """``ipai serve`` in server mode on an empty store, with an enterprise and an agency key."""
    home = tmp_path_factory.mktemp("limits-home")
    svc = Service(load_settings(home=home, progress=False, auth=True))
    try:
        keys = {}
        for name, role in (("ent", "enterprise"), ("agy", "agency"), ("pub", "public")):
            svc.security.add_user(name, role, tenant=None if role == "public" else "acme")
            keys[role] = svc.security.create_api_key(name)["key"]
    finally:
        svc.close()
    env = {"IPAI_AUTH": "true", "IPAI_UPLOAD_MAX_MB": "8", "IPAI_RATE_LIMIT_PER_MINUTE": "100000"}
    with served(home, env) as (base, proc):
        yield base, proc, keys


def _bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def _warm(base: str, keys: dict[str, str]) -> None:
    """One small request down each path the hostile ones take (imports and caches load now)."""
    with httpx.Client(timeout=60) as c:
        assert (
            c.post(
                base + "/api/v1/transfer/demands", json={}, headers=_bearer(keys["enterprise"])
            ).status_code
            == 400
        )
        r = c.post(
            base + "/api/v1/ingest", files=[("files", ("", b"", "text/csv"))], headers=_bearer(keys["agency"])
        )
        assert r.status_code == 400
        assert c.post(base + "/api/v1/transfer/demands", json={"title": "x"}).status_code == 403


def test_hostile_chunked_bodies_are_refused_before_they_fill_memory(
    server: tuple[str, Any, dict[str, str]],
) -> None:
    base, proc, keys = server
    cases = [  # (what, path, headers, first bytes, allowed statuses)
        ("anonymous JSON", "/api/v1/transfer/demands", JSON, JSON_HEAD, {403}),
        (
            "bad key JSON",
            "/api/v1/transfer/demands",
            {**JSON, **_bearer("ipai_0badbadbad0_guess")},
            JSON_HEAD,
            {401},
        ),
        (
            "public role JSON",
            "/api/v1/transfer/demands",
            {**JSON, **_bearer(keys["public"])},
            JSON_HEAD,
            {403},
        ),
        (
            "enterprise JSON past body_max_mb",
            "/api/v1/transfer/demands",
            {**JSON, **_bearer(keys["enterprise"])},
            JSON_HEAD,
            {413},
        ),
        ("anonymous upload", "/api/v1/ingest", MULTIPART, PART_HEAD, {403}),
        (
            "enterprise upload (no operate)",
            "/api/v1/ingest",
            {**MULTIPART, **_bearer(keys["enterprise"])},
            PART_HEAD,
            {403},
        ),
        (
            "agency upload past upload_max_mb",
            "/api/v1/ingest",
            {**MULTIPART, **_bearer(keys["agency"])},
            PART_HEAD,
            {413},
        ),
        ("anonymous web upload form", "/ingest", MULTIPART, PART_HEAD, {403}),
    ]
    _warm(base, keys)
    reset_peak(proc.pid)
    start = memory_kb(proc.pid)
    results = []
    for what, path, headers, first, allowed in cases:
        r = chunked_post(base, path, headers, first, TOTAL)
        results.append((what, r["status"], r["sent"]))
        assert r["status"] in allowed, (what, r)
        if path.startswith("/api/"):
            body = r["json"]
            assert (
                body["ok"] is False
                and body["status"] == r["status"]
                and set(body) == {"ok", "error", "errors", "status"}
            ), (what, body)
        assert r["sent"] < TOTAL, f"{what}: the server read the whole body before answering"
    end = memory_kb(proc.pid)
    growth_mb = (end["VmHWM"] - start["VmRSS"]) / 1024
    print(
        f"\nserver RSS before {start['VmRSS'] / 1024:.1f} MB, peak during the hostile bodies "
        f"{end['VmHWM'] / 1024:.1f} MB (+{growth_mb:.1f} MB); sent: {results}"
    )
    assert growth_mb < BOUND_MB, (start, end, results)
    with httpx.Client(timeout=30) as c:  # and the server still serves
        assert c.get(base + "/api/v1/health").status_code == 200


def test_declared_length_over_the_route_limit_is_413_at_once(server: tuple[str, Any, dict[str, str]]) -> None:
    base, _, keys = server
    with httpx.Client(timeout=30) as c:
        big = (
            b'{"title": "' + b"x" * (3 * 1024 * 1024) + b'"}'
        )  # over body_max_mb (2 MB), under upload_max_mb
        r = c.post(
            base + "/api/v1/transfer/demands", content=big, headers={**JSON, **_bearer(keys["enterprise"])}
        )
        assert r.status_code == 413 and r.json()["errors"] == [{"field": "body", "message": "too large"}]
        assert "body_max_mb" in r.json()["error"]
        ok = c.post(
            base + "/api/v1/transfer/demands",
            json={"title": "a lawful demand", "text": "drone battery swap"},
            headers=_bearer(keys["enterprise"]),
        )
        assert ok.status_code == 201, ok.text


def test_the_gate_classifies_every_upload_route(tmp_path: Path) -> None:
    """Routes that take files get upload_max_mb; every other route body_max_mb (a JSON route sent a
    multipart body is still held to 2 MB)."""
    from ipai.api import create_app
    from ipai.api.gate import route_table

    app = create_app(load_settings(home=tmp_path, progress=False))
    uploads = {(m, p) for _, methods, _, up, p in route_table(app) if up and p for m in methods or ()}
    assert {
        ("POST", "/api/v1/ingest"),
        ("POST", "/api/v1/evidence/files"),
        ("POST", "/api/v1/images/search"),
        ("POST", "/ingest"),
        ("POST", "/evidence"),
        ("POST", "/images"),
    } <= uploads
    assert ("POST", "/api/v1/transfer/demands") not in uploads and ("POST", "/login") not in uploads
    from ipai.web.render import TEMPLATE_DIR

    for tpl in TEMPLATE_DIR.glob("*.html"):  # every multipart form posts to an upload route
        for action in re.findall(
            r"<form[^>]*action=\"\{\{ url\('([^']+)'\) \}\}\"[^>]*multipart", tpl.read_text()
        ):
            assert ("POST", action) in uploads, (tpl.name, action)
