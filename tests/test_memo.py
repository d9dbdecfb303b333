"""Whole-set analyses (topic map, resources list) are computed once and kept until the store or
the search index changes (ipai.service.memo)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import subset_csv


def test_topic_map_and_resources_kept_until_the_data_changes(
    service: Any, shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ipai.transfer.resources as resources

    src = shared_data / "cn-patent-titles-ipc/titles_ipc.csv"
    service.corpus.ingest([subset_csv(src, tmp_path / "a.csv", 60)])
    service.corpus.index()
    runs: list[str] = []
    topics, owners = service.analytics._topics, resources.owners_by_type
    monkeypatch.setattr(service.analytics, "_topics", lambda *a: runs.append("topics") or topics(*a))
    monkeypatch.setattr(
        resources, "owners_by_type", lambda *a, **k: runs.append("resources") or owners(*a, **k)
    )
    first = service.analytics.topics("装置")
    assert first["matched"] > 10 and first["topics"]
    first["topics"].clear()  # the caller's copy: what is kept is untouched
    again = service.analytics.topics("装置")
    assert again["topics"] and again["matched"] == first["matched"] and runs == ["topics"]
    service.analytics.topics("方法")  # another query is another map
    assert runs == ["topics", "topics"]
    service.transfer.resources(limit=10)
    service.transfer.resources(limit=10)
    assert runs.count("resources") == 1
    service.corpus.ingest([subset_csv(src, tmp_path / "b.csv", 120)])  # 60 more documents (indexed with them)
    later = service.analytics.topics("装置")
    service.transfer.resources(limit=10)
    assert runs.count("topics") == 3 and runs.count("resources") == 2
    assert later["matched"] > again["matched"] and later["matched"] == topics("装置", 5_000, None)["matched"]
    service.analytics.topics("装置")
    assert runs.count("topics") == 3
