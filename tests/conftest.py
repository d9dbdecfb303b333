"""Shared fixtures: the real data folder and a service on a fresh temporary home."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from ipai.settings import load_settings


def pytest_configure(config: pytest.Config) -> None:
    """One e5 vector cache for the whole run and the runs after it (vocabulary words and passages are
    encoded once, not once per temporary home or per run; see :func:`encoder_cache_file`);
    subprocesses inherit it.

    The term space (e5 over each index's whole vocabulary, ~80 words/s on 2 cores, a minute or more
    for each new corpus) is off by default in tests: ``tests/search/test_termspace.py`` builds it and
    asserts what it finds (a transliterated name, no translation of gibberish); the other tests'
    answers do not depend on it (the whole suite passes with it on as well: ``IPAI_SEARCH_TERMSPACE=true``)."""
    import os

    if not os.environ.get("IPAI_ENCODER_CACHE"):
        os.environ["IPAI_ENCODER_CACHE"] = str(encoder_cache_file())
    os.environ.setdefault("IPAI_SEARCH_TERMSPACE", "false")
    if hasattr(config.option, "loadscopereorder"):  # xdist: keep the order of pytest_collection_modifyitems
        config.option.loadscopereorder = False
    workers = getattr(config.option, "numprocesses", None)
    if (isinstance(workers, int) and workers > 1) or os.environ.get("PYTEST_XDIST_WORKER"):
        # on several workers every core is already busy: e5's OpenMP threads would only wait for one
        # another (~30 % more CPU for the same vectors, which do not depend on the thread count)
        os.environ.setdefault("OMP_NUM_THREADS", "1")
    cheap_password_hashing()


ENCODER_CACHE_MAX_MB = 512  # a cache grown past this (new data, other models) starts again empty


def encoder_cache_file() -> Path:
    """The e5 cache file of the test runs: ``IPAI_TEST_CACHE`` (a folder; ``off`` = a new one per run,
    as on a fresh CI machine), else ``$XDG_CACHE_HOME/ipai-tests`` or ``~/.cache/ipai-tests``; a
    temporary folder when that cannot be written.

    Kept across runs because vectors depend only on the model and the text (the cache key holds
    both): the ~460 articles of the IP laws of ``tests/qa/test_law_qa.py`` alone cost e5 a minute
    on one core. No test depends on what the cache holds when it starts (a cold cache passes too)."""
    import os
    import tempfile

    where = os.environ.get("IPAI_TEST_CACHE", "")
    if where.lower() != "off":
        folder = Path(where or os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / (
            "" if where else "ipai-tests"
        )
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / "e5.sqlite"
            if path.exists() and path.stat().st_size > ENCODER_CACHE_MAX_MB << 20:
                for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                    p.unlink(missing_ok=True)
            if os.access(folder, os.W_OK):
                return path
        except OSError:
            pass
    return Path(tempfile.mkdtemp(prefix="ipai-e5-")) / "e5.sqlite"


def cheap_password_hashing() -> None:
    """scrypt at N=2^10 instead of OWASP's 2^17 in the test processes (~1 ms a hash instead of half a
    second: the suite signs users in and out hundreds of times). What the tests check of sign-in does
    not depend on the cost; the tests of the cost itself (``tests/security/test_login.py``) take the
    ``real_password_hashing`` fixture, and ``ipai serve`` subprocesses always hash at OWASP's."""
    from ipai.security import passwords

    _REAL_KDF.update(passwords.PARAMS)
    passwords.PARAMS.update(n=2**10)
    passwords._dummy.clear()  # the unknown-user hash is made at the parameters in force


_REAL_KDF: dict[str, int] = {}


@pytest.fixture()
def real_password_hashing() -> Iterator[dict[str, int]]:
    """scrypt at the platform's own parameters (OWASP's) for one test; yields them."""
    from ipai.security import passwords

    cheap = dict(passwords.PARAMS)
    passwords.PARAMS.update(_REAL_KDF)
    passwords._dummy.clear()
    yield dict(_REAL_KDF)
    passwords.PARAMS.update(cheap)
    passwords._dummy.clear()


DURATIONS = Path(__file__).with_name("durations.json")  # seconds per test file, of one measured run


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Test files longest first (their tests' own order kept), so that on the two workers of
    ``./run tests`` (a file stays on one worker) the long files start at once and the short ones
    fill the end, instead of a long file ending the run on one worker while the other waits.

    A file's length is its seconds in ``tests/durations.json`` (one measured run, refreshed with
    ``python -m tests.durations``); a file not listed there counts as long when it has a slow or
    browser test, else as its number of tests times the median second per test. The order only
    schedules: no test depends on it. xdist's own reordering (files with most tests first) is off
    (``pytest_configure``)."""
    import json
    import statistics

    known: dict[str, float] = json.loads(DURATIONS.read_text()) if DURATIONS.is_file() else {}
    root = Path(__file__).resolve().parent.parent
    counts: dict[Path, int] = {}
    heavy: set[Path] = set()
    for i in items:
        counts[i.path] = counts.get(i.path, 0) + 1
        if i.get_closest_marker("slow") or i.get_closest_marker("browser"):
            heavy.add(i.path)
    per_test = statistics.median([s / n for f, s in known.items() if (n := counts.get(root / f, 0))] or [1.0])
    longest = max(known.values(), default=60.0)

    def seconds(path: Path) -> float:
        rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        if rel in known:
            return known[rel]
        return longest if path in heavy else counts[path] * per_test

    weight = {p: seconds(p) for p in counts}
    items.sort(key=lambda i: (-weight[i.path], str(i.path)))  # stable: a file's tests keep their order


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data`` (or ``IPAI_DATA_DIR``): the real data every test reads."""
    path = load_settings(home="/nonexistent-ipai-home").shared_data
    if not path.is_dir():
        pytest.fail(f"real data folder missing: {path} (set IPAI_DATA_DIR)")
    return path


@pytest.fixture()
def service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
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


def corpus_service(
    tmp_path_factory: pytest.TempPathFactory, name: str, *sources: tuple[Path, int | None], **settings: Any
) -> Iterator[object]:
    """A Service on a fresh home with real files ingested and indexed, for module fixtures
    (``yield from corpus_service(...)``). Each source is (file, rows): rows = None copies the
    whole file (or folder), a number keeps the header and that many CSV records; ``settings``
    override settings (e.g. ``auth=True``)."""
    import shutil

    from ipai.service import Service

    d = tmp_path_factory.mktemp(f"{name}-corpus")
    for path, rows in sources:
        if rows is None and path.is_dir():
            shutil.copytree(path, d / path.name)
        elif rows is None:
            shutil.copy(path, d / path.name)
        else:
            subset_csv(path, d / path.name, rows)
    svc = Service(load_settings(home=tmp_path_factory.mktemp(f"{name}-home"), progress=False, **settings))
    svc.corpus.ingest([d])
    svc.corpus.index()
    yield svc
    svc.close()


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
def platform_service(tmp_path_factory: pytest.TempPathFactory, platform_corpus: Path) -> Iterator[object]:
    """A Service with ``platform_corpus`` ingested and indexed (shared by API, web and browser tests;
    tests that ingest more use their own service)."""
    from ipai.service import Service

    svc = Service(
        load_settings(home=tmp_path_factory.mktemp("platform-home"), progress=False, upload_max_mb=2)
    )
    svc.corpus.ingest([platform_corpus])
    svc.corpus.index()
    yield svc
    svc.close()


def serve(app: object) -> tuple[object, object, str]:
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
def live_server(platform_service: Any) -> Iterator[str]:
    """The whole application (API + web UI) as a real ``ipai serve --workers 2`` process (a
    supervisor, two web workers and the writer) over ``platform_service``'s home, on a free
    loopback port; yields its base URL. Tests may still read through ``platform_service`` in
    process: the store and the index files are the same."""
    from tests.security.live import free_port, start, stop, wait_up

    s = platform_service.settings
    port = free_port()
    proc = start(s.home, port, {"IPAI_UPLOAD_MAX_MB": str(s.upload_max_mb)}, workers=2)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_up(base, proc, timeout=300)
        yield base
    finally:
        stop(proc)


# ---- PostgreSQL: a throwaway server on loopback for the store tests --------------------------------------------


def _pg_bindir() -> Path | None:
    """Where ``initdb``/``pg_ctl`` live: ``IPAI_PG_BIN``, Debian's newest ``/usr/lib/postgresql/N/bin``, or PATH."""
    import os
    import shutil

    cands = [os.environ.get("IPAI_PG_BIN", "")]
    cands += (
        sorted(
            Path("/usr/lib/postgresql").glob("*/bin"),
            key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
            reverse=True,
        )
        if Path("/usr/lib/postgresql").is_dir()
        else []
    )
    found = shutil.which("initdb")
    cands.append(str(Path(found).parent) if found else "")
    for c in cands:
        if c and (Path(c) / "initdb").is_file() and (Path(c) / "pg_ctl").is_file():
            return Path(c)
    return None


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """URL of a throwaway PostgreSQL server on 127.0.0.1 (its ``postgres`` database); ``IPAI_TEST_PG_URL``
    uses an existing server instead. initdb/pg_ctl refuse to run as root, so as root they run as ``nobody``."""
    import os

    pytest.importorskip("psycopg", reason="the PostgreSQL store needs ipai[postgres] (psycopg)")
    if os.environ.get("IPAI_TEST_PG_URL"):
        yield os.environ["IPAI_TEST_PG_URL"]
        return
    bindir = _pg_bindir()
    if bindir is None:
        pytest.skip(
            "PostgreSQL binaries (initdb, pg_ctl) not found: apt-get install postgresql, or set IPAI_PG_BIN"
        )
    with throwaway_postgres(bindir, icu=True) as url:
        yield url


@contextmanager
def throwaway_postgres(bindir: Path, *, icu: bool = False, prefix: str = "ipai-pg-") -> Iterator[str]:
    """A PostgreSQL server from ``bindir`` in a temporary folder on a free loopback port for the
    block; its URL (database ``postgres``). As root, initdb and pg_ctl run as ``nobody``. ``icu``:
    try a linguistic default collation first (as on most servers: the store must not depend on it)."""
    import os
    import shutil
    import socket
    import subprocess
    import tempfile

    as_user: list[str] = []
    root = Path(tempfile.mkdtemp(prefix=prefix))
    if os.geteuid() == 0:
        as_user = ["runuser", "-u", "nobody", "--"]
        shutil.chown(root, "nobody", "nogroup" if _group_exists("nogroup") else None)
    data, log = root / "data", root / "server.log"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]

    def run(*args: str) -> None:
        res = subprocess.run(
            [*as_user, *args], capture_output=True, text=True, cwd=root, timeout=120, check=False
        )
        if res.returncode:
            raise RuntimeError(
                f"{args[0]} failed ({res.returncode}): {res.stderr or res.stdout}\n"
                f"{log.read_text() if log.exists() else ''}"
            )

    initdb = [
        str(bindir / "initdb"),
        "-D",
        str(data),
        "-U",
        "ipai",
        "--auth=trust",
        "--encoding=UTF8",
        "--no-sync",
    ]
    try:
        if not icu:
            raise RuntimeError("C locale asked for")
        run(*initdb, "--locale-provider=icu", "--icu-locale=en-US", "--locale=C.UTF-8")
    except RuntimeError:  # no ICU in this build, or not wanted
        shutil.rmtree(data, ignore_errors=True)
        run(*initdb, "--locale=C")
    opts = (
        f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
        "-c full_page_writes=off -c max_connections=200"
    )
    run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", opts, "-w", "-t", "60", "start")
    try:
        yield f"postgresql+psycopg://ipai@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
            capture_output=True,
            cwd=root,
            timeout=60,
            check=False,
        )
        shutil.rmtree(root, ignore_errors=True)


def _group_exists(name: str) -> bool:
    import grp

    try:
        grp.getgrnam(name)
        return True
    except KeyError:
        return False


def new_pg_database(server_url: str) -> str:
    """Create an empty database on the test server; its URL."""
    import uuid

    import sqlalchemy as sa

    name = "t_" + uuid.uuid4().hex[:16]
    eng = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with eng.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    eng.dispose()
    return server_url.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> object:
    """A factory of URLs of new empty stores, once on SQLite and once on PostgreSQL (``store_url()``)."""
    n = iter(range(1_000_000))
    if request.param == "sqlite":
        return lambda: f"sqlite:///{tmp_path / f's{next(n)}.sqlite'}"
    server = request.getfixturevalue("pg_url")
    return lambda: new_pg_database(server)
