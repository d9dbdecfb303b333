"""The writer process of ``ipai serve --workers N``: the one process that changes the search index.

Web workers only record background tasks (:mod:`ipai.service.tasks`, role ``enqueue``) and only
read the index (:mod:`ipai.service.generations`). The writer runs the recorded tasks one at a time
in turn across submitters, and between tasks keeps the index up with the store as a single server
does at search time (an ingest from the command line, a record edited through a worker): every
``CHECK_S`` seconds it compares the store's change number with the one it last saw, and on a change
opens the index, refreshes it and announces the new generation. It closes the index afterwards:
between jobs the writer holds no index in memory.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING, Any

from ipai.service.generations import CHECK_S, announced, publish

if TYPE_CHECKING:
    from ipai.service.context import ServiceContext

INDEX_KINDS = ("ingest", "index")  # tasks that change the index (a rebuild keeps the change number)
POLL_S = 0.25  # seconds between two looks for a queued task
log = logging.getLogger("ipai.writer")


class Writer:
    """Runs queued tasks and keeps the search index current, for one service context."""

    def __init__(self, ctx: ServiceContext, *, poll_s: float = POLL_S, check_s: float = CHECK_S) -> None:
        if ctx.task_role != "writer":
            ctx.become_writer()
        self.ctx = ctx
        self.poll_s, self.check_s = poll_s, check_s
        self.runner = ctx.tasks  # marks what a previous writer left unfinished
        # the store change number of the last freshness check: at start, the one the serving
        # process announced after catching up (nothing to open then)
        self._seen_seq: int | None = announced(ctx.settings)

    def run(self, stop: threading.Event) -> None:
        """Work until ``stop`` is set (a task that is running then is finished first)."""
        next_check = 0.0
        while not stop.is_set():
            kind = self.runner.run_next()
            if kind is not None:
                self.after_change(force=kind in INDEX_KINDS)
                continue
            if time.monotonic() >= next_check:
                try:
                    self.keep_fresh()
                except Exception:  # a damaged index or a busy store: try again at the next check
                    log.exception("could not bring the search index up to date")
                next_check = time.monotonic() + self.check_s
            stop.wait(self.poll_s)

    def keep_fresh(self) -> None:
        """Index what changed in the store since the last check, and announce it."""
        seq = int(self.ctx.store.max_seq())
        if seq == self._seen_seq or seq == 0:
            return
        self.ctx.search_engine.ensure_fresh()  # builds a missing index, catches up with the store
        self._seen_seq = seq
        self.after_change(force=False)

    def after_change(self, *, force: bool) -> None:
        """Announce the index generation if it is new (``force``: a task may have rebuilt it at
        the same change number), then release the index."""
        if not self.ctx.search_opened and not force:
            return
        try:
            status: dict[str, Any] = self.ctx.search_engine.status() if self._has_index() else {}
        finally:
            self.ctx.release_search()
        seq = status.get("seq")
        if seq is not None and (force or announced(self.ctx.settings) != int(seq)):
            publish(self.ctx.settings, int(seq))
            log.info("published index generation at change %s", seq)

    def _has_index(self) -> bool:
        return (
            self.ctx.settings.home / "index" / "docmap.sqlite"
        ).exists() or self.ctx.settings.index_shards > 1
