"""The corpus counts (``Service.stats``, the dashboard) are computed once and kept until the
store changes: a new, changed or removed document or trademark."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ipai.model import dump_record
from tests.conftest import subset_csv


def test_counts_are_kept_until_the_store_changes(
    service: Any, shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = shared_data / "cn-patent-titles-ipc/titles_ipc.csv"
    service.corpus.ingest([subset_csv(src, tmp_path / "a.csv", 20)])
    calls = []
    real = service.store.stats
    monkeypatch.setattr(service.store, "stats", lambda: calls.append(1) or real())
    first = service.stats()
    assert first["documents"] == 20 and first["by_jurisdiction"] == {"CN": 20}
    first["by_jurisdiction"]["CN"] = 0  # a caller changing its copy changes nothing kept
    assert service.stats()["by_jurisdiction"] == {"CN": 20} and len(calls) == 1
    service.corpus.ingest([subset_csv(src, tmp_path / "b.csv", 30)])  # 10 more
    assert service.stats()["documents"] == 30 and len(calls) == 2
    doc = service.resolve("CN114081026A")  # a changed document: same count, a new change number
    doc.titles["en"] = "Bird repelling device for high-voltage lines of a hydropower station"
    (tmp_path / "c.jsonl").write_text(dump_record(doc) + "\n", encoding="utf-8")
    assert service.corpus.ingest([tmp_path / "c.jsonl"]).updated == 1
    again = service.stats()
    assert again["documents"] == 30 and len(calls) == 3
    assert again["by_language"].get("en") == 1 and first["by_language"].get("en") is None
    assert service.stats() == again and len(calls) == 3
