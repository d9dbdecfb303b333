"""Background tasks (issue 19, defects 5 and 10): a task belongs to its submitter's tenant (another
tenant's agency user neither lists nor opens it), task views and rejected uploads show file names
only — never server paths — and the upload is deleted; the queue is bounded per user (429) and in
total (503), with Retry-After, and waiting tasks run in turn across users."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ipai.api import create_app
from ipai.faces.auth import API
from ipai.security.context import Principal, acting_as
from ipai.service import Service
from ipai.service.tasks import QueueFull, TaskRunner
from ipai.settings import load_settings
from tests.security.conftest import as_

NOTE = b"minutes of the acme board meeting, not patent data\n"


def _wait(client: TestClient, url: str, headers: dict[str, str]) -> dict[str, Any]:
    for _ in range(600):
        t = client.get(url, headers=headers).json()
        if t["state"] not in ("queued", "running"):
            return t
        time.sleep(0.05)
    raise AssertionError(f"task did not finish: {t}")


def test_tasks_belong_to_their_tenant_and_show_no_server_path(
    secure_client: TestClient, secure_service: Any, keys: dict[str, str]
) -> None:
    c = secure_client
    secure_service.security.add_user("agy-glx", "agency", tenant="globex", password="correct horse battery")
    other = as_(secure_service.security.create_api_key("agy-glx")["key"])
    mine = as_(keys["agency"])
    r = c.post(f"{API}/ingest", files={"files": ("acme-board-notes.txt", NOTE, "text/plain")}, headers=mine)
    assert r.status_code == 202, r.text
    task = _wait(c, r.json()["url"], mine)
    assert task["state"] == "done" and task["result"]["rejected"] == 1
    # the submitter sees names, reasons and no path of the server
    home = str(secure_service.settings.home)
    shown = c.get(f"{API}/tasks/{task['id']}", headers=mine)
    assert shown.status_code == 200 and "acme-board-notes.txt" in shown.text
    assert home not in shown.text and "/uploads/" not in shown.text and "/rejects/" not in shown.text
    assert shown.json()["params"]["files"] == ["acme-board-notes.txt"]
    assert shown.json()["result"]["rejects"][0]["file"] == "acme-board-notes.txt"
    assert home not in c.get(f"{API}/tasks", headers=mine).text
    # the rejected upload is gone from the server
    assert not list((secure_service.settings.home / "uploads").rglob("acme-board-notes.txt"))
    # another tenant's agency user: not listed, not found, nothing of it shown
    assert task["id"] not in [t["id"] for t in c.get(f"{API}/tasks", headers=other).json()["items"]]
    gone = c.get(f"{API}/tasks/{task['id']}", headers=other)
    assert gone.status_code == 404 and "acme-board-notes" not in gone.text
    assert "acme-board-notes" not in c.get(f"{API}/tasks", headers=other).text
    # the platform's administrator oversees every tenant
    assert task["id"] in [t["id"] for t in c.get(f"{API}/tasks", headers=as_(keys["admin"])).json()["items"]]


# ---- the bounded, fair queue ------------------------------------------------------------------------------
ALICE = Principal(user="alice", role="agency", tenant="acme", user_id=1)
BOB = Principal(user="bob", role="agency", tenant="acme", user_id=2)
CAROL = Principal(user="carol", role="agency", tenant="globex", user_id=3)


def test_the_queue_is_bounded_per_user_and_in_total_and_fair(service: Service) -> None:
    runner = TaskRunner(service.store, max_queued=3, per_user=2)
    gate, started, ran = threading.Event(), threading.Event(), []

    def job(name: str, block: bool = False) -> Any:
        def work(report: Any) -> dict[str, Any]:
            if block:
                started.set()
                gate.wait(30)
            ran.append(name)
            return {}

        return work

    try:
        with acting_as(ALICE):
            first = runner.submit("index", {}, job("a1", block=True))
        assert started.wait(30)  # a1 runs: from now on the queue holds only what waits
        with acting_as(ALICE):
            ids = [runner.submit("index", {}, job(n))["id"] for n in ("a2", "a3")]
            with pytest.raises(QueueFull) as mine:
                runner.submit("index", {}, job("a4"))
        assert mine.value.status == 429 and "task_queue_per_user" in mine.value.message
        with acting_as(BOB):
            ids.append(runner.submit("index", {}, job("b1"))["id"])
        with acting_as(CAROL), pytest.raises(QueueFull) as full:
            runner.check()
        assert full.value.status == 503 and full.value.retry_after > 0
        gate.set()
        for task_id in [first["id"], *ids]:
            assert runner.wait(task_id, timeout=30)["state"] == "done"
        assert ran == ["a1", "a2", "b1", "a3"]  # bob's task does not wait behind all of alice's
    finally:
        gate.set()
        runner.close()


def test_a_full_queue_refuses_an_upload_with_429_and_keeps_nothing(tmp_path: Path) -> None:
    svc = Service(load_settings(home=tmp_path / "home", progress=False, task_queue_per_user=1))
    gate, started = threading.Event(), threading.Event()

    def blocked(report: Any) -> dict[str, Any]:
        started.set()
        gate.wait(30)
        return {}

    try:
        client = TestClient(create_app(service=svc, web=False))
        svc.tasks.submit("index", {}, blocked)
        assert started.wait(30)
        svc.tasks.submit("index", {}, lambda report: {})  # waits: the local user's share is full
        r = client.post(f"{API}/ingest", files={"files": ("a.csv", b"patent_number,patent_title\n1,x\n")})
        body = r.json()
        assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0, r.text
        assert set(body) == {"ok", "error", "errors", "status"} and "task_queue_per_user" in body["error"]
        assert not (svc.settings.home / "uploads").exists() or not any(
            (svc.settings.home / "uploads").iterdir()
        )
    finally:
        gate.set()
        svc.close()


def test_task_reads_are_filtered_by_tenant_in_the_store(store_url: Any) -> None:
    """On SQLite and PostgreSQL (migration 0015): the store itself keeps other tenants' tasks out."""
    from ipai.store import open_store

    store = open_store(store_url())
    try:
        for task_id, tenant in (("t-acme", "acme"), ("t-globex", "globex"), ("t-platform", None)):
            store.save_task(
                {"id": task_id, "kind": "ingest", "state": "done", "params": {}, "tenant": tenant}
            )
        with acting_as(ALICE):
            assert [t["id"] for t in store.list_tasks()] == ["t-acme"]
            assert store.get_task("t-acme") is not None
            assert store.get_task("t-globex") is None and store.get_task("t-platform") is None
        with acting_as(CAROL):
            assert [t["id"] for t in store.list_tasks()] == ["t-globex"]
        with acting_as(Principal(user="nobody", role="agency", tenant=None)):
            assert store.list_tasks() == []
        assert {t["id"] for t in store.list_tasks()} == {"t-acme", "t-globex", "t-platform"}  # platform: all
    finally:
        store.close()
