"""Ingest pipeline: rejects, unknown formats, idempotent re-ingest, earlier content intact."""

from __future__ import annotations

import json
from pathlib import Path

from ipai.model import Claim, PatentDocument, dump_record, parse_pubno


def _jsonl(path: Path, n: int, start: int = 0, bad_line: int | None = None) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(start, start + n):
            if bad_line is not None and i - start == bad_line:
                fh.write('{"record_type":"patent","pubno":{"country":"US"},"titel":{}}\n')
                continue
            doc = PatentDocument(
                pubno=parse_pubno(f"US{9_000_000 + i}B2"),
                titles={"en": f"Doc {i}"},
                claims=[Claim(num=1, text="A thing.")],
            )
            fh.write(dump_record(doc) + "\n")
    return path


def test_bad_record_is_rejected_with_its_line_and_field(service, tmp_path: Path) -> None:
    s = service.corpus.ingest([_jsonl(tmp_path / "a.jsonl", 10, bad_line=4)])
    assert (s.loaded, s.rejected) == (9, 1)
    rows = [json.loads(x) for x in Path(s.rejects_file).read_text().splitlines()]
    assert rows[0]["record"] == "line 5"
    assert "pubno.number" in rows[0]["reason"] and "titel" in rows[0]["reason"]
    assert rows[0]["file"].endswith("a.jsonl")


def test_reingest_changes_nothing(service, tmp_path: Path) -> None:
    f = _jsonl(tmp_path / "a.jsonl", 20)
    first = service.corpus.ingest([f])
    again = service.corpus.ingest([f])
    forced = service.corpus.ingest([f], force=True)
    assert first.loaded == 20
    assert (again.loaded, again.updated, again.unchanged, again.files_already_done) == (0, 0, 20, 1)
    assert (forced.loaded, forced.updated, forced.unchanged) == (0, 0, 20)


def test_unknown_format_named_and_store_intact(service, tmp_path: Path) -> None:
    service.corpus.ingest([_jsonl(tmp_path / "a.jsonl", 5)])
    before = service.stats()
    odd = tmp_path / "notes.bin"
    odd.write_bytes(b"\x00\x01 this is not a patent file")
    missing = tmp_path / "nope.xml"
    s = service.corpus.ingest([odd, missing, _jsonl(tmp_path / "b.jsonl", 3, start=100)])
    assert s.rejected == 2 and s.loaded == 3
    reasons = [json.loads(x)["reason"] for x in Path(s.rejects_file).read_text().splitlines()]
    assert any("unknown format" in r and "notes.bin" in r for r in reasons)
    assert any("file not found" in r and "nope.xml" in r for r in reasons)
    assert service.stats()["documents"] == before["documents"] + 3


def test_folder_walk_skips_non_record_files(service, tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    _jsonl(d / "a.jsonl", 2)
    (d / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n....")
    (d / "README.md").write_text("# hello")
    s = service.corpus.ingest([d])
    assert (s.loaded, s.rejected, s.skipped) == (2, 0, 2)


def test_export_reingest_round_trip(service, tmp_path: Path) -> None:
    from ipai.service import Service
    from ipai.settings import load_settings

    service.corpus.ingest([_jsonl(tmp_path / "a.jsonl", 7)])
    out = tmp_path / "export.jsonl"
    with open(out, "w", encoding="utf-8") as fh:
        assert service.corpus.export(fh) == 7
    other = Service(load_settings(home=tmp_path / "other", progress=False))
    assert other.corpus.ingest([out]).loaded == 7
    assert [d for d in other.store.iter_documents()] == [d for d in service.store.iter_documents()]
    again = service.corpus.ingest([out])  # the same store: the export's content is already there
    assert (again.loaded, again.updated) == (0, 0)
    other.close()
