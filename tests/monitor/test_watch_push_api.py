"""Alert push (a local webhook receiver and a local SMTP server, both stdlib threads), failed pushes
recorded on the alert, and the API and web round trips, on the drone families split by year."""

from __future__ import annotations

import http.server
import json
import socket
import socketserver
import threading
from collections.abc import Iterator
from email import message_from_bytes
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ipai.api import create_app
from ipai.service import Service
from ipai.settings import load_settings
from tests.monitor.test_watch import split_drones
from tests.webforms import with_csrf


class _Smtp(socketserver.StreamRequestHandler):
    """Just enough SMTP (RFC 5321) to receive one message per connection."""

    def handle(self) -> None:
        w = self.wfile.write
        w(b"220 localhost fake smtp\r\n")
        rcpt: list[str] = []
        while line := self.rfile.readline():
            cmd = line.decode().strip()
            verb = cmd[:4].upper()
            if verb in ("EHLO", "HELO"):
                w(b"250 localhost\r\n")
            elif verb == "MAIL":
                w(b"250 ok\r\n")
            elif verb == "RCPT":
                rcpt.append(cmd.split(":", 1)[1].strip(" <>"))
                w(b"250 ok\r\n")
            elif verb == "DATA":
                w(b"354 go\r\n")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk
                self.server.messages.append((rcpt, message_from_bytes(data)))  # type: ignore[attr-defined]
                w(b"250 queued\r\n")
            elif verb == "QUIT":
                w(b"221 bye\r\n")
                return
            else:
                w(b"250 ok\r\n")


class _Hook(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.posts.append(json.loads(body))  # type: ignore[attr-defined]
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture()
def receivers() -> Iterator[dict[str, Any]]:
    smtp = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Smtp)
    smtp.messages = []  # type: ignore[attr-defined]
    hook = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Hook)
    hook.posts = []  # type: ignore[attr-defined]
    for srv in (smtp, hook):
        threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield {"smtp": smtp, "hook": hook}
    for srv in (smtp, hook):
        srv.shutdown()
        srv.server_close()


@pytest.fixture(scope="module")
def halves(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> tuple[Path, Path]:
    old, new, _ = split_drones(shared_data, tmp_path_factory.mktemp("watch-push-data"))
    return old, new


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_alerts_are_pushed_by_webhook_and_email(
    tmp_path: Path, halves: tuple[Path, Path], receivers: dict[str, Any]
) -> None:
    smtp_port, hook_port = receivers["smtp"].server_address[1], receivers["hook"].server_address[1]
    svc = Service(
        load_settings(
            home=tmp_path,
            progress=False,
            webhook_url=f"http://127.0.0.1:{hook_port}/hook",
            smtp_host="127.0.0.1",
            smtp_port=smtp_port,
            smtp_starttls=False,
            smtp_from="ipai@example.org",
            smtp_to="ip-team@example.com, boss@example.com",
        )
    )
    try:
        svc.corpus.ingest([halves[0]])
        w = svc.monitor.add_watch({"kind": "competitor", "terms": "Parrot", "severity": "high"})
        svc.monitor.add_watch({"kind": "cpc", "terms": "B64C39/02", "channels": ["webhook"]})
        svc.corpus.ingest([halves[1]])
        posts, mails = receivers["hook"].posts, receivers["smtp"].messages
        parrot = [p for p in posts if p["watchlist"]["id"] == w["id"]]
        assert len(posts) == 2 and len(parrot) == 1 and len(parrot[0]["alerts"]) == 14
        assert all(a["severity"] == "high" and a["reason"] for a in parrot[0]["alerts"])
        assert len(mails) == 1  # one e-mail per run, only for the watchlists that chose e-mail
        rcpt, msg = mails[0]
        assert (
            rcpt == ["ip-team@example.com", "boss@example.com"]
            and msg["Subject"] == "ipai: 14 new alert(s), 14 high"
        )
        body = msg.get_payload(decode=True).decode()
        assert "competitor: Parrot" in body and "PARROT" in body and "B64C39" not in body
        alerts = svc.monitor.alerts(watchlist_id=w["id"])["items"]
        assert all(a["delivery"]["webhook"]["ok"] and a["delivery"]["email"]["ok"] for a in alerts)
    finally:
        svc.close()


def test_failed_push_is_recorded_and_never_raises(tmp_path: Path, halves: tuple[Path, Path]) -> None:
    port = _free_port()  # nothing listens there
    svc = Service(
        load_settings(
            home=tmp_path,
            progress=False,
            webhook_url=f"http://127.0.0.1:{port}/hook",
            smtp_host="127.0.0.1",
            smtp_port=port,
            smtp_starttls=False,
            smtp_to="a@example.com",
        )
    )
    try:
        svc.corpus.ingest([halves[0]])
        w = svc.monitor.add_watch({"kind": "competitor", "terms": ["Thales"]})
        summary = svc.corpus.ingest([halves[1]])
        assert summary.loaded > 0
        alerts = svc.monitor.alerts(watchlist_id=w["id"])["items"]
        assert alerts and all(
            a["delivery"]["webhook"]["ok"] is False and a["delivery"]["email"]["ok"] is False for a in alerts
        )
        assert "ConnectError" in alerts[0]["delivery"]["webhook"]["error"]
        assert "ConnectionRefused" in alerts[0]["delivery"]["email"]["error"]
    finally:
        svc.close()


def test_api_and_web_round_trip(tmp_path: Path, halves: tuple[Path, Path]) -> None:
    svc = Service(load_settings(home=tmp_path, progress=False))
    try:
        svc.corpus.ingest([halves[0]])
        c = with_csrf(TestClient(create_app(service=svc)))
        r = c.post(
            "/api/v1/watchlists", json={"kind": "competitor", "terms": ["Parrot"], "name": "Parrot watch"}
        )
        assert r.status_code == 201 and r.json()["watchlist"]["terms"] == ["Parrot"]
        wid = r.json()["watchlist"]["id"]
        bad = c.post("/api/v1/watchlists", json={"kind": "rival", "terms": "x"})
        assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "kind"
        bad = c.post("/api/v1/watchlists", json={"kind": "cpc", "terms": "B64C", "colour": "red"})
        assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "colour"
        bad = c.post("/api/v1/watchlists", json={"kind": "query", "terms": "ti:(drone AND"})
        assert bad.status_code == 400 and bad.json()["errors"][0]["position"] is not None
        assert c.get("/api/v1/watchlists/9999").status_code == 404
        form = c.post("/watch", data={"kind": "cpc", "terms": "B64C39/02\nA63H27"}, follow_redirects=False)
        assert form.status_code == 303
        bad_form = c.post("/watch", data={"kind": "cpc", "terms": "drones"})
        assert bad_form.status_code == 400 and "not a class symbol" in bad_form.text
        svc.corpus.ingest([halves[1]])
        al = c.get("/api/v1/alerts", params={"watchlist_id": wid}).json()
        assert al["total"] == 14 and al["unacknowledged"] > 14  # the form's class watchlist fired too
        page = c.get("/watch")
        assert (
            page.status_code == 200 and "Parrot watch" in page.text and al["items"][0]["target"] in page.text
        )
        assert c.get("/watch", headers={"Accept-Language": "zh-CN"}).text.count("监控清单") >= 1
        ack = c.post("/api/v1/alerts/ack", json={"ids": [al["items"][0]["id"]]})
        assert ack.json()["acknowledged"] == 1
        assert c.post("/api/v1/alerts/ack", json={"ids": [10**6]}).status_code == 404
        c.post("/alerts/ack", data={"id": str(al["items"][1]["id"])}, follow_redirects=False)
        left = c.get("/api/v1/alerts", params={"watchlist_id": wid, "unacknowledged": True}).json()["total"]
        assert left == 12
        run = c.post("/api/v1/watchlists/run", json={}).json()
        assert run["alerts"] == 0
        assert c.delete(f"/api/v1/watchlists/{wid}").json()["removed"] == wid
        assert c.get("/api/v1/alerts", params={"watchlist_id": wid}).json()["total"] == 14  # alerts are kept
    finally:
        svc.close()
