"""``ipai serve --workers N``: one supervisor, N web workers and one writer, forked after a preload.

Like gunicorn's arbiter with ``--preload`` (and unlike uvicorn's ``--workers``, which spawns fresh
interpreters that each load everything again), the supervisor binds the socket, builds the service
and loads what every request needs — the search index, the encoder, the language models and
dictionaries, a first search in each language, the dashboard's facts — then forks. The workers
share those pages copy-on-write (``gc.freeze`` keeps the collector from touching them), so N
workers cost far less than N times one; the vector file and tantivy's segments are memory-mapped
and shared through the page cache anyway.

* **web workers** (N): uvicorn on the inherited socket (the kernel spreads connections), the
  search index read-only, following the writer's generations (:mod:`ipai.service.generations`);
  background tasks are only recorded.
* **the writer** (one): runs the recorded tasks and keeps the index up with the store
  (:mod:`ipai.service.writer`); it serves no request.

A child that dies is replaced (logged on stderr); one that keeps dying at start stops the server.
SIGINT (Ctrl+C) or SIGTERM stops every child (SIGTERM, then SIGKILL after ``GRACE_S``).
"""

from __future__ import annotations

import contextlib
import faulthandler
import gc
import os
import signal
import socket
import sys
import threading
import time
from typing import Any

GRACE_S = 10.0  # seconds children get to finish in-flight requests and the running task
QUICK_DEATH_S = 5.0  # a child that dies this soon after its start counts as failing to start
MAX_QUICK_DEATHS = 5  # consecutive quick deaths of one slot stop the server
WRITER = "writer"
WARM_QUERIES = ("drone battery", "无人机 电池")  # one search per language loads the query-time models


def log(message: str) -> None:
    """A supervisor log line on stderr (for operators: English, with the process ids)."""
    print(f"[ipai serve {os.getpid()}] {message}", file=sys.stderr, flush=True)


def preload(svc: Any) -> Any:
    """Load in this process what every worker would otherwise load on its own — the index, the
    models, the application itself — then drop what must not cross a fork (database connections).
    Returns the application the web workers serve."""
    from ipai.api import create_app
    from ipai.service.generations import publish

    svc.warm()
    engine = svc.ctx.search_engine
    engine.ensure_fresh()  # build a missing index, catch up: this is the only process yet
    for q in WARM_QUERIES if svc.store.count_documents() else ():
        try:
            svc.search(q, top=10)
        except Exception as exc:  # noqa: BLE001 - a warm-up only saves time
            log(f"warm-up search failed: {exc}")
    publish(svc.settings, int(engine.status()["seq"]))
    try:
        svc.warm_analytics()
    except Exception as exc:  # noqa: BLE001 - a cold cache only costs time
        log(f"analytics warm-up failed: {exc}")
    svc.ctx.follow_index()  # as the web workers will: record tasks, read the index
    application = create_app(service=svc)
    svc.store.close()  # pooled connections must not be shared with the children
    gc.collect()
    gc.freeze()  # keep the collector off the preloaded objects: their pages stay shared
    return application


class Supervisor:
    """Forks and watches the children of ``ipai serve --workers N``."""

    def __init__(self, svc: Any, app: Any, sock: socket.socket, workers: int, *, host: str) -> None:
        self.svc, self.app, self.sock, self.workers, self.host = svc, app, sock, workers, host
        self.children: dict[int, str] = {}  # pid → slot ("web-1" … or "writer")
        self.started: dict[str, float] = {}
        self.quick_deaths: dict[str, int] = {}
        self.stopping = False
        self.failed = False
        self._wake = threading.Event()
        self.parent = os.getpid()

    # ---- children ------------------------------------------------------------------------
    def spawn(self, slot: str) -> int:
        pid = os.fork()
        if pid == 0:  # the child never returns into the supervisor's code
            code = 1
            try:
                code = self._child(slot)
            except BaseException as exc:  # noqa: BLE001 - report and leave without the parent's cleanup
                log(f"{slot} stopped on {type(exc).__name__}: {exc}")
            finally:
                os._exit(code)
        self.children[pid] = slot
        self.started[slot] = time.monotonic()
        return pid

    def _child(self, slot: str) -> int:
        from ipai.service.generations import after_fork

        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        faulthandler.register(signal.SIGUSR2, all_threads=True)  # kill -USR2 PID: every stack to stderr
        _die_with(self.parent)
        after_fork(self.svc.ctx)
        if slot == WRITER:
            self.sock.close()
            return run_writer(self.svc)
        return run_web(self.svc, self.app, self.sock, self.host)

    # ---- the supervisor's loop -----------------------------------------------------------
    def run(self) -> int:
        """Start the children and watch them until a signal stops the server; the exit code."""
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, self._on_stop)
        signal.signal(signal.SIGCHLD, lambda *_: self._wake.set())
        self.spawn(WRITER)
        for k in range(1, self.workers + 1):
            self.spawn(f"web-{k}")
        log(f"{self.workers} web workers and a writer started: {self._pids()}")
        while not self.stopping:
            self._reap()
            self._wake.wait(1.0)
            self._wake.clear()
        self._stop_all()
        return 1 if self.failed else 0

    def _pids(self) -> str:
        return ", ".join(
            f"{slot} pid {pid}" for pid, slot in sorted(self.children.items(), key=lambda x: x[1])
        )

    def _on_stop(self, signum: int, _frame: Any) -> None:
        self.stopping = True
        self._wake.set()

    def _reap(self) -> None:
        while self.children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            slot = self.children.pop(pid, None)
            if slot is None or self.stopping:
                continue
            how = (
                f"killed by signal {os.WTERMSIG(status)}"
                if os.WIFSIGNALED(status)
                else f"exited with {os.waitstatus_to_exitcode(status)}"
            )
            quick = time.monotonic() - self.started.get(slot, 0.0) < QUICK_DEATH_S
            self.quick_deaths[slot] = self.quick_deaths.get(slot, 0) + 1 if quick else 0
            if self.quick_deaths[slot] >= MAX_QUICK_DEATHS:
                log(f"{slot} (pid {pid}) {how}; it keeps failing at start: stopping the server")
                self.failed = self.stopping = True
                return
            new = self.spawn(slot)
            log(f"{slot} (pid {pid}) {how}; restarted as pid {new}")

    def _stop_all(self) -> None:
        log("stopping: " + (self._pids() or "no children"))
        for pid in list(self.children):
            _signal(pid, signal.SIGTERM)
        end = time.monotonic() + GRACE_S
        while self.children and time.monotonic() < end:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid:
                self.children.pop(pid, None)
            else:
                time.sleep(0.05)
        for pid in list(self.children):  # still busy after the grace period
            _signal(pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
        self.children.clear()


def _die_with(parent: int) -> None:
    """Have the kernel send SIGTERM to this child when the supervisor dies (even by SIGKILL), so
    that no orphaned worker keeps the port (Linux; elsewhere orphans stop when their socket is idle)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the supervisor died before the request was made
        os.kill(os.getpid(), signal.SIGTERM)


def _signal(pid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, sig)


def run_web(svc: Any, application: Any, sock: socket.socket, host: str) -> int:
    """A web worker: the preloaded application over the inherited socket until SIGINT or SIGTERM."""
    import uvicorn

    port = sock.getsockname()[1]
    config = uvicorn.Config(
        application,
        host=host,
        port=port,
        log_level="warning",
        proxy_headers=False,
        timeout_graceful_shutdown=int(GRACE_S) - 1,
    )
    uvicorn.Server(config).run(sockets=[sock])
    svc.close()
    return 0


def run_writer(svc: Any) -> int:
    """The writer: recorded tasks and index refreshes until SIGINT or SIGTERM (the running task
    finishes first; one still running at SIGKILL is marked interrupted by the next writer)."""
    from ipai.service.writer import Writer

    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    svc.ctx.become_writer()
    _ = svc.corpus, svc.classifier  # the features (made on first use) that register the task kinds
    writer = Writer(svc.ctx)
    writer.run(stop)
    svc.close()
    return 0
