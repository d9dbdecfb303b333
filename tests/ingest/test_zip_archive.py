"""One open archive per zip (issue 19, defect 5): a zip of 10,000 tiny JSONL members was reopened
and its central directory parsed three times per member (30,001 opens, 1,246 s); now it is opened
once for all members, and members stay in a stable order."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from ipai.ingest.base import Source
from ipai.ingest.registry import expand

MEMBERS = 2_000  # the count of opens is what matters: 1, not 3 per member (6,001 before)


def _zip(path: Path, n: int) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for i in range(n):
            rec = {
                "record_type": "patent",
                "pubno": {"country": "US", "number": str(9_000_000 + i), "kind": "B2"},
                "titles": {"en": f"Widget number {i}"},
            }
            zf.writestr(f"r/{i:05d}.jsonl", json.dumps(rec) + "\n")
    return path


def _count_opens(monkeypatch: pytest.MonkeyPatch, target: Path) -> list[int]:
    """Count ``zipfile.ZipFile`` constructions on ``target`` (every module opens zips through it)."""
    opens = [0]
    real = zipfile.ZipFile.__init__

    def counting(self: zipfile.ZipFile, file: Any, *a: Any, **kw: Any) -> None:
        if str(file) == str(target):
            opens[0] += 1
        real(self, file, *a, **kw)

    monkeypatch.setattr(zipfile.ZipFile, "__init__", counting)
    return opens


def test_a_zip_of_thousands_of_members_is_opened_once(
    service, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    z = _zip(tmp_path / "many.zip", MEMBERS)
    opens = _count_opens(monkeypatch, z)
    s = service.corpus.ingest([z])
    assert (s.loaded, s.rejected, s.files) == (MEMBERS, 0, MEMBERS)
    assert opens[0] == 1
    assert service.resolve(f"US{9_000_000 + MEMBERS - 1}B2").titles["en"] == f"Widget number {MEMBERS - 1}"


def test_members_share_the_archive_and_it_is_closed_after_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    z = _zip(tmp_path / "few.zip", 5)
    opens = _count_opens(monkeypatch, z)
    seen: list[Source] = []
    for src in expand([z]):
        assert src.archive is not None and src.head().startswith(b'{"record_type"')
        seen.append(src)
    assert [s.member for s in seen] == [f"r/{i:05d}.jsonl" for i in range(5)] and opens[0] == 1
    assert seen[0].archive._zf is None  # closed once its members were read
