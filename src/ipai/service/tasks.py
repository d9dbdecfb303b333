"""Background tasks: long jobs (ingest, index) started from the API or the web UI.

Tasks run one at a time on a worker thread (writes to the embedded store are serial anyway), and
their state, progress and result live in the store's ``tasks`` table, so a status request — from
this process or another — sees them. A task that was queued or running when its process stopped
is marked ``interrupted`` on the next start; re-submitting an ingest resumes it from the store's
per-file checkpoints.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import traceback
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from ipai.errors import IpaiError, NotFound
from ipai.store import Store

STATES = ("queued", "running", "done", "failed", "interrupted")
Report = Callable[..., None]  # report(**progress fields)
Work = Callable[[Report], dict[str, Any]]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class TaskRunner:
    """Queue of background tasks over one store."""

    def __init__(self, store: Store, *, save_every_s: float = 0.5) -> None:
        self.store = store
        self.save_every_s = save_every_s
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ipai-task")
        self._lock = threading.Lock()
        for t in store.list_tasks(limit=1000, states=("queued", "running")):
            t.update(state="interrupted", finished_at=_now(),
                     error={"ok": False, "error": "the process running this task stopped; "
                            "submit it again to resume", "errors": [], "status": 500})
            store.save_task(t)

    def submit(self, kind: str, params: dict[str, Any], work: Work) -> dict[str, Any]:
        """Queue ``work(report)``; returns the task record (state ``queued``)."""
        task: dict[str, Any] = {"id": uuid.uuid4().hex[:16], "kind": kind, "state": "queued",
                                "params": params, "progress": {}, "result": None, "error": None,
                                "created_at": _now(), "started_at": None, "finished_at": None}
        with self._lock:
            self.store.save_task(task)
        self._pool.submit(self._run, task, work)
        return public(task)

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
        except IpaiError as exc:
            task.update(state="failed", error=exc.to_json())
        except Exception as exc:  # noqa: BLE001 - a task must end with a recorded state
            task.update(state="failed", error={"ok": False, "error": f"{type(exc).__name__}: {exc}",
                                               "errors": [{"trace": traceback.format_exc(limit=5)}],
                                               "status": 500})
        task["finished_at"] = _now()
        self._save(task)

    def _save(self, task: dict[str, Any]) -> None:
        with self._lock:
            self.store.save_task(task)

    def get(self, task_id: str) -> dict[str, Any]:
        """One task; :class:`NotFound` if there is none."""
        t = self.store.get_task(task_id)
        if t is None:
            raise NotFound(f"no task {task_id!r}")
        return public(t)

    def list(self, *, limit: int = 20, offset: int = 0) -> list[dict[str, Any]]:
        """Tasks, newest first."""
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
        """Let the running task finish, drop queued ones."""
        self._pool.shutdown(wait=True, cancel_futures=True)


def public(task: dict[str, Any]) -> dict[str, Any]:
    """A task as JSON: dates as ISO strings, seconds elapsed."""
    out = dict(task)
    for k in ("created_at", "started_at", "finished_at"):
        v = out.get(k)
        out[k] = v.isoformat(timespec="seconds") + "Z" if isinstance(v, dt.datetime) else v
    start, end = task.get("started_at"), task.get("finished_at") or _now()
    out["seconds"] = round((end - start).total_seconds(), 2) if isinstance(start, dt.datetime) else None
    return out
