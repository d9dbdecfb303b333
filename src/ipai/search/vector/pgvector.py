"""Document vectors in a PostgreSQL table, searched with pgvector (the ``vector`` extension).

One table per search index (``ipai_vectors_<id>``; the id is drawn when the index is built and
kept in its state): ``iid`` primary key, ``alive`` flag, ``v halfvec(dim)`` — float16 like the
file store, so scores agree with it. Values cross the wire through the ``pgvector`` package's
psycopg adapters (``HalfVector``) and psycopg's own (``bigint[]``, ``bytea``); rows are written with
binary ``COPY``. Search is by inner product (``<#>``), exactly as the file store ranks:

- up to ``HNSW_MIN`` rows there is no graph: a scan of the table, exact;
- beyond, :meth:`PgVectorStore.sync` builds an HNSW index (``halfvec_ip_ops``) once, after the bulk
  load (faster than growing it row by row), and later rows are added to it as they come;
- a filter arrives as a mask of allowed iids: up to ``EXACT_LIMIT`` candidates are scored
  exactly (``iid = ANY(…)`` through the primary key); more go through the HNSW walk with the
  mask, sent as a bitmap, applied inside it (pgvector 0.8 iterative scans keep walking the graph
  until ``k`` rows pass, up to ``MAX_SCAN_TUPLES``). If the walk stops short, the mask's rows are
  scored exactly.

The table is part of the disposable search index: the engine creates it on a rebuild and drops it
when the index is rebuilt or replaced; it is not in the store's migrations.
"""

from __future__ import annotations

import socket
import threading
import uuid
from typing import Any

import numpy as np

from ipai.errors import BackendError, require

HNSW_MIN = 10_000  # rows before the HNSW graph is built (below, an exact scan is as fast)
EXACT_LIMIT = 3_000  # filtered searches with up to this many candidates are scored exactly
HNSW_M, HNSW_EF_CONSTRUCTION = 16, 64  # pgvector's defaults (recall@10 0.98 at ef_search 100, 50k abstracts)
EF_SEARCH_MIN = 100  # candidate list of an HNSW search: at least this, and at least k
MAX_SCAN_TUPLES = 50_000  # how far a filtered HNSW walk may go before falling back to exact scoring
BUILD_MEMORY = "1GB"  # maintenance_work_mem while building the graph (it should fit in memory)
MAX_DIM = 4_000  # the largest halfvec an HNSW index takes

_PURPOSE = "Vector search in PostgreSQL"


def _half_vector() -> Any:
    """The pgvector package's ``HalfVector`` class (:class:`.MissingExtra` without the package)."""
    return require("pgvector", "pgvector", _PURPOSE).HalfVector


def halfvec(q: np.ndarray) -> Any:
    """One vector as a ``halfvec`` parameter (the pgvector package's ``HalfVector``)."""
    return _half_vector()(_finite16(np.asarray(q).ravel()))


def _iid_list(iids: np.ndarray) -> list[int]:
    """iids as an integer array parameter: psycopg adapts a list of ints (to the narrowest of
    ``int2[]``…``int8[]`` that holds them; ``bigint = ANY(…)`` still uses the primary key). A numpy
    array would be taken for a ``vector`` by pgvector's adapters."""
    ints: list[int] = np.asarray(iids, dtype=np.int64).tolist()
    return ints


def _finite16(x: np.ndarray) -> np.ndarray:
    """float16 values halfvec accepts (it rejects NaN and infinities)."""
    return (
        np.nan_to_num(np.asarray(x, dtype=np.float32), nan=0.0, posinf=65504.0, neginf=-65504.0)
        .clip(-65504.0, 65504.0)
        .astype(np.float16)
    )


def shown(conninfo: str) -> str:
    """A connection URL without its password (for messages)."""
    import sqlalchemy as sa

    return sa.engine.make_url(conninfo).render_as_string(hide_password=True)


def connect(conninfo: str) -> Any:
    """A psycopg connection (autocommit) with the pgvector package's adapters registered
    (``halfvec`` ⇄ ``HalfVector``, in text and binary)."""
    import psycopg

    register_vector = require("pgvector.psycopg", "pgvector", _PURPOSE).register_vector
    try:
        conn = psycopg.connect(conninfo, autocommit=True, application_name="ipai-vectors")
    except psycopg.OperationalError as exc:
        raise BackendError(f"cannot reach PostgreSQL at {shown(conninfo)} for vectors: {exc}") from exc
    try:
        register_vector(conn)
    except psycopg.ProgrammingError as exc:  # the vector extension is not in this database
        conn.close()
        raise BackendError(
            f"PostgreSQL at {shown(conninfo)} has no vector extension in this database: {exc}"
        ) from exc
    return conn


class PgVectorStore:
    """Vectors in one PostgreSQL table, searched with pgvector (a :class:`.base.VectorIndex`)."""

    def __init__(self, conninfo: str, table: str, dim: int) -> None:
        if not table.replace("_", "").isalnum() or not table.startswith("ipai_vectors_"):
            raise ValueError(f"not an ipai vector table name: {table!r}")
        if dim > MAX_DIM:
            raise ValueError(f"pgvector indexes halfvec up to {MAX_DIM} dimensions, the encoder has {dim}")
        self.conninfo = conninfo
        self.table = table
        self.dim = dim
        self.alive = np.zeros(0, dtype=bool)
        self._conn: Any = None
        self._lock = threading.RLock()
        self._hnsw = False
        self._ef = 0
        self._analyzed = 0  # rows the planner's statistics were last gathered at (by sync)

    @classmethod
    def create(cls, conninfo: str, dim: int, label: str = "") -> PgVectorStore:
        """A new empty table with a fresh name; ``label`` (the index folder) goes into its comment."""
        from psycopg import sql

        store = cls(conninfo, f"ipai_vectors_{uuid.uuid4().hex[:12]}", dim)
        note = (
            f"ipai search index vectors ({socket.gethostname()}:{label}); disposable, rebuilt by ipai index"
        )
        store._exec(
            f"CREATE TABLE {store.table} (iid bigint PRIMARY KEY, "
            f"alive boolean NOT NULL DEFAULT true, v halfvec({dim}) NOT NULL)"
        )
        store._exec(
            sql.SQL("COMMENT ON TABLE {} IS {}").format(sql.Identifier(store.table), sql.Literal(note))
        )
        store.alive = np.zeros(0, dtype=bool)
        return store

    # ---- connection --------------------------------------------------------------------------
    def _cursor(self, binary: bool = False) -> Any:
        if self._conn is None or self._conn.closed or self._conn.broken:
            self._conn = connect(self.conninfo)
            self._conn.execute("SET jit = off")  # compiling a scan of a big table costs more than it saves
            self._conn.execute("SET hnsw.iterative_scan = relaxed_order")
            self._conn.execute(
                "SELECT set_config('hnsw.max_scan_tuples', %s, false)", (str(MAX_SCAN_TUPLES),)
            )
            self._ef = 0
        return self._conn.cursor(binary=binary)

    def _exec(self, query: Any, params: Any = None, *, binary: bool = False) -> list[tuple[Any, ...]]:
        import psycopg

        with self._lock:
            try:
                with self._cursor(binary) as cur:
                    cur.execute(query, params)
                    return cur.fetchall() if cur.description else []
            except (psycopg.OperationalError, psycopg.errors.UndefinedTable) as exc:
                # a lost connection is re-opened by the next call; a table dropped by another
                # process's rebuild needs this index rebuilt (ipai index --rebuild)
                raise BackendError(f"vector table {self.table} at {shown(self.conninfo)}: {exc}") from exc

    # ---- VectorIndex -------------------------------------------------------------------------
    @property
    def n(self) -> int:
        """Rows stored (alive or dead)."""
        return len(self.alive)

    @property
    def ann(self) -> str:
        """``pgvector-hnsw`` once the graph exists, else ``pgvector-exact``."""
        return "pgvector-hnsw" if self._hnsw else "pgvector-exact"

    def describe(self) -> dict[str, Any]:
        """The index state entry: the table holding these vectors."""
        return {"backend": "pgvector", "table": self.table}

    def open(self, n: int, alive: np.ndarray) -> None:
        """Check the table against the document map: drop rows past ``n`` (an interrupted refresh)
        and set every row's alive flag to the map's (kills not committed there are undone)."""
        found = self._exec(
            "SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a "
            "WHERE a.attrelid = to_regclass(%s) AND a.attname = 'v'",
            (self.table,),
        )
        if not found:
            raise ValueError(f"vector table {self.table} is missing")
        if found[0][0] != f"halfvec({self.dim})":
            raise ValueError(
                f"vector table {self.table} holds {found[0][0]}, the encoder makes {self.dim}-d vectors"
            )
        self._exec(f"DELETE FROM {self.table} WHERE iid >= %s", (n,))
        have = int(self._exec(f"SELECT count(*) FROM {self.table}")[0][0])
        if have != n:
            raise ValueError(f"vector table {self.table} holds {have} rows, the index expects {n}")
        self.alive = np.asarray(alive, dtype=bool).copy()
        dead = np.fromiter(
            (r[0] for r in self._exec(f"SELECT iid FROM {self.table} WHERE NOT alive")), dtype=np.int64
        )
        is_dead = np.zeros(n, dtype=bool)
        is_dead[dead] = True
        self._set_alive(np.flatnonzero(is_dead & self.alive), True)
        self._set_alive(np.flatnonzero(~is_dead & ~self.alive), False)
        self._hnsw = bool(
            self._exec(
                "SELECT 1 FROM pg_indexes WHERE tablename = %s AND indexdef LIKE %s",
                (self.table, "%USING hnsw%"),
            )
        )
        self._analyzed = n  # autovacuum keeps the statistics of a table that only grows slowly

    def add(self, vecs: np.ndarray) -> np.ndarray:
        """Append vectors (one binary COPY, rows encoded by psycopg and pgvector's ``HalfVector``
        dumper); returns their iids."""
        import psycopg

        HalfVector = _half_vector()
        vecs = np.asarray(vecs)
        iids = np.arange(self.n, self.n + len(vecs), dtype=np.int64)
        if len(vecs):
            half = _finite16(vecs)
            with self._lock:
                try:
                    with (
                        self._cursor() as cur,
                        cur.copy(f"COPY {self.table} (iid, v, alive) FROM STDIN (FORMAT BINARY)") as cp,
                    ):
                        cp.set_types(["int8", "halfvec", "bool"])
                        for iid, row in zip(iids.tolist(), half, strict=False):
                            cp.write_row((iid, HalfVector(row), True))
                except (psycopg.OperationalError, psycopg.errors.UndefinedTable) as exc:
                    raise BackendError(
                        f"writing vectors to {self.table} at {shown(self.conninfo)}: {exc}"
                    ) from exc
            self.alive = np.concatenate([self.alive, np.ones(len(vecs), dtype=bool)])
        return iids

    def kill(self, iids: np.ndarray) -> None:
        """Mark rows dead."""
        iids = np.asarray(iids, dtype=np.int64)
        if len(iids):
            self._set_alive(iids, False)
            self.alive[iids] = False

    def _set_alive(self, iids: np.ndarray, value: bool) -> None:
        if len(iids):
            self._exec(f"UPDATE {self.table} SET alive = %s WHERE iid = ANY(%s)", (value, _iid_list(iids)))

    def vector(self, iid: int) -> np.ndarray:
        """One stored vector as float32."""
        row: np.ndarray = self.rows(np.array([iid], dtype=np.int64))[0]
        return row

    def rows(self, iids: np.ndarray) -> np.ndarray:
        """Stored vectors of ``iids`` as float32 rows, in the order given."""
        iids = np.asarray(iids, dtype=np.int64)
        if not len(iids):
            return np.zeros((0, self.dim), dtype=np.float32)
        want = np.unique(iids)
        got = self._exec(
            f"SELECT iid, v FROM {self.table} WHERE iid = ANY(%s) ORDER BY iid",
            (_iid_list(want),),
            binary=True,
        )  # halfvec comes back as a HalfVector
        if len(got) < len(want):
            raise ValueError(f"vector table {self.table} lacks rows the index refers to")
        mat = np.stack([np.asarray(v.to_numpy(), dtype=np.float32) for _, v in got])
        return mat[np.searchsorted(want, iids)]

    def sync(self) -> None:
        """Build the HNSW graph once the table is large enough (later rows join it on insert) and
        refresh the planner's statistics after a bulk load (a tenth more rows)."""
        built = False
        if not self._hnsw and self.n >= HNSW_MIN:
            with self._lock:
                self._exec("SELECT set_config('maintenance_work_mem', %s, false)", (BUILD_MEMORY,))
                self._exec(
                    f"CREATE INDEX IF NOT EXISTS {self.table}_hnsw ON {self.table} USING hnsw "
                    f"(v halfvec_ip_ops) WITH (m = {HNSW_M}, "
                    f"ef_construction = {HNSW_EF_CONSTRUCTION})"
                )
                self._exec("RESET maintenance_work_mem")
            self._hnsw = built = True
        if built or self.n > 1.1 * self._analyzed:
            self._exec(f"ANALYZE {self.table}")
            self._analyzed = self.n

    def search(
        self, q: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Top ``k`` live iids by inner product with ``q`` among ``allowed`` (a bool mask), best first."""
        mask = self.alive if allowed is None else (self.alive & allowed[: self.n])
        cand = int(mask.sum())
        if cand == 0 or k <= 0 or not np.any(q):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        qv = halfvec(q)
        if cand <= EXACT_LIMIT and allowed is not None:
            return self._exact(qv, k, *self._listed(mask))
        where, params = self._filter(mask, cand)
        with self._lock:
            if self._hnsw:
                self._set_ef(max(EF_SEARCH_MIN, k))
            # without a graph: an exact scan; with one: an HNSW walk in relaxed order (sorted below)
            rows = self._exec(
                f"SELECT iid, (v <#> %s) * -1 FROM {self.table} WHERE {where} ORDER BY v <#> %s LIMIT %s",
                (qv, *params, qv, k),
            )
        if len(rows) < min(k, cand):  # the walk gave up before enough rows passed the filter
            return self._exact(qv, k, where, params)
        return _ranked(rows)

    def _listed(self, mask: np.ndarray) -> tuple[str, tuple[Any, ...]]:
        """A WHERE clause naming the allowed iids (few: answered through the primary key)."""
        return "alive AND iid = ANY(%s)", (_iid_list(np.flatnonzero(mask)),)

    def _filter(self, mask: np.ndarray, cand: int) -> tuple[str, tuple[Any, ...]]:
        """A WHERE clause for a mask applied row by row during a scan: live rows, and the mask as a
        bitmap (bit ``iid``, n/8 bytes whatever its selectivity; a list of tens of thousands of iids
        costs the planner more than the search). ``<> 0`` makes the planner expect most rows to
        pass, so it keeps walking the graph (narrow filters never get here)."""
        if cand == int(self.alive.sum()):
            return "alive", ()
        bits = np.packbits(mask, bitorder="little").tobytes()  # get_bit numbers bits from each byte's low end
        return "alive AND get_bit(%s, iid::int4) <> 0", (bits,)  # bytes: psycopg binds a bytea

    def _exact(self, qv: Any, k: int, where: str, params: tuple[Any, ...]) -> tuple[np.ndarray, np.ndarray]:
        # MATERIALIZED keeps the planner from answering the ORDER BY with the (approximate) graph
        rows = self._exec(
            f"WITH c AS MATERIALIZED (SELECT iid, (v <#> %s) * -1 AS s FROM {self.table} "
            f"WHERE {where}) SELECT iid, s FROM c ORDER BY s DESC, iid LIMIT %s",
            (qv, *params, k),
        )
        return _ranked(rows)

    def _set_ef(self, ef: int) -> None:
        ef = min(ef, 1000)
        if ef != self._ef:
            self._exec("SELECT set_config('hnsw.ef_search', %s, false)", (str(ef),))
            self._ef = ef

    def drop(self) -> None:
        """Drop the table (and its graph)."""
        self._exec(f"DROP TABLE IF EXISTS {self.table}")
        self.alive = np.zeros(0, dtype=bool)
        self._hnsw = False

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


def _ranked(rows: list[tuple[Any, ...]]) -> tuple[np.ndarray, np.ndarray]:
    """(iids, scores) best first; ties by iid, as the exact scan orders them."""
    if not rows:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    iids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    scores = np.fromiter((r[1] for r in rows), dtype=np.float32, count=len(rows))
    order = np.lexsort((iids, -scores))
    return iids[order], scores[order]
