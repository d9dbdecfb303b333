"""Issue 19, defect 7: sign-in had only the general per-address limit; ``X-Forwarded-For`` was trusted
from loopback (rotating it bypassed the limit and wrote made-up addresses to the audit log); the time
taken told whether a user existed; the CLI accepted a one-character admin password; scrypt ran at
N=2^14. Now: back-off per address and per user name, forwarded headers only from configured trusted
proxies, the same password-hashing work for unknown users, one password policy for the CLI and the
API, scrypt at N=2^17 (r=8, p=1) with older hashes upgraded at the next sign-in."""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from ipai.api import create_app
from ipai.errors import InputError
from ipai.faces.auth import API
from ipai.security import passwords
from ipai.security.auth import Unauthorized
from ipai.security.ratelimit import RateLimited
from ipai.service import Service
from ipai.settings import load_settings
from tests.security.live import served

STRONG = "pale orchid lantern 42"


@pytest.fixture()
def kdf_calls(
    monkeypatch: pytest.MonkeyPatch, real_password_hashing: dict[str, int]
) -> Iterator[list[tuple[int, int, int]]]:
    """Every scrypt run as (n, r, p), at the platform's own parameters (the other tests hash cheaply:
    tests/conftest.py)."""
    calls: list[tuple[int, int, int]] = []
    real = passwords.kdf

    def counting(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
        calls.append((n, r, p))
        return real(password, salt, n, r, p)

    monkeypatch.setattr(passwords, "kdf", counting)
    yield calls


def test_rotating_forwarded_for_does_not_bypass_the_sign_in_limit(tmp_path: Path) -> None:
    """A real ``ipai serve`` on loopback (where uvicorn used to believe X-Forwarded-For): a client
    spraying names with a new forwarded address each time is still one address, backs off, and the
    audit log shows the address that connected."""
    home = tmp_path / "home"
    svc = Service(load_settings(home=home, progress=False, auth=True))
    svc.security.add_user("li", "agency", tenant="acme", password=STRONG)
    svc.close()
    with served(home, {"IPAI_AUTH": "true"}) as (base, _):
        statuses = []
        with httpx.Client(timeout=60) as c:
            for i in range(30):
                r = c.post(
                    f"{base}{API}/auth/login",
                    json={"name": f"user{i}", "password": "not it at all"},
                    headers={"X-Forwarded-For": f"198.51.100.{i + 1}"},
                )
                statuses.append(r.status_code)
        free = load_settings(home=home).auth_failures_per_address
        assert statuses[:free] == [401] * free and 429 in statuses[free:], statuses
    svc = Service(load_settings(home=home, progress=False, auth=True))
    try:
        rows = [a for a in svc.security.audit_log(limit=1000) if a["path"] == f"{API}/auth/login"]
    finally:
        svc.close()
    assert {a["ip"] for a in rows} == {"127.0.0.1"}, rows  # never a forwarded (made-up) address
    assert 1 <= len(rows) <= 2 and max(a["detail"].get("count", 1) for a in rows) == 30


def test_forwarded_for_is_believed_from_configured_proxies_only(tmp_path: Path) -> None:
    from ipai.security.network import client_address, networks

    def scope(peer: str, xff: str) -> dict[str, Any]:
        return {"client": (peer, 1234), "headers": [(b"x-forwarded-for", xff.encode())]}

    nets = networks(["10.0.0.0/8", "192.0.2.1"])
    assert client_address(scope("127.0.0.1", "1.2.3.4"), ()) == "127.0.0.1"  # default: no proxy believed
    assert client_address(scope("127.0.0.1", "1.2.3.4"), nets) == "127.0.0.1"  # loopback is not configured
    assert client_address(scope("10.1.1.1", "203.0.113.9, 192.0.2.1"), nets) == "203.0.113.9"
    assert client_address(scope("10.1.1.1", "spoofed, 203.0.113.9, 10.2.2.2"), nets) == "203.0.113.9"
    assert client_address(scope("10.1.1.1", "not-an-address"), nets) == "10.1.1.1"
    settings = load_settings(home=tmp_path / "h", progress=False, auth=True, trusted_proxies="10.0.0.0/8")
    svc = Service(settings)
    try:
        with TestClient(create_app(service=svc), client=("10.9.9.9", 5000)) as c:
            c.post(
                f"{API}/auth/login",
                json={"name": "nobody", "password": "wrong password here"},
                headers={"X-Forwarded-For": "203.0.113.77"},
            )
        rows = [a for a in svc.security.audit_log(limit=50) if a["path"] == f"{API}/auth/login"]
        assert [a["ip"] for a in rows] == ["203.0.113.77"]
    finally:
        svc.close()


def test_unknown_user_sign_in_does_the_same_password_hashing_work(
    service: Any, kdf_calls: list[tuple[int, int, int]]
) -> None:
    auth = service.security.auth
    service.security.add_user("known", "analyst", tenant="acme", password=STRONG)
    service.security.add_user("nopass", "analyst", tenant="acme")
    service.security.add_user("gone", "analyst", tenant="acme", password=STRONG)
    service.security.update_user("gone", active=False)
    work = {}
    for name, password in (
        ("known", "wrong password 1"),
        ("nobody", "wrong password 1"),
        ("nopass", "wrong password 1"),
        ("gone", STRONG),
    ):
        kdf_calls.clear()
        with pytest.raises(Unauthorized, match="wrong user name or password"):
            auth.login(name, password, address=f"192.0.2.{len(work) + 1}")
        work[name] = list(kdf_calls)
    want = [(2**17, 8, 1)]
    assert work == {"known": want, "nobody": want, "nopass": want, "gone": want}
    kdf_calls.clear()
    auth.login("known", STRONG, address="192.0.2.9")
    assert kdf_calls == want


def test_sign_in_backs_off_per_user_name_and_per_address(service: Any) -> None:
    auth = service.security.auth
    now = [500.0]
    auth.by_account.clock = auth.by_address.clock = lambda: now[0]
    service.security.add_user("wu", "analyst", tenant="acme", password=STRONG)
    free_name = service.settings.auth_failures_per_account
    for i in range(free_name):  # a different address each time: the name still counts
        with pytest.raises(Unauthorized):
            auth.login("wu", "wrong password x", address=f"198.51.100.{i}")
    with pytest.raises(RateLimited) as refused:  # even the right password waits (it is not checked)
        auth.login("wu", STRONG, address="198.51.100.200")
    assert refused.value.retry_after == 1 and refused.value.status == 429
    now[0] += 1.1
    token, p = auth.login("wu", STRONG, address="198.51.100.200")
    assert p.user == "wu" and token and auth.by_account.failures("name:wu") == 0
    free_ip = service.settings.auth_failures_per_address
    for i in range(free_ip):  # one address trying many names
        with pytest.raises(Unauthorized):
            auth.login(f"spray{i}", "wrong password x", address="203.0.113.5")
    with pytest.raises(RateLimited):
        auth.login("wu", STRONG, address="203.0.113.5")
    with pytest.raises(RateLimited):
        auth.from_key("ipai_000000000000_x", address="203.0.113.5")  # and sends no keys either


def test_one_password_policy_for_the_cli_and_the_api(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    secure_client: TestClient,
    keys: dict[str, str],
) -> None:
    from ipai.cli import main

    home = ["--home", str(tmp_path)]
    for bad, why in (
        ("x", "at least 12 characters"),
        ("password1234", "common"),
        ("aaaaaaaaaaaaaaa", "repeated"),
        ("root-root-root-1", "user name"),
    ):
        monkeypatch.setenv("IPAI_NEW_PASSWORD", bad)
        assert main([*home, "users", "add", "root", "--role", "admin", "--password"]) == 2
        assert why in capsys.readouterr().err
        r = secure_client.post(
            f"{API}/users",
            json={"name": "root", "role": "admin", "password": bad},
            headers={"Authorization": f"Bearer {keys['admin']}"},
        )
        assert (
            r.status_code == 400 and r.json()["errors"][0]["field"] == "password" and why in r.json()["error"]
        )
    monkeypatch.setenv("IPAI_NEW_PASSWORD", STRONG)
    assert main([*home, "users", "add", "root", "--role", "admin", "--password", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["has_password"]
    svc = Service(load_settings(home=tmp_path, progress=False))
    try:
        with pytest.raises(InputError, match="at least 12"):
            svc.security.update_user("root", password="short")
    finally:
        svc.close()


def test_old_password_hashes_are_upgraded_at_sign_in(
    service: Any, kdf_calls: list[tuple[int, int, int]]
) -> None:
    service.security.add_user("old", "analyst", tenant="acme", password=STRONG)
    salt = secrets.token_bytes(16)
    h = hashlib.scrypt(STRONG.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32)
    service.store.update_user("old", {"password_hash": f"scrypt${2**14}$8$1${salt.hex()}${h.hex()}"})
    assert passwords.info(service.store.get_user("old")["password_hash"])["n"] == 2**14
    kdf_calls.clear()
    token, _ = service.security.auth.login("old", STRONG, address="192.0.2.50")
    # the old hash, the work of a current one (its timing tells nothing), then the new hash stored
    assert kdf_calls == [(2**14, 8, 1), (2**17, 8, 1), (2**17, 8, 1)]
    stored = service.store.get_user("old")["password_hash"]
    assert passwords.info(stored) == {"n": 2**17, "r": 8, "p": 1} and not passwords.needs_rehash(stored)
    assert service.security.auth.from_session(token) is not None  # the upgrade does not end the session
    service.security.auth.login("old", STRONG, address="192.0.2.50")  # and the new hash verifies
    assert passwords.hash_password(STRONG).startswith("scrypt$131072$8$1$")
