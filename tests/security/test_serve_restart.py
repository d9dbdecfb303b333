"""Issue 19, defect 10: ``ipai serve`` could not bind for a while after a crash (its listening socket had
no SO_REUSEADDR, so the crashed server's connections, in TIME_WAIT on the port, kept it "in use").
Now it restarts at once on the same port, and serving twice in a row works; a port another server
listens on is still refused."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

import pytest

from ipai.errors import InputError
from tests.security.live import free_port, start, stop, wait_up


def _crash_with_a_connection_open(proc: subprocess.Popen[bytes], port: int) -> None:
    """Hold a keep-alive connection to the server, kill the server (no clean shutdown), then close
    the connection: the dead server's side of it waits in TIME_WAIT on the port."""
    conn = socket.create_connection(("127.0.0.1", port), timeout=30)
    conn.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    assert conn.recv(65536).startswith(b"HTTP/1.1 200")
    proc.kill()
    proc.wait(timeout=30)
    conn.close()


def test_serve_restarts_at_once_on_the_same_port(tmp_path: Path) -> None:
    home, port = tmp_path / "home", free_port()
    home.mkdir()
    base = f"http://127.0.0.1:{port}"
    first = start(home, port)
    try:
        wait_up(base, first)
        _crash_with_a_connection_open(first, port)
    finally:
        stop(first)
    again = start(home, port)  # right after the crash, the same port
    try:
        wait_up(base, again)
    finally:
        stop(again)
    third = start(home, port)  # and after a clean stop
    try:
        wait_up(base, third)
    finally:
        stop(third)


def test_a_port_in_use_is_still_refused() -> None:
    from ipai.cli.serve import listen

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        with pytest.raises(InputError, match="cannot listen"):
            listen("127.0.0.1", busy.getsockname()[1])
    sock = listen("127.0.0.1", 0)
    try:
        assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR) and sock.getsockname()[1] > 0
    finally:
        sock.close()
