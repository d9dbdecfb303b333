"""``ipai serve --workers 2`` as a real process: API calls across the workers (search, show,
export, sign-in, a background task run by the writer and picked up by the workers, a rate limit
counted across the workers), then a worker killed mid-request is replaced while the other serves.

One server for the module (its start loads the index and the models once); the tests run in order."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from ipai.settings import load_settings
from tests.conftest import subset_csv
from tests.security.live import free_port, start, stop, wait_up

API = "/api/v1"
PASSWORD = "a long enough test password"
NEW_TITLE = "zqxwvplk 电池快换装置"  # in the file ingested through the API: the token is in no other document
NEW_WORD = "zqxwvplk"


class Farm:
    """The running server: base URL, process, home, keys and the log's process ids."""

    def __init__(self, base: str, proc: subprocess.Popen[bytes], home: Path, keys: dict[str, str]) -> None:
        self.base, self.proc, self.home, self.keys = base, proc, home, keys

    def log(self) -> str:
        return (self.home / "serve.log").read_text(errors="replace")

    def pids(self) -> dict[str, int]:
        """The current pid of each child slot, from the supervisor's log lines."""
        out: dict[str, int] = {}
        for m in re.finditer(r"(web-\d+|writer) pid (\d+)", self.log()):
            out[m.group(1)] = int(m.group(2))
        for m in re.finditer(r"(web-\d+|writer) \(pid \d+\) [^;]+; restarted as pid (\d+)", self.log()):
            out[m.group(1)] = int(m.group(2))
        return out

    def client(self, key: str = "admin") -> httpx.Client:
        """A client that opens a new connection per request (so that requests reach either worker,
        or the one not paused)."""
        headers = {"X-API-Key": self.keys[key], "Connection": "close"}
        return httpx.Client(base_url=self.base, headers=headers, timeout=60)


def _write_csv(src: Path, dst: Path, rows: list[list[str]]) -> Path:
    import csv

    with src.open(encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    with dst.open("w", encoding="utf-8", newline="") as out:
        w = csv.writer(out, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    return dst


@pytest.fixture(scope="module")
def farm(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Iterator[Farm]:
    from ipai.service import Service

    corpus = tmp_path_factory.mktemp("serve-corpus")
    src = shared_data / "cn-patent-titles-ipc/titles_ipc.csv"
    subset_csv(src, corpus / "titles.csv", 60)
    subset_csv(
        shared_data / "us-abstracts-patentsview/neural_network_patent_query.csv", corpus / "nn.csv", 40
    )
    home = tmp_path_factory.mktemp("serve-home")
    svc = Service(load_settings(home=home, progress=False, auth=True))
    svc.corpus.ingest([corpus])
    svc.corpus.index()
    svc.security.add_user("boss", "admin", password=PASSWORD)
    keys = {
        "admin": svc.security.create_api_key("boss")["key"],
        "limited": svc.security.create_api_key("boss", name="limited", rate_per_minute=5)["key"],
    }
    svc.close()
    port = free_port()
    proc = start(home, port, {"IPAI_AUTH": "true"}, workers=2)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_up(base, proc, timeout=300)
        yield Farm(base, proc, home, keys)
    finally:
        stop(proc)


@contextmanager
def only(farm: Farm, slot: str) -> Iterator[None]:
    """Requests in the block reach the web worker ``slot`` only: the others are paused (SIGSTOP)
    and cannot accept connections."""
    others = [pid for s, pid in farm.pids().items() if s.startswith("web-") and s != slot]
    for pid in others:
        os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        for pid in others:
            os.kill(pid, signal.SIGCONT)


def _titles(res: dict[str, Any]) -> list[str]:
    return [str(h.get("title") or "") for h in res["results"]]


def test_one_supervisor_two_web_workers_and_a_writer(farm: Farm) -> None:
    pids = farm.pids()
    assert sorted(pids) == ["web-1", "web-2", "writer"]
    assert len(set(pids.values())) == 3 and farm.proc.pid not in pids.values()
    for pid in pids.values():  # children of the supervisor
        assert Path(f"/proc/{pid}/stat").read_text().split(") ")[1].split()[1] == str(farm.proc.pid)


def test_search_show_export_and_sign_in_across_workers(farm: Farm) -> None:
    with farm.client() as c:
        first = None
        for _ in range(6):  # new connections: the kernel hands them to either worker
            r = c.get(f"{API}/search", params={"q": "神经网络", "top": 5})
            assert r.status_code == 200, r.text
            first = first or r.json()
            assert r.json()["total"] == first["total"] and _titles(r.json()) == _titles(first)
        assert first and first["total"] > 0
        doc = first["results"][0]["id"]
        shown = c.get(f"{API}/documents/{doc}")
        assert shown.status_code == 200 and shown.json()["document"]["id"] == doc
        csv = c.get(f"{API}/search/export", params={"q": "神经网络"})
        assert csv.status_code == 200 and doc in csv.text
    with httpx.Client(base_url=farm.base, timeout=60, headers={"Connection": "close"}) as anon:
        assert anon.get(f"{API}/me").json()["user"] == "anonymous"
        r = anon.post(f"{API}/auth/login", json={"name": "boss", "password": PASSWORD})
        assert r.status_code == 200, r.text
        for _ in range(4):  # the session lives in the store: every worker knows it
            assert anon.get(f"{API}/me").json()["user"] == "boss"


def test_a_task_runs_in_the_writer_and_the_workers_see_the_new_index(farm: Farm, shared_data: Path) -> None:
    src = shared_data / "cn-patent-titles-ipc/titles_ipc.csv"
    import csv

    with src.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))[101:103]  # not among the first corpus's 60
    rows[0][1] = NEW_TITLE  # patent_title
    up = _write_csv(src, farm.home.parent / "new-titles.csv", rows)
    with farm.client() as c:
        assert c.get(f"{API}/search", params={"q": NEW_WORD, "mode": "keyword"}).json()["total"] == 0
        r = c.post(f"{API}/ingest", files={"files": (up.name, up.read_bytes(), "text/csv")})
        assert r.status_code == 202, r.text
        task = r.json()
        end = time.monotonic() + 180
        while task["state"] in ("queued", "running") and time.monotonic() < end:
            time.sleep(0.3)
            task = c.get(f"{API}/tasks/{task['id']}").json()
        assert task["state"] == "done", task
        assert "_run" not in task["params"] and "_who" not in task["params"]  # private to the writer
    for slot in ("web-1", "web-2"):  # each worker reopens the index within seconds, unrestarted
        with only(farm, slot), farm.client() as c:  # a new client: no kept-alive connection to the other
            hits, end = 0, time.monotonic() + 60
            while not hits and time.monotonic() < end:
                hits = c.get(f"{API}/search", params={"q": NEW_WORD, "mode": "keyword"}).json()["total"]
                time.sleep(0.2)
        assert hits >= 1, f"{slot} did not pick up the writer's new index generation"
    assert (farm.home / "index" / "generation").exists()


def test_a_rate_limit_holds_across_workers(farm: Farm) -> None:
    codes = []
    for slot, n in (("web-1", 3), ("web-2", 6)):  # per-worker counts would let 3 + 5 through
        with only(farm, slot), farm.client("limited") as c:
            codes += [c.get(f"{API}/me").status_code for _ in range(n)]
    assert codes == [200] * 5 + [429] * 4, codes
    assert (farm.home / "cache" / "ratelimit.sqlite").exists()


def _response(conn: socket.socket) -> bytes:
    """One whole HTTP response (headers and a Content-Length body) read from a connection."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += conn.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    size = int(re.search(rb"(?i)content-length: *(\d+)", head)[1])  # type: ignore[index]
    while len(body) < size:
        body += conn.recv(65536)
    return head + b"\r\n\r\n" + body


def _in_flight_on(farm: Farm, slot: str) -> socket.socket:
    """A connection owned by the worker ``slot`` with a request half sent."""
    with only(farm, slot):
        conn = socket.create_connection(("127.0.0.1", int(farm.base.rsplit(":", 1)[1])), timeout=30)
        conn.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
        assert _response(conn).startswith(b"HTTP/1.1 200")  # answered: accepted by ``slot``
    conn.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n")  # the next request, unfinished
    return conn


def test_a_killed_worker_is_replaced_while_the_other_serves(farm: Farm) -> None:
    pids = farm.pids()
    victim, survivor = pids["web-1"], pids["web-2"]
    conn = _in_flight_on(farm, "web-1")
    os.kill(victim, signal.SIGKILL)
    try:
        assert conn.recv(65536) == b""  # the connection died with its worker
    except ConnectionResetError:
        pass
    finally:
        conn.close()
    with farm.client() as c:
        for _ in range(3):  # the other worker answers meanwhile
            assert c.get(f"{API}/search", params={"q": "神经网络"}).status_code == 200
    end = time.monotonic() + 60
    while farm.pids()["web-1"] == victim and time.monotonic() < end:
        time.sleep(0.1)
    new = farm.pids()["web-1"]
    assert new != victim and f"web-1 (pid {victim}) killed by signal 9; restarted as pid {new}" in farm.log()
    with only(farm, "web-1"), farm.client() as c:  # the replacement serves
        r = c.get(f"{API}/search", params={"q": "神经网络"})
        assert r.status_code == 200 and r.json()["total"] > 0
    assert farm.pids()["web-2"] == survivor and farm.proc.poll() is None


def test_sigterm_stops_every_process(farm: Farm) -> None:
    children = list(farm.pids().values())
    farm.proc.send_signal(signal.SIGTERM)
    assert farm.proc.wait(timeout=30) == 0
    for pid in children:
        assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]
