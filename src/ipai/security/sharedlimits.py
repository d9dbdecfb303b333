"""Rate-limit counters in a SQLite file, shared by the processes of one machine.

``sqlite:///<path>`` as ``rate_limit_storage``: every hit is one short write transaction (WAL, no
fsync: a counter lost in a power cut only forgives a few requests), so the web workers of
``ipai serve --workers N`` count one moving window per key together. Registered with the
``limits`` library as the ``sqlite`` scheme; only the moving window (the strategy
:class:`ipai.security.ratelimit.RateLimiter` uses) and the plain counters ``limits`` requires are
implemented. Several machines share counters through ``redis://`` instead.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

from limits.storage import MovingWindowSupport, Storage

SCHEMA = """
CREATE TABLE IF NOT EXISTS hits (key TEXT NOT NULL, t REAL NOT NULL);
CREATE INDEX IF NOT EXISTS hits_key_t ON hits (key, t);
CREATE TABLE IF NOT EXISTS counters (key TEXT PRIMARY KEY, n INTEGER NOT NULL, expires REAL NOT NULL);
"""


def shared_storage_url(path: Path) -> str:
    """The ``rate_limit_storage`` value of a SQLite file at ``path``."""
    return "sqlite:///" + str(path.resolve()).lstrip("/")


class SQLiteStorage(Storage, MovingWindowSupport):
    """Moving-window rate-limit entries in one SQLite file (see the module docstring)."""

    STORAGE_SCHEME = ["sqlite"]

    def __init__(self, uri: str, wrap_exceptions: bool = False, **options: float | str | bool) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.path = Path("/" + uri.split("://", 1)[1].lstrip("/"))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._db().executescript(SCHEMA)

    def _db(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:  # one connection per thread (the event loop's, the thread pool's)
            db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=OFF")
            self._local.db = db
        return db

    def _tx(self) -> _Tx:
        return _Tx(self._db())

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return sqlite3.Error

    # ---- the moving window ------------------------------------------------------------------
    def acquire_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        """Record ``amount`` hits of ``key`` unless that would make more than ``limit`` in the
        last ``expiry`` seconds (checked and written in one transaction)."""
        if amount > limit:
            return False
        now = time.time()
        with self._tx() as db:
            db.execute("DELETE FROM hits WHERE key = ? AND t <= ?", (key, now - expiry))
            (n,) = db.execute("SELECT COUNT(*) FROM hits WHERE key = ?", (key,)).fetchone()
            if n + amount > limit:
                return False
            db.executemany("INSERT INTO hits (key, t) VALUES (?, ?)", [(key, now)] * amount)
        return True

    def get_moving_window(self, key: str, limit: int, expiry: int) -> tuple[float, int]:
        """(time of the oldest hit in the window, hits in the window)."""
        now = time.time()
        oldest, n = (
            self._db()
            .execute("SELECT MIN(t), COUNT(*) FROM hits WHERE key = ? AND t > ?", (key, now - expiry))
            .fetchone()
        )
        return (float(oldest) if oldest is not None else now), int(n)

    # ---- plain counters (required by the Storage interface) ---------------------------------
    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        with self._tx() as db:
            db.execute("DELETE FROM counters WHERE key = ? AND expires <= ?", (key, now))
            db.execute(
                "INSERT INTO counters (key, n, expires) VALUES (?, ?, ?) "
                "ON CONFLICT(key) DO UPDATE SET n = n + excluded.n",
                (key, amount, now + expiry),
            )
            (n,) = db.execute("SELECT n FROM counters WHERE key = ?", (key,)).fetchone()
        return int(n)

    def get(self, key: str) -> int:
        row = (
            self._db()
            .execute("SELECT n FROM counters WHERE key = ? AND expires > ?", (key, time.time()))
            .fetchone()
        )
        return int(row[0]) if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._db().execute("SELECT expires FROM counters WHERE key = ?", (key,)).fetchone()
        return float(row[0]) if row else time.time()

    def check(self) -> bool:
        try:
            self._db().execute("SELECT 1").fetchone()
        except sqlite3.Error:
            return False
        return True

    def reset(self) -> int | None:
        with self._tx() as db:
            n = db.execute("DELETE FROM hits").rowcount + db.execute("DELETE FROM counters").rowcount
        return int(n)

    def clear(self, key: str) -> None:
        with self._tx() as db:
            db.execute("DELETE FROM hits WHERE key = ?", (key,))
            db.execute("DELETE FROM counters WHERE key = ?", (key,))


class _Tx:
    """``BEGIN IMMEDIATE`` … ``COMMIT`` (``ROLLBACK`` on an error) on one connection."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> sqlite3.Connection:
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, kind: object, exc: object, tb: object) -> None:
        self.db.execute("ROLLBACK" if kind is not None else "COMMIT")
