"""Search index generations under ``ipai serve --workers N``: one process writes, the others follow.

The writer process (:mod:`ipai.service.writer`) is the only one that refreshes or rebuilds the
search index. When the index it leaves behind differs from the last one it announced, it writes
``<home>/index/generation`` anew (the indexed change number and a nonce, replaced atomically).
A web worker reads the index only (its engine is ``read_only``) and, when it uses the search engine,
compares that file's status (``os.stat``: no read, no query) with what it saw, at most every
``CHECK_S`` seconds. On a change it opens a new engine in a background thread and swaps it in once
open; requests in flight finish on the old engine, which is released when the last of them ends.
A worker never waits for a reopen, and one that fails (the writer is in the middle of a rebuild)
is retried at the next check.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from ipai.settings import Settings

if TYPE_CHECKING:
    from ipai.search.protocol import SearchEngine
    from ipai.service.context import ServiceContext

GENERATION = "generation"  # file in the index folder
CHECK_S = 2.0  # seconds between two looks at the generation file
Stamp = tuple[int, int, int] | None
log = logging.getLogger("ipai.generations")


def generation_file(settings: Settings) -> Path:
    """Where the writer announces a new index generation."""
    return settings.home / "index" / GENERATION


def publish(settings: Settings, seq: int) -> None:
    """Announce a new index generation (``seq``: the store change number it has indexed)."""
    path = generation_file(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{GENERATION}.{os.getpid()}")
    tmp.write_text(f"{seq} {time.time_ns()}\n", encoding="ascii")
    os.replace(tmp, path)


def announced(settings: Settings) -> int | None:
    """The change number of the last announced generation (None: none yet)."""
    try:
        return int(generation_file(settings).read_text(encoding="ascii").split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _stamp(path: Path) -> Stamp:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


class Follower:
    """A web worker's view of the writer's generations: when to open the index again."""

    def __init__(self, ctx: ServiceContext, check_s: float = CHECK_S) -> None:
        self.ctx = ctx
        self.path = generation_file(ctx.settings)
        self.check_s = check_s
        self.seen: Stamp = _stamp(self.path)
        self.reopened = 0  # how many newer generations this worker has opened
        self._checked = time.monotonic()
        self._lock = threading.Lock()
        self._opening = False
        self._ready: SearchEngine | None = None

    def check(self, current: SearchEngine | None) -> SearchEngine | None:
        """An engine opened on a newer generation to use instead of ``current`` (None: keep it)."""
        now = time.monotonic()
        if self._ready is None and (now - self._checked < self.check_s or self._opening):
            return None  # the common case: no lock, no system call
        with self._lock:
            if self._ready is not None:
                fresh, self._ready = self._ready, None
                return fresh
            if now - self._checked < self.check_s or self._opening:
                return None
            self._checked = now
            stamp = _stamp(self.path)
            if stamp == self.seen:
                return None
            self.seen = stamp
            if current is None:  # not opened yet: it opens on the newest generation anyway
                return None
            self._opening = True
        threading.Thread(target=self._open, name="ipai-index-follow", daemon=True).start()
        return None

    def _open(self) -> None:
        try:
            engine = self.ctx.new_search_engine()
            engine.warm()
        except Exception as exc:  # in the middle of a rebuild: look again at the next check
            log.warning("could not open the new index generation yet: %s", exc)
            with self._lock:
                self.seen = None
                self._opening = False
            return
        with self._lock:
            self._ready = engine
            self._opening = False
            self.reopened += 1


_INHERITED: list[object] = []  # connections a forked process inherited: kept, never used, never closed


def after_fork(ctx: ServiceContext) -> None:
    """In a process forked from a preloaded server (``ipai serve --workers N``): give this process
    its own database connections and helper threads. Connections must not cross a fork (the
    inherited ones are set aside, never used nor closed: closing a PostgreSQL one would end the
    parent's session), a thread pool's threads do not (its object does)."""
    import ipai.search.engine as single

    single._POOL = None  # the helper thread that runs the semantic side of a hybrid search
    store_engine = getattr(ctx._store, "engine", None)
    if store_engine is not None:
        store_engine.dispose(close=False)  # SQLAlchemy's way: new connections, the parent's untouched
    engine = ctx._search
    if engine is None:
        return
    from ipai.search.docmap import DocMap

    parts = list(getattr(engine, "shards", None) or [engine])
    if hasattr(engine, "_pool"):
        engine._pool = None
    for part in parts:
        old = getattr(part, "docmap", None)
        if isinstance(old, DocMap):
            _INHERITED.append(old)
            part.docmap = DocMap(old.path)
        vectors = getattr(part, "vectors", None)  # pgvector's own connection: a new one on next use
        if getattr(vectors, "_conn", None) is not None:
            _INHERITED.append(vectors._conn)  # type: ignore[union-attr]
            vectors._conn = None  # type: ignore[union-attr]
