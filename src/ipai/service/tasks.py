"""Background tasks: long jobs (ingest, index) started from the API or the web UI.

Tasks run one at a time on a worker thread (writes to the embedded store are serial anyway), and
their state, progress and result live in the store's ``tasks`` table, so a status request — from
this process or another — sees them. A task that was queued or running when its process stopped
is marked ``interrupted`` on the next start; re-submitting an ingest resumes it from the store's
per-file checkpoints.

Tasks belong to the tenant of whoever started them (the store filters every read). The queue is
bounded: at most ``task_queue_max`` tasks wait at once (more: 503), at most
``task_queue_per_user`` per user or API key (more: 429), and waiting tasks run in turn across
users, so one client cannot hold the worker for everyone else. Task views never show server
paths: what a task shows passes :func:`public`, which keeps file names only.

Under ``ipai serve --workers N`` one process writes: the web workers' runners only record the task
(role ``enqueue``: its kind and the parameters to run it, kept in the row and never shown), and the
writer process's runner (role ``writer``) takes queued rows from the store in turn across
submitters and builds their work from the task kinds the services registered
(:attr:`ipai.service.context.ServiceContext.task_kinds`). With one process (role ``local``, the
default) the runner queues and runs in that process as before.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from typing import Any

from ipai.errors import IpaiError, NotFound
from ipai.security.context import LOCAL, acting_as, current
from ipai.security.ratelimit import RateLimited
from ipai.store import Store
from ipai.text.paths import strip_dirs

STATES = ("queued", "running", "done", "failed", "interrupted")
Report = Callable[..., None]  # report(**progress fields)
Work = Callable[[Report], dict[str, Any]]
Kinds = dict[str, Callable[[dict[str, Any]], Work]]  # task kind → its work from the recorded run parameters
ROLES = ("local", "enqueue", "writer")
RETRY_AFTER = 30  # seconds a refused submitter is told to wait
log = logging.getLogger("ipai.tasks")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class QueueFull(RateLimited):
    """The task queue (or the caller's share of it) is full: 503 for everyone, 429 for one user."""

    def __init__(self, message: str, *, status: int) -> None:
        super().__init__(message, RETRY_AFTER)
        self.status = status
        self.errors = [{"field": "tasks", "message": "queue full"}]


class TaskRunner:
    """Bounded, fair queue of background tasks over one store."""

    def __init__(
        self,
        store: Store,
        *,
        save_every_s: float = 0.5,
        max_queued: int = 50,
        per_user: int = 5,
        role: str = "local",
        kinds: Kinds | None = None,
    ) -> None:
        if role not in ROLES:
            raise ValueError(f"task runner role {role!r}: use one of {', '.join(ROLES)}")
        self.store = store
        self.role = role
        self.kinds: Kinds = kinds if kinds is not None else {}
        self._served: dict[str, int] = {}  # writer: submitter → when its last task started (a counter)
        self.save_every_s = save_every_s
        self.max_queued = max_queued
        self.per_user = per_user
        self._lock = threading.Lock()  # store writes of task rows
        self._cond = threading.Condition()
        self._waiting: dict[str, deque[tuple[dict[str, Any], Work]]] = {}  # submitter → its queued tasks
        self._turns: deque[str] = deque()  # submitters with queued tasks, in turn
        self._closed = False
        self._worker: threading.Thread | None = None
        if role == "enqueue":  # the writer process owns the queue: nothing here was left unfinished
            return
        with acting_as(LOCAL):  # every tenant's unfinished tasks, whoever opens the runner
            unfinished = store.list_tasks(limit=1000, states=("queued", "running"))
        for t in unfinished:
            if role == "writer" and t["state"] == "queued" and "_who" in (t.get("params") or {}):
                continue  # recorded by a web worker: the writer runs it
            t.update(
                state="interrupted",
                finished_at=_now(),
                error={
                    "ok": False,
                    "error": "the process running this task stopped; submit it again to resume",
                    "errors": [],
                    "status": 500,
                    "code": "task_interrupted",
                },
            )
            store.save_task(t)

    def check(self) -> None:
        """Raise :class:`QueueFull` if a task submitted now would be refused (before uploads are saved)."""
        with self._cond:
            self._admit(current().limit_key)

    def _queued(self) -> dict[str, int]:
        """Waiting tasks per submitter: this process's queue, or the store's queued rows when
        another process runs them."""
        if self.role == "local":
            return {who: len(q) for who, q in self._waiting.items()}
        with acting_as(LOCAL):
            rows = self.store.list_tasks(limit=10_000, states=("queued",))
        out: dict[str, int] = {}
        for t in rows:
            who = str((t.get("params") or {}).get("_who", ""))
            out[who] = out.get(who, 0) + 1
        return out

    def _admit(self, who: str) -> None:
        waiting = self._queued()
        mine = waiting.get(who, 0)
        if mine >= self.per_user:
            raise QueueFull(
                f"you already have {mine} tasks waiting (at most {self.per_user}, setting "
                "task_queue_per_user); try again when one has started",
                status=429,
            )
        total = sum(waiting.values())
        if total >= self.max_queued:
            raise QueueFull(
                f"the task queue is full ({total} tasks waiting, setting task_queue_max); try again later",
                status=503,
            )

    def submit(
        self, kind: str, params: dict[str, Any], work: Work, *, run: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """Queue ``work(report)`` for the caller's tenant; returns the task record (state ``queued``).
        ``run``: what the writer process needs to build the same work from the task kind (kept in
        the row, never shown). :class:`QueueFull` when the queue or the caller's share of it is full."""
        from ipai.store.security import row_owner

        who = current().limit_key
        if self.role == "enqueue" and kind not in self.kinds:
            raise ValueError(f"task kind {kind!r} cannot run in the writer process: it is not registered")
        task: dict[str, Any] = {
            "id": uuid.uuid4().hex[:16],
            "kind": kind,
            "state": "queued",
            "params": {**params, "_who": who, "_run": run or {}},
            "progress": {},
            "result": None,
            "error": None,
            "created_at": _now(),
            "started_at": None,
            "finished_at": None,
            "tenant": row_owner(),
        }
        with self._cond:
            if self._closed:
                raise QueueFull("the server is stopping; try again later", status=503)
            self._admit(who)
            with self._lock:
                self.store.save_task(task)
            if self.role != "local":
                return public(task)  # the writer process takes it from the store
            if who not in self._waiting:
                self._waiting[who] = deque()
                self._turns.append(who)
            self._waiting[who].append((task, work))
            if self._worker is None:
                self._worker = threading.Thread(target=self._loop, name="ipai-task", daemon=True)
                self._worker.start()
            self._cond.notify()
        return public(task)

    def _next(self) -> tuple[dict[str, Any], Work] | None:
        """The next task: the first waiting one of the submitter whose turn it is."""
        with self._cond:
            while not self._turns and not self._closed:
                self._cond.wait()
            if self._closed:
                return None
            who = self._turns.popleft()
            queue = self._waiting[who]
            item = queue.popleft()
            if queue:
                self._turns.append(who)  # back of the line: the others go first
            else:
                del self._waiting[who]
            return item

    def _loop(self) -> None:
        while (item := self._next()) is not None:
            self._run(*item)

    def run_next(self) -> str | None:
        """Writer: run the next queued task of the store (the oldest of the submitter whose turn
        it is), whichever process recorded it; its kind, or None when none waits."""
        with acting_as(LOCAL):
            rows = self.store.list_tasks(limit=10_000, states=("queued",))
        if not rows or self._closed:
            return None
        rows.reverse()  # oldest first

        def turn(t: dict[str, Any]) -> int:
            return self._served.get(str((t.get("params") or {}).get("_who", "")), -1)

        task = min(rows, key=turn)  # min keeps the oldest among equal turns
        who = str(task["params"].get("_who", ""))
        self._served[who] = max(self._served.values(), default=0) + 1
        make = self.kinds.get(task["kind"])
        if make is None:
            task.update(
                state="failed", finished_at=_now(), error=_internal(f"unknown task kind {task['kind']}")
            )
            self._save(task)
            return str(task["kind"])
        self._run(task, make(dict(task["params"].get("_run") or {})))
        return str(task["kind"])

    def _run(self, task: dict[str, Any], work: Work) -> None:
        task.update(state="running", started_at=_now())
        self._save(task)
        last = [0.0]

        def report(**fields: Any) -> None:
            task["progress"] = {**task["progress"], **fields}
            now = time.monotonic()
            if now - last[0] >= self.save_every_s:
                last[0] = now
                self._save(task)

        try:
            task["result"] = work(report)
            task["state"] = "done"
        except IpaiError as exc:  # its code and values too: pages write the reason in the reader's language
            from ipai.error_text import code_of

            code, params = code_of(exc)
            task.update(
                state="failed",
                error={
                    **exc.to_json(),
                    "code": code or None,
                    "params": {k: str(v) for k, v in params.items()},
                },
            )
        except Exception as exc:  # noqa: BLE001 - a task must end with a recorded state
            ref = uuid.uuid4().hex[:12]
            log.exception("task %s (%s) failed [%s]", task["id"], task["kind"], ref)
            task.update(
                state="failed",
                error={
                    "ok": False,
                    "error": f"internal error {ref} ({type(exc).__name__}); "
                    "the details are in the server log",
                    "errors": [],
                    "status": 500,
                    "code": "task_internal",
                    "params": {"ref": ref},
                },
            )
        task["finished_at"] = _now()
        self._save(task)

    def _save(self, task: dict[str, Any]) -> None:
        with self._lock:
            self.store.save_task(task)

    def get(self, task_id: str) -> dict[str, Any]:
        """One task of the caller's tenant; :class:`NotFound` if there is none."""
        t = self.store.get_task(task_id)
        if t is None:
            raise NotFound(f"no task {task_id!r}", code="not_found", params={"what": "task", "id": task_id})
        return public(t)

    def list(self, *, limit: int = 20, offset: int = 0) -> list[dict[str, Any]]:
        """Tasks of the caller's tenant, newest first."""
        return [public(t) for t in self.store.list_tasks(limit=limit, offset=offset)]

    def wait(self, task_id: str, timeout: float = 60.0) -> dict[str, Any]:
        """Block until a task has finished (tests and the CLI); returns its record."""
        end = time.monotonic() + timeout
        while True:
            t = self.get(task_id)
            if t["state"] not in ("queued", "running") or time.monotonic() > end:
                return t
            time.sleep(0.05)

    def close(self) -> None:
        """Let the running task finish, drop queued ones (of this process)."""
        with self._cond:
            self._closed = True
            self._waiting.clear()
            self._turns.clear()
            self._cond.notify_all()
        if self._worker is not None:
            self._worker.join()


def _internal(message: str) -> dict[str, Any]:
    return {"ok": False, "error": message, "errors": [], "status": 500, "code": None}


def _scrub(value: Any) -> Any:
    if isinstance(value, str):
        return strip_dirs(value)
    if isinstance(value, dict):
        return {k: _scrub(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    return value


def public(task: dict[str, Any]) -> dict[str, Any]:
    """A task as JSON: dates as ISO strings, seconds elapsed; file names only, never server paths
    (nor the tenant column)."""
    out = {k: v for k, v in task.items() if k != "tenant"}
    params = {k: v for k, v in (out.get("params") or {}).items() if not k.startswith("_")}
    if "paths" in params:  # tasks stored before file names replaced paths
        params["files"] = [strip_dirs(str(p)) for p in params.pop("paths") or []]
    out["params"] = params
    for k in ("params", "progress", "result", "error"):
        out[k] = _scrub(out.get(k))
    for k in ("created_at", "started_at", "finished_at"):
        v = out.get(k)
        out[k] = v.isoformat(timespec="seconds") + "Z" if isinstance(v, dt.datetime) else v
    start, end = task.get("started_at"), task.get("finished_at") or _now()
    out["seconds"] = round((end - start).total_seconds(), 2) if isinstance(start, dt.datetime) else None
    return out


def reject_reason(text: str | None, lang: str) -> str:
    """A stored reject reason in ``lang`` (one clean line, no file bytes, no server folders), as
    the task pages show it."""
    from ipai.ingest.messages import reason_text

    return reason_text(text, lang)
