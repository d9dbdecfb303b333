"""Shared fixtures: the real data folder and a service on a fresh temporary home."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ipai.settings import load_settings


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data`` (or ``IPAI_DATA_DIR``): the real data every test reads."""
    path = load_settings(home="/nonexistent-ipai-home").shared_data
    if not path.is_dir():
        pytest.fail(f"real data folder missing: {path} (set IPAI_DATA_DIR)")
    return path


@pytest.fixture()
def service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator["object"]:
    """A Service on an empty store in a temporary home."""
    from ipai.service import Service

    for var in ("IPAI_HOME", "IPAI_STORE", "IPAI_CONFIG"):
        monkeypatch.delenv(var, raising=False)
    svc = Service(load_settings(home=tmp_path / "home", progress=False))
    yield svc
    svc.close()


def read_all(reader_name: str, path: Path) -> list:
    """Every item a reader yields for one file (records and errors)."""
    from ipai.ingest.base import Source
    from ipai.ingest.registry import reader_by_name

    reader = reader_by_name(reader_name)
    assert reader is not None, f"no reader {reader_name}"
    return list(reader.read(Source(path, explicit=True)))


def detected(path: Path, member: str | None = None) -> str | None:
    """Name of the reader format detection picks for a file."""
    from ipai.ingest.base import Source
    from ipai.ingest.registry import detect

    r = detect(Source(path, member, explicit=True))
    return r.name if r else None
