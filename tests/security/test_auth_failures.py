"""Issue 19, defect 3: bad API keys were not rate-limited and each wrote an audit row (1,500 guesses
in 10 s, no 429, 1,500 permanent rows). Now an address that sent ``auth_failures_per_address`` (10)
bad keys must back off (429 with Retry-After, the key not even looked up), and the audit log gets one
record per address per window with the count, not one per guess."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from ipai.api import create_app
from ipai.faces.auth import API
from tests.security.conftest import as_


def _rows_since(svc: Any, since: int, ip: str) -> list[dict[str, Any]]:
    return [a for a in svc.security.audit_log(since_id=since, limit=10_000) if a["ip"] == ip]


def _last_id(svc: Any) -> int:
    rows = svc.security.audit_log(limit=1)
    return int(rows[0]["id"]) if rows else 0


def test_fifty_bad_keys_back_off_and_leave_a_handful_of_audit_rows(
    secure_service: Any, keys: dict[str, str]
) -> None:
    ip, since = "203.0.113.50", _last_id(secure_service)
    free = secure_service.settings.auth_failures_per_address
    with TestClient(create_app(service=secure_service), client=(ip, 40000)) as c:
        answers = [c.get(f"{API}/demands", headers=as_(f"ipai_{i:012x}_guess{i}")) for i in range(50)]
        statuses = [r.status_code for r in answers]
        assert statuses[:free] == [401] * free
        assert set(statuses) <= {401, 429} and 429 in statuses[free:], statuses
        refused = next(r for r in answers if r.status_code == 429)
        assert int(refused.headers["Retry-After"]) >= 1
        assert set(refused.json()) == {"ok", "error", "errors", "status"} and refused.json()["status"] == 429
        # while the address backs off even a valid key is not looked at from it (no guessing around it) …
        assert c.get(f"{API}/me", headers=as_(keys["enterprise"])).status_code == 429
        while_open = _rows_since(secure_service, since, ip)
    assert len(while_open) == 1 and while_open[0]["detail"]["aggregate"] == "first", while_open
    rows = _rows_since(secure_service, since, ip)  # the application stopped: the window's count is written
    assert len(rows) == 2, rows
    summary = next(r for r in rows if r["detail"]["aggregate"] == "summary")
    assert summary["detail"]["count"] == 51 and summary["detail"]["statuses"]["401"] == statuses.count(401)
    assert summary["path"] == f"{API}/demands" and summary["user"] == "anonymous"
    # … while other addresses are not affected
    with TestClient(create_app(service=secure_service), client=("203.0.113.51", 40000)) as other:
        assert other.get(f"{API}/me", headers=as_(keys["enterprise"])).json()["user"] == "ent"


def test_backoff_doubles_and_is_forgotten() -> None:
    from ipai.security.throttle import Backoff

    now = [1000.0]
    b = Backoff(free=3, max_wait_s=10, forget_s=60, clock=lambda: now[0])
    assert [b.fail("a") for _ in range(3)] == [0, 0, 1] and b.wait("a") == 1
    now[0] += 1.5
    assert b.wait("a") == 0 and b.fail("a") == 2 and b.fail("a") == 4
    assert [b.fail("a") for _ in range(3)] == [8, 10, 10]  # capped at max_wait_s
    assert b.wait("other") == 0
    now[0] += 61
    assert b.wait("a") == 0 and b.failures("a") == 0  # forgotten after forget_s without a failure


def test_failure_audit_writes_one_row_per_address_per_window() -> None:
    from ipai.security.throttle import FailureAudit

    now = [0.0]
    agg = FailureAudit(window_s=60, clock=lambda: now[0])
    row = {"user": "anonymous", "status": 401, "path": "/api/v1/me", "ip": "a"}
    out = [r for _ in range(100) for r in agg.add("a", row)]
    assert len(out) == 1 and out[0]["detail"]["aggregate"] == "first"
    assert agg.add("b", {**row, "ip": "b"})[0]["ip"] == "b"
    now[0] = 61
    later = agg.flush()
    assert [(r["ip"], r["detail"]["count"]) for r in later] == [
        ("a", 100)
    ]  # b had one: its first row says it


def test_a_write_whose_audit_record_cannot_be_written_is_refused(
    service: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(rows: list[dict[str, Any]]) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(service.store, "audit_append", broken)
    with TestClient(create_app(service=service)) as c:
        r = c.post(f"{API}/demands", json={"title": "t", "text": "a drone battery swap station"})
    assert r.status_code == 503 and r.json()["status"] == 503 and "audit" in r.json()["error"]
    assert r.headers["x-content-type-options"] == "nosniff" and "disk full" not in r.text
