"""The ipai command line, run in process through its real entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ipai.cli import main
from ipai.model import PatentDocument, dump_record, parse_pubno


@pytest.fixture()
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for var in ("IPAI_HOME", "IPAI_STORE", "IPAI_CONFIG"):
        monkeypatch.delenv(var, raising=False)
    return tmp_path / "home"


def _last_json(out: str) -> dict:
    return json.loads(out.strip().splitlines()[-1])


def test_ingest_stats_show_export(home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "a.jsonl"
    doc = PatentDocument(pubno=parse_pubno("EP3404678B1"), titles={"en": "HIGH VOLTAGE ASSEMBLY"})
    src.write_text(dump_record(doc) + "\n")
    assert main(["--home", str(home), "--no-progress", "ingest", str(src)]) == 0
    summary = _last_json(capsys.readouterr().out)
    assert {"loaded", "updated", "rejected", "rejects_file"} <= set(summary) and summary["loaded"] == 1
    assert main(["--home", str(home), "stats", "--json"]) == 0
    assert _last_json(capsys.readouterr().out)["by_jurisdiction"] == {"EP": 1}
    assert main(["--home", str(home), "show", "EP 3404678 B1", "--json"]) == 0
    shown = _last_json(capsys.readouterr().out)
    assert shown["document"]["titles"]["en"] == "HIGH VOLTAGE ASSEMBLY"
    assert main(["--home", str(home), "export", "--format", "jsonl"]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[0])["id"] == "EP3404678B"


def test_errors_exit_non_zero_with_message(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--home", str(home), "show", "US1234567B1"]) == 1
    assert "no document" in capsys.readouterr().err
    assert main(["--home", str(home), "show", "US1234567B1", "--json"]) == 1
    body = json.loads(capsys.readouterr().out.strip())
    assert body == {
        "ok": False,
        "error": "no document 'US1234567B1' in the store",
        "errors": [],
        "status": 404,
    }
    assert main(["--home", str(home), "export", "--format", "xml"]) == 2
    assert main(["--home", str(home), "no-such-command"]) != 0


def test_settings_lists_everything(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--home", str(home), "settings", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert any(r["name"] == "home" and r["value"] == str(home) for r in rows)
