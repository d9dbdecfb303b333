"""Issue 19, defect 9: the evidence audit covers every stored column against the signed entry,
detects a rollback of entries and heads against a head kept outside the store, and the output of
``ipai evidence head`` round-trips through ``ipai evidence consistency``."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from ipai.evidence.audit import COLUMNS, DERIVED
from ipai.service import Service
from ipai.settings import load_settings
from ipai.store import schema as S


def _service(home: Path, **settings: Any) -> Service:
    return Service(load_settings(home=home, progress=False, **settings))


@pytest.fixture(scope="module")
def log_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home whose log has 12 entries of two tenants (deposited by the platform, which may name one)."""
    home = tmp_path_factory.mktemp("audit-home")
    svc = _service(home)
    try:
        svc.evidence.evidence_log.add(
            [
                {
                    "kind": "hash",
                    "content_sha256": f"{i:064x}",
                    "meta": {"n": i},
                    "tenant": "acme" if i % 2 else "globex",
                }
                for i in range(10)
            ]
        )
        svc.evidence.deposit_hash("aa" * 32, meta={"who": "Alice"})
        svc.evidence.deposit_hash("bb" * 32, meta={"who": "Bob"})
        assert svc.evidence.evidence_audit()["ok"]
    finally:
        svc.close()
    return home


def _copy(home: Path, dest: Path) -> Path:
    shutil.copytree(home, dest)
    return dest


def _sql(home: Path, statement: str, *args: Any) -> None:
    db = sqlite3.connect(home / "ipai.sqlite")
    try:
        db.execute(statement, args)
        db.commit()
    finally:
        db.close()


def _audit(home: Path, **kw: Any) -> dict[str, Any]:
    svc = _service(home)
    try:
        return svc.evidence.evidence_audit(**kw)
    finally:
        svc.close()


def test_the_audit_covers_every_stored_column() -> None:
    assert set(S.evidence_entries.c.keys()) == set(COLUMNS) | set(DERIVED)


@pytest.mark.parametrize(
    ("column", "value"),
    [("tenant", "globex"), ("tenant", None), ("kind", "file"), ("content_sha256", "cc" * 32), ("idx", 99)],
)
def test_a_changed_column_is_reported_with_its_entry(
    log_home: Path, tmp_path: Path, column: str, value: Any
) -> None:
    home = _copy(log_home, tmp_path / "home")
    _sql(home, f"UPDATE evidence_entries SET {column} = ? WHERE idx = 3", value)  # entry #3 is acme's hash
    res = _audit(home)
    assert not res["ok"]
    at = 99 if column == "idx" else 3
    assert any(p.startswith(f"entry #{at}") and f"the {column} column" in p for p in res["problems"]) or (
        column == "idx" and any("gap" in p for p in res["problems"])
    ), res["problems"]


def test_a_tenant_moved_to_another_tenant_is_reported(log_home: Path, tmp_path: Path) -> None:
    """The issue's case: the tenant column decides who sees the entry; the entry says acme."""
    home = _copy(log_home, tmp_path / "home")
    _sql(home, "UPDATE evidence_entries SET tenant = 'globex' WHERE idx = 1")
    res = _audit(home)
    assert not res["ok"]
    assert (
        "entry #1: the tenant column is 'globex', the signed entry says 'acme' (column changed)"
        in res["problems"]
    )


def _rolled_back(log_home: Path, tmp_path: Path) -> Path:
    """A home whose store went back to an earlier copy after two more deposits: entries and heads
    alike, consistent in themselves (the older copy of ipai.sqlite is put back)."""
    home = _copy(log_home, tmp_path / "home")
    db_copy = tmp_path / "ipai.sqlite.old"
    shutil.copy(home / "ipai.sqlite", db_copy)
    svc = _service(home)
    try:
        svc.evidence.deposit_hash("dd" * 32)
        svc.evidence.deposit_hash("ee" * 32)
        assert svc.evidence.evidence_log.kept_head()["tree_size"] == 14
    finally:
        svc.close()
    for extra in ("-wal", "-shm"):
        (home / f"ipai.sqlite{extra}").unlink(missing_ok=True)
    shutil.copy(db_copy, home / "ipai.sqlite")
    return home


def test_a_rollback_of_entries_and_heads_is_detected_against_the_kept_head(
    log_home: Path, tmp_path: Path
) -> None:
    home = _rolled_back(log_home, tmp_path)
    res = _audit(home)
    assert not res["ok"] and res["entries"] == 12 and res["kept_head_size"] == 14
    assert any(
        "kept head" in p and "rollback: a signed head of 14 entries, but the log has 12" in p
        for p in res["problems"]
    ), res["problems"]
    svc = _service(home)
    try:  # new deposits after the rollback (a fork of the log) never replace the kept head
        for i in range(3):
            svc.evidence.deposit_hash(f"{i:02x}" * 32)
        assert svc.evidence.evidence_log.kept_head()["tree_size"] == 14
        res = svc.evidence.evidence_audit()
    finally:
        svc.close()
    assert not res["ok"] and any("kept head" in p and "fork" in p for p in res["problems"]), res["problems"]


def test_a_rollback_of_the_whole_home_is_detected_against_a_head_the_user_kept(
    log_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Whoever controls the whole home rolls back the kept head too: a head kept elsewhere (the
    output of ``ipai evidence head``) or a published one still shows it."""
    from ipai.cli import main

    home = _copy(log_home, tmp_path / "home")
    pub = tmp_path / "published"
    snapshot = tmp_path / "snapshot"
    shutil.copytree(home, snapshot)
    svc = _service(home, evidence_publish_dir=pub)
    try:
        svc.evidence.deposit_hash("dd" * 32)
    finally:
        svc.close()
    capsys.readouterr()
    assert main(["--home", str(home), "evidence", "head"]) == 0
    kept = tmp_path / "kept-head.json"
    kept.write_text(capsys.readouterr().out, encoding="utf-8")
    shutil.rmtree(home)
    shutil.copytree(snapshot, home)  # the store and the kept head of the home, both older
    assert _audit(home)["ok"]  # nothing inside the home shows it
    assert main(["--home", str(home), "evidence", "audit", "--head", str(kept)]) == 1
    res = json.loads(capsys.readouterr().out)
    assert any(
        p.startswith(f"the head in {kept}: rollback: a signed head of 13 entries") for p in res["problems"]
    )
    published = _service(home, evidence_publish_dir=pub)
    try:
        res = published.evidence.evidence_audit()
    finally:
        published.close()
    assert not res["ok"] and any("the published head" in p and "rollback" in p for p in res["problems"])
    assert main(["--home", str(home), "evidence", "consistency", str(kept)]) == 1
    assert "rollback: the log has 12 entries, fewer than the signed head's 13" in capsys.readouterr().out


def test_head_output_round_trips_through_consistency(
    log_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from fastapi.testclient import TestClient

    from ipai.api import create_app
    from ipai.cli import main

    home = _copy(log_home, tmp_path / "home")
    capsys.readouterr()
    assert main(["--home", str(home), "evidence", "head"]) == 0
    out = capsys.readouterr().out
    assert "public_key" in json.loads(out)  # the head as printed, with the log's key
    head = tmp_path / "head.json"
    head.write_text(out, encoding="utf-8")
    svc = _service(home)
    try:
        svc.evidence.deposit_hash("ff" * 32)
    finally:
        svc.close()
    assert main(["--home", str(home), "evidence", "consistency", str(head)]) == 0
    res = json.loads(capsys.readouterr().out)
    assert res["ok"] and "consistent extension of the head of size 12" in res["message"]
    svc = _service(home)
    try:
        c = TestClient(create_app(service=svc, web=False))
        api_head = c.get("/api/v1/evidence/head").json()
        assert c.post("/api/v1/evidence/consistency", json=api_head).json()["ok"]  # the API's own answer
        assert c.post("/api/v1/evidence/consistency", json=api_head["head"]).json()["ok"]
        other_key = {**api_head["head"], "public_key": "A" * 43 + "="}
        r = c.post("/api/v1/evidence/consistency", json=other_key).json()
        assert not r["ok"] and "another public key" in r["message"]
        r = c.post("/api/v1/evidence/consistency", json=[1, 2])
        assert r.status_code == 400 and r.json()["errors"] == [
            {"field": "head", "message": "not a JSON object"}
        ]
    finally:
        svc.close()
