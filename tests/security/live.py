"""A real ``ipai serve`` process on loopback for the hostile-input tests, a raw HTTP client that
streams chunked bodies and stops as soon as the server answers, and the server's memory as the
kernel counts it (``/proc/<pid>/status``: VmHWM is the peak resident set, reset through
``/proc/<pid>/clear_refs``)."""

from __future__ import annotations

import json
import os
import select
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx


def free_port() -> int:
    """A port nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(
    home: Path, port: int, env: dict[str, str] | None = None, *, workers: int = 1
) -> subprocess.Popen[bytes]:
    """``ipai serve --workers N`` on ``home`` at 127.0.0.1:``port`` (stderr to ``home/serve.log``)."""
    full = {**os.environ, "IPAI_HOME": str(home), "IPAI_PROGRESS": "false", **(env or {})}
    full.pop("IPAI_STORE", None)
    log = open(home / "serve.log", "ab")  # noqa: SIM115 - the child owns it
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ipai",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
        ],
        env=full,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )


def wait_up(base: str, proc: subprocess.Popen[bytes], timeout: float = 120) -> None:
    """Return once ``/api/v1/health`` answers; fail if the process exits first."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise AssertionError(f"ipai serve exited with {proc.returncode}")
        try:
            if httpx.get(base + "/api/v1/health", timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError("ipai serve did not come up")


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop a server (terminate, then kill)."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@contextmanager
def served(home: Path, env: dict[str, str] | None = None) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """(base URL, process) of ``ipai serve`` on a free port for the block."""
    port = free_port()
    proc = start(home, port, env)
    try:
        wait_up(f"http://127.0.0.1:{port}", proc)
        yield f"http://127.0.0.1:{port}", proc
    finally:
        stop(proc)


def memory_kb(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak) of a process, in kB."""
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0])
    return out


def reset_peak(pid: int) -> None:
    """Make the process's peak resident set its current one (Linux ``clear_refs`` 5)."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def chunked_post(
    base: str, path: str, headers: dict[str, str], first: bytes, total: int, chunk: int = 64 * 1024
) -> dict[str, Any]:
    """POST a chunked body of ``first`` then filler bytes up to ``total``, checking before every chunk
    whether the server has answered (then stop sending, as a client should). The status, headers, JSON
    body (if any) and how many bytes were sent."""
    host, port = base.split("//", 1)[1].split(":")
    s = socket.create_connection((host, int(port)), timeout=60)
    head = f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nTransfer-Encoding: chunked\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    filler = b"a" * chunk
    sent, answered = 0, False
    try:
        s.sendall(head.encode("latin-1") + b"%x\r\n" % len(first) + first + b"\r\n")
        sent = len(first)
        while sent < total:
            if select.select([s], [], [], 0)[0]:
                answered = True
                break
            s.sendall(b"%x\r\n" % chunk + filler + b"\r\n")
            sent += chunk
        if not answered:
            s.sendall(b"0\r\n\r\n")
    except OSError:  # the server closed the connection after answering
        pass
    data = b""
    try:
        while b"\r\n\r\n" not in data:
            got = s.recv(65536)
            if not got:
                break
            data += got
        head_bytes, _, body = data.partition(b"\r\n\r\n")
        lines = head_bytes.decode("latin-1").split("\r\n")
        hdrs = {k.strip().lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:])}
        want = int(hdrs.get("content-length", "0"))
        while len(body) < want:
            got = s.recv(65536)
            if not got:
                break
            body += got
    except OSError:
        lines, hdrs, body = [data.decode("latin-1", "replace")], {}, b""
    finally:
        s.close()
    status = int(lines[0].split()[1]) if lines and lines[0].startswith("HTTP/1.1 ") else None
    try:
        parsed = json.loads(body) if body else None
    except ValueError:
        parsed = None
    return {"status": status, "headers": hdrs, "json": parsed, "sent": sent}
