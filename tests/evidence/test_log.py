"""The evidence log end to end: receipts verified offline, any changed byte detected, extension
and fork checks, two processes depositing at once, GI chains, URL snapshots."""

from __future__ import annotations

import base64
import http.server
import json
import multiprocessing as mp
import shutil
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ipai.errors import InputError, NotFound
from ipai.evidence.log import canonical
from ipai.evidence.verify import verify_receipt
from ipai.service import Service
from ipai.settings import load_settings
from tests.webforms import with_csrf


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Iterator[dict[str, Any]]:
    home = tmp_path_factory.mktemp("evidence-home")
    svc = Service(load_settings(home=home, progress=False))
    photo = sorted((shared_data / "car-logos-thumb" / "thumb").glob("*.png"))[
        0
    ]  # a real image as the "product photo"
    dep = svc.evidence.deposit_file(photo, who="Alice Zhang", note="product seen on a web shop")
    for i in range(20):
        svc.evidence.deposit_hash(f"{i:064x}", meta={"n": i})
    yield {
        "svc": svc,
        "home": home,
        "photo": photo,
        "dep": dep,
        "receipt": svc.evidence.evidence_receipt_bytes(dep["index"]),
        "key": svc.evidence.evidence_log.signer.public_raw,
    }
    svc.close()


def test_receipt_verifies_offline_with_the_file_and_key(world: dict[str, Any]) -> None:
    res = verify_receipt(world["receipt"], file_bytes=world["photo"].read_bytes(), public_key=world["key"])
    assert res["ok"] and [c["check"] for c in res["checks"]] == [
        "format",
        "entry",
        "inclusion",
        "log",
        "signature",
        "file",
    ]
    r = json.loads(world["receipt"])
    assert r["entry"]["meta"]["who"] == "Alice Zhang" and r["tree_head"]["tree_size"] >= 21
    other = verify_receipt(world["receipt"], public_key=bytes(32))
    assert not other["ok"] and any(c["check"] == "key" and not c["ok"] for c in other["checks"])


def test_an_upper_case_hex_digit_in_the_proof_is_an_edit(world: dict[str, Any]) -> None:
    """``e`` → ``E`` in a proof hash is the same bytes once decoded, but not the receipt the log issued."""
    rec = world["receipt"]
    proof = json.loads(rec)["inclusion_proof"]
    digit = next(h for h in proof if any(c in "abcdef" for c in h))
    i = next(i for i, c in enumerate(digit) if c in "abcdef")
    changed = rec.replace(digit.encode(), (digit[:i] + digit[i].upper() + digit[i + 1 :]).encode())
    assert changed != rec
    res = verify_receipt(changed, file_bytes=world["photo"].read_bytes(), public_key=world["key"])
    assert not res["ok"] and any(c["check"] == "inclusion" and not c["ok"] for c in res["checks"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_changed_byte_of_receipt_or_file_fails(world: dict[str, Any], data: st.DataObject) -> None:
    rec = world["receipt"]
    pos = data.draw(st.integers(0, len(rec) - 1))
    val = data.draw(st.integers(0, 255).filter(lambda b: b != rec[pos]))
    changed = rec[:pos] + bytes([val]) + rec[pos + 1 :]
    res = verify_receipt(changed, file_bytes=world["photo"].read_bytes(), public_key=world["key"])
    assert not res["ok"] and any(not c["ok"] and c["message"] for c in res["checks"])
    orig = world["photo"].read_bytes()
    fpos = data.draw(st.integers(0, len(orig) - 1))
    fval = data.draw(st.integers(0, 255).filter(lambda b: b != orig[fpos]))
    bad = verify_receipt(
        rec, file_bytes=orig[:fpos] + bytes([fval]) + orig[fpos + 1 :], public_key=world["key"]
    )
    assert not bad["ok"] and [c["check"] for c in bad["checks"] if not c["ok"]] == ["file"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_changed_byte_of_a_stored_entry_fails_the_audit(
    tmp_path_factory: pytest.TempPathFactory, world: dict[str, Any], data: st.DataObject
) -> None:
    copy = tmp_path_factory.mktemp("tamper")
    shutil.copytree(world["home"], copy / "home")
    db = sqlite3.connect(copy / "home" / "ipai.sqlite")
    idx = data.draw(st.integers(0, 20))
    (entry,) = db.execute("SELECT entry FROM evidence_entries WHERE idx = ?", (idx,)).fetchone()
    raw = entry.encode()
    pos = data.draw(st.integers(0, len(raw) - 1))
    val = data.draw(
        st.integers(32, 126).filter(lambda b: b != raw[pos])
    )  # stay printable: the column is text
    db.execute(
        "UPDATE evidence_entries SET entry = ? WHERE idx = ?",
        ((raw[:pos] + bytes([val]) + raw[pos + 1 :]).decode(), idx),
    )
    db.commit()
    db.close()
    s = Service(load_settings(home=copy / "home", progress=False))
    try:
        res = s.evidence.evidence_audit()
    finally:
        s.close()
    assert not res["ok"] and any(f"entry #{idx}" in p for p in res["problems"])


def test_extension_is_consistent_and_a_fork_is_detected(world: dict[str, Any], tmp_path: Path) -> None:
    svc = world["svc"]
    kept = json.loads(world["receipt"])["tree_head"]
    fork_home = tmp_path / "fork"
    shutil.copytree(world["home"], fork_home)  # same key, same history so far
    svc.evidence.deposit_hash("ab" * 32)
    ok = svc.evidence.evidence_check_head(kept)
    assert ok["ok"] and "consistent extension" in ok["message"]
    fork = Service(load_settings(home=fork_home, progress=False))
    try:
        fork.evidence.deposit_hash("cd" * 32)  # a different entry at the same index
        forked_head = fork.evidence.evidence_head()
    finally:
        fork.close()
    res = svc.evidence.evidence_check_head({k: v for k, v in forked_head.items() if k != "public_key"})
    assert not res["ok"] and "fork detected" in res["message"]
    assert svc.evidence.evidence_audit()["ok"]


def _deposit_many(home: str, tag: str, n: int) -> None:
    s = Service(load_settings(home=Path(home), progress=False))
    try:
        for i in range(n):
            s.evidence.deposit_hash(f"{tag}{i:062x}", meta={"writer": tag})
    finally:
        s.close()


def test_two_processes_depositing_at_once_lose_nothing(tmp_path: Path) -> None:
    home = tmp_path / "shared-home"
    Service(load_settings(home=home, progress=False)).evidence.evidence_head()  # create store and key first
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_deposit_many, args=(str(home), tag, 120)) for tag in ("aa", "bb")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(300)
        assert p.exitcode == 0
    s = Service(load_settings(home=home, progress=False))
    try:
        res = s.evidence.evidence_audit()
        assert res["ok"] and res["entries"] == 240
        writers = [e["meta"]["writer"] for e in s.evidence.evidence_entries(limit=1000)]
        assert writers.count("aa") == writers.count("bb") == 120
    finally:
        s.close()


def test_folder_disclosure_gi_and_errors(world: dict[str, Any], shared_data: Path, tmp_path: Path) -> None:
    svc = world["svc"]
    folder = tmp_path / "notebook"
    folder.mkdir()
    for p in sorted((shared_data / "car-logos-thumb" / "thumb").glob("*.png"))[:3]:
        shutil.copy(p, folder / p.name)
    r = svc.evidence.deposit_folder(folder, who="lab")
    assert r["files"] == 3 and len(r["entries"]) == 4 and r["manifest"]["kind"] == "folder"
    d = svc.evidence.deposit_disclosure(
        "一种无人机自动降落充电装置，包括降落平台和无线充电线圈。", title="交底书 v1"
    )
    assert d["kind"] == "disclosure" and d["meta"]["title"] == "交底书 v1"
    svc.evidence.gi_event("LJ-2026-07", "origin", {"producer": "梅家坞茶园", "grade": "特级"})
    svc.evidence.gi_event("LJ-2026-07", "handover", {"to": "杭州某茶叶公司"})
    svc.evidence.gi_event("LJ-2026-07", "sale", {"to": "上海门店"})
    tr = svc.evidence.gi_trace("LJ-2026-07")
    assert tr["ok"] and [e["event"] for e in tr["events"]] == ["origin", "handover", "sale"]
    with pytest.raises(InputError, match="origin"):
        svc.evidence.gi_event("NEW-BATCH", "handover")
    with pytest.raises(InputError):
        svc.evidence.deposit_hash("not-a-hash")
    with pytest.raises(NotFound):
        svc.evidence.evidence_receipt(10**7)
    assert svc.evidence.evidence_audit()["ok"]


class _Page(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        body = "<html><body>侵权商品页面 price ¥99</body></html>".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


def test_url_snapshot_and_cli_verify(
    world: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ipai.cli import main

    srv = http.server.HTTPServer(("127.0.0.1", 0), _Page)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        r = world["svc"].evidence.deposit_url(f"http://127.0.0.1:{srv.server_port}/shop/item1")
    finally:
        srv.shutdown()
    assert (
        r["kind"] == "url"
        and r["meta"]["status"] == 200
        and r["meta"]["headers"]["content-type"].startswith("text/html")
    )
    with pytest.raises(InputError):
        world["svc"].evidence.deposit_url("ftp://example.com/x")
    rec, key = tmp_path / "r.json", tmp_path / "key.txt"
    rec.write_bytes(world["receipt"])
    key.write_text(base64.b64encode(world["key"]).decode())
    capsys.readouterr()
    assert main(["evidence", "verify", str(rec), "--file", str(world["photo"]), "--key", str(key)]) == 0
    assert json.loads(capsys.readouterr().out)["ok"]
    rec.write_bytes(world["receipt"].replace(b'"Alice Zhang"', b'"Alice Zhanf"'))
    assert main(["evidence", "verify", str(rec), "--key", str(key)]) == 1
    assert "the entry" in capsys.readouterr().err
    cert = world["svc"].evidence.evidence_certificate(world["dep"]["index"], "zh")
    assert "存证证书" in cert and "<svg" in cert and json.loads(world["receipt"])["leaf_hash"] in cert
    assert canonical(json.loads(world["receipt"])) == world["receipt"]


def test_api_and_web(world: dict[str, Any]) -> None:
    from fastapi.testclient import TestClient

    from ipai.api import create_app

    c = with_csrf(TestClient(create_app(service=world["svc"])))
    up = c.post(
        "/api/v1/evidence/files",
        files={"file": ("note.txt", "实验记录 2026-11-22".encode())},
        data={"who": "Bob"},
    )
    assert up.status_code == 201
    idx = up.json()["entry"]["index"]
    rec = c.get(f"/api/v1/evidence/{idx}/receipt")
    assert rec.status_code == 200 and verify_receipt(rec.content, public_key=world["key"])["ok"]
    v = c.post(
        "/api/v1/evidence/verify",
        files={"receipt": ("r.json", rec.content), "file": ("n.txt", "实验记录 2026-11-22".encode())},
    )
    assert v.json()["verified"]
    v = c.post(
        "/api/v1/evidence/verify", files={"receipt": ("r.json", rec.content), "file": ("n.txt", b"other")}
    )
    assert not v.json()["verified"]
    assert c.post("/api/v1/evidence/hashes", json={"sha256": ["0" * 64, "1" * 64]}).json()["count"] == 2
    assert c.post("/api/v1/evidence/hashes", json={"sha256": ["xyz"]}).status_code == 400
    assert c.post("/api/v1/evidence/consistency", content=rec.content).json()["ok"]
    assert c.post("/api/v1/evidence/audit").json()["audit"]["ok"]
    assert c.get("/api/v1/evidence/999999/receipt").status_code == 404
    page = c.get("/evidence", params={"lang": "zh"})
    assert page.status_code == 200 and "电子存证" in page.text
    dep = c.post("/evidence", files={"file": ("p.txt", b"photo")}, data={"who": "Carol"})
    assert dep.status_code == 200 and 'data-testid="evidence-deposited"' in dep.text
    ver = c.post("/evidence/verify", files={"receipt": ("r.json", rec.content + b" ")})
    assert ver.status_code == 200 and "验证失败" in ver.text and "已被修改" in ver.text


def test_heads_published_to_a_folder_and_offline_check(tmp_path: Path) -> None:
    pub = tmp_path / "anchor"
    s = Service(
        load_settings(
            home=tmp_path / "home",
            progress=False,
            evidence_publish_dir=pub,
            evidence_publish_url="http://127.0.0.1:9/unreachable",
        )
    )
    try:
        s.evidence.deposit_hash("ef" * 32)
        heads = sorted(pub.glob("head-*.json"))
        assert (
            heads and json.loads(heads[-1].read_bytes())["tree_size"] == 1
        )  # the unreachable URL did not block
        assert s.evidence.evidence_check_head(json.loads(heads[-1].read_bytes()))["ok"]
    finally:
        s.close()
