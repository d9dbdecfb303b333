"""A killed ingest (SIGKILL, mid-file) resumes to exactly the store of one clean run."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("IPAI_")}
    env |= {"IPAI_HOME": str(home), "IPAI_INGEST_BATCH_SIZE": "150", "IPAI_PROGRESS": "false"}
    return env


def _cmd(inputs: list[Path]) -> list[str]:
    return [sys.executable, "-m", "ipai", "ingest", *map(str, inputs)]


def _records_done(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return int(con.execute("select coalesce(sum(records_done), 0) from ingest_files").fetchone()[0])
        finally:
            con.close()
    except sqlite3.OperationalError:  # schema not created yet, or a writer holds the lock
        return 0


def _kill_after(inputs: list[Path], home: Path, at_least: int) -> int:
    proc = subprocess.Popen(
        _cmd(inputs), env=_env(home), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    db = home / "ipai.sqlite"
    deadline = time.time() + 300
    while time.time() < deadline and proc.poll() is None:
        if _records_done(db) >= at_least:
            proc.kill()
            break
        time.sleep(0.01)
    proc.wait()
    assert proc.returncode != 0, "the ingest finished before it could be killed; raise the input size"
    return _records_done(db)


def _snapshot(home: Path) -> dict[str, list]:
    con = sqlite3.connect(home / "ipai.sqlite")
    try:
        q = {
            "documents": "select id, data, content_hash from documents order by id",
            "sources": "select doc_id, source, format, priority, data, file, record from doc_sources order by 1, 2",
            "classes": "select doc_id, scheme, code from doc_classes order by 1, 2, 3",
            "parties": "select doc_id, role, seq, name_norm from doc_parties order by 1, 2, 3",
            "langs": "select doc_id, lang from doc_langs order by 1, 2",
            "trademarks": "select id, data from trademarks order by id",
            "rejects": "select path, record, reason from rejects order by 1, 2, 3",
            "files": "select file_key, status, records_done from ingest_files order by 1",
        }
        return {k: con.execute(sql).fetchall() for k, sql in q.items()}
    finally:
        con.close()


def test_killed_ingest_resumes_exactly(shared_data: Path, tmp_path: Path) -> None:
    inputs = [
        shared_data / "covid-patents-lens-biblio",
        shared_data / "us-abstracts-patentsview",
        shared_data / "trademark-vienna-euipo",
    ]
    clean, killed = tmp_path / "clean", tmp_path / "killed"
    subprocess.run(_cmd(inputs), env=_env(clean), check=True, capture_output=True)
    first = _kill_after(inputs, killed, 1200)
    second = _kill_after(inputs, killed, first + 4000)
    assert 0 < first < second
    done = subprocess.run(_cmd(inputs), env=_env(killed), check=True, capture_output=True, text=True)
    assert '"files_resumed": 1' in done.stdout
    a, b = _snapshot(clean), _snapshot(killed)
    assert len(a["documents"]) > 6000 and len(a["trademarks"]) == 20000
    for key in a:
        assert a[key] == b[key], f"{key} differ after resume"
