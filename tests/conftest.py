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


def subset_csv(src: Path, dst: Path, rows: int, broken: dict[int, str] | None = None) -> Path:
    """The header and first ``rows`` records of a real CSV file; ``broken`` inserts raw lines
    before the given 1-based record numbers (bad-input tests)."""
    import csv

    with src.open(encoding="utf-8", newline="") as f, dst.open("w", encoding="utf-8", newline="") as out:
        r, w = csv.reader(f), csv.writer(out, lineterminator="\n")
        for i, row in enumerate(r):
            if i > rows:
                break
            if broken and i in broken:
                out.write(broken[i] + "\n")
            w.writerow(row)
    return dst


@pytest.fixture(scope="session")
def platform_corpus(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Path:
    """A small mixed real corpus: Chinese titles and abstracts, US abstracts, EPO XML (with
    claims and citations) and US design patents (with TIFF drawings)."""
    import shutil

    d = tmp_path_factory.mktemp("platform-corpus")
    subset_csv(shared_data / "cn-patent-titles-ipc/titles_ipc.csv", d / "titles_ipc.csv", 300)
    shutil.copy(shared_data / "cn-patents-abstract-cpc/sample_train.csv", d / "sample_train.csv")
    subset_csv(shared_data / "us-abstracts-patentsview/neural_network_patent_query.csv", d / "nn.csv", 300)
    subset_csv(shared_data / "us-abstracts-patentsview/baseball_patent_query.csv", d / "baseball.csv", 200)
    shutil.copytree(shared_data / "epo-xml-samples", d / "epo")
    designs = sorted(p for p in (shared_data / "us-design-patents").iterdir() if p.is_dir())[:6]
    for p in designs:
        shutil.copytree(p, d / "designs" / p.name)
    return d


@pytest.fixture(scope="session")
def platform_service(tmp_path_factory: pytest.TempPathFactory, platform_corpus: Path) -> Iterator["object"]:
    """A Service with ``platform_corpus`` ingested and indexed (shared by API, web and browser tests;
    tests that ingest more use their own service)."""
    from ipai.service import Service

    svc = Service(load_settings(home=tmp_path_factory.mktemp("platform-home"), progress=False,
                                upload_max_mb=2))
    svc.ingest([platform_corpus])
    svc.index()
    yield svc
    svc.close()


def serve(app: "object") -> tuple["object", "object", str]:
    """Run ``app`` with uvicorn on a free loopback port in a thread; (server, thread, base URL)."""
    import socket
    import threading
    import time

    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    return server, thread, f"http://127.0.0.1:{port}"


@pytest.fixture(scope="session")
def live_server(platform_service: "object") -> Iterator[str]:
    """The whole application (API + web UI) served by uvicorn on a free loopback port; yields
    its base URL."""
    from ipai.api import create_app

    server, thread, base = serve(create_app(service=platform_service))  # type: ignore[arg-type]
    yield base
    server.should_exit = True  # type: ignore[attr-defined]
    thread.join(timeout=10)  # type: ignore[attr-defined]
