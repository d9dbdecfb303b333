"""The pieces of ``ipai serve --workers N`` in process: tasks recorded by one runner and run by the
writer's, the generation file the workers follow, rate-limit counts shared through a SQLite file."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from ipai.security.context import LOCAL, Principal, acting_as
from ipai.security.ratelimit import RateLimited, RateLimiter
from ipai.security.sharedlimits import shared_storage_url
from ipai.service.generations import Follower, announced, publish
from ipai.service.tasks import QueueFull, TaskRunner
from ipai.settings import load_settings
from ipai.store import open_store


@pytest.fixture()
def store(tmp_path: Path) -> Any:
    s = open_store(load_settings(home=tmp_path / "home", progress=False))
    yield s
    s.close()


def _user(name: str) -> Principal:
    return Principal(user=name, role="admin", tenant=None, user_id=None, via="key")


def test_a_worker_records_and_the_writer_runs_in_turn(store: Any) -> None:
    ran: list[str] = []
    kinds = {"note": lambda run: lambda report: ran.append(run["what"]) or {"noted": run["what"]}}
    worker = TaskRunner(store, role="enqueue", kinds=kinds, per_user=3)
    ids = {}
    for who, what in (("a", "a1"), ("a", "a2"), ("a", "a3"), ("b", "b1")):
        with acting_as(_user(who)):
            t = worker.submit("note", {"label": what}, lambda report: {}, run={"what": what})
            ids[what] = t["id"]
            assert t["state"] == "queued" and t["params"] == {"label": what}  # the run part is private
            time.sleep(0.002)  # distinct creation times
    with acting_as(_user("a")), pytest.raises(QueueFull):  # a's share of the stored queue is full
        worker.submit("note", {}, lambda report: {}, run={"what": "a4"})
    assert ran == []  # a worker runs nothing
    writer = TaskRunner(store, role="writer", kinds=kinds)
    while writer.run_next() is not None:
        pass
    assert ran == ["a1", "b1", "a2", "a3"]  # in turn across submitters, oldest first
    with acting_as(LOCAL):
        done = worker.get(ids["b1"])
    assert done["state"] == "done" and done["result"] == {"noted": "b1"}


def test_an_unregistered_kind_cannot_be_recorded_for_the_writer(store: Any) -> None:
    worker = TaskRunner(store, role="enqueue", kinds={})
    with pytest.raises(ValueError, match="not registered"):
        worker.submit("mystery", {}, lambda report: {})


def test_a_new_writer_marks_what_the_last_one_left_running(store: Any) -> None:
    worker = TaskRunner(store, role="enqueue", kinds={"note": lambda run: lambda report: {}})
    queued = worker.submit("note", {}, lambda report: {})["id"]
    running = worker.submit("note", {}, lambda report: {})["id"]
    with acting_as(LOCAL):
        row = store.get_task(running)
        store.save_task({**row, "state": "running"})  # a writer died while running it
    TaskRunner(store, role="enqueue")  # another web worker starting: leaves the queue alone
    assert worker.get(running)["state"] == "running"
    TaskRunner(store, role="writer")  # the replacement writer
    assert worker.get(running)["state"] == "interrupted"
    assert worker.get(queued)["state"] == "queued"  # still to run


class _Ctx:
    """The part of a service context a Follower uses."""

    def __init__(self, home: Path) -> None:
        self.settings = load_settings(home=home, progress=False)
        self.opened = 0

    def new_search_engine(self) -> Any:
        ctx = self

        class Engine:
            def warm(self) -> None:
                ctx.opened += 1

        return Engine()


def test_workers_reopen_the_index_when_the_writer_publishes(tmp_path: Path) -> None:
    ctx = _Ctx(tmp_path / "home")
    publish(ctx.settings, 41)
    follower = Follower(ctx, check_s=0.0)  # type: ignore[arg-type]
    current = object()
    assert follower.check(current) is None and ctx.opened == 0  # nothing new
    publish(ctx.settings, 42)
    assert announced(ctx.settings) == 42
    assert follower.check(current) is None  # the new engine opens in the background
    end = time.monotonic() + 10
    fresh = None
    while fresh is None and time.monotonic() < end:
        fresh = follower.check(current)
        time.sleep(0.01)
    assert fresh is not None and ctx.opened == 1 and follower.reopened == 1
    assert follower.check(fresh) is None and ctx.opened == 1  # once per generation


def test_rate_limits_counted_once_for_all_workers(tmp_path: Path) -> None:
    url = shared_storage_url(tmp_path / "cache" / "ratelimit.sqlite")
    one, two = RateLimiter(4, url), RateLimiter(4, url)  # two workers' limiters
    for lim in (one, two, one, two):
        lim.hit("key:k1")
    with pytest.raises(RateLimited) as exc:
        two.hit("key:k1")
    assert 1 <= exc.value.retry_after <= 61
    one.hit("key:k2")  # another key has its own count
    RateLimiter(4, "memory://").hit("key:k1")  # memory:// stays per process
