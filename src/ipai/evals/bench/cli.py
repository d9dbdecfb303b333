"""``ipai bench cli``: how long the command line takes in a fresh process, on the configured home.

Each command (``--help``, ``show NUMBER``, ``stats``, ``search QUERY``) runs ``runs`` times as a
new ``python -m ipai`` process, after one unmeasured run that fills the cache folder
(:mod:`ipai.text.cachefiles`) and the system's file cache: every measured run pays the whole start
(interpreter, imports, settings, store, index), as a user typing the command does. Reported per
command: median, min and max wall seconds, the median CPU seconds of the process (user + system:
steadier than wall time on a busy machine), its peak memory, the target and whether the median
meets it; and the load average, since wall times on a shared machine depend on it.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any

TARGETS = {"help": 0.3, "show": 0.5, "stats": 0.5, "search": 1.5}  # seconds, median wall (issue 24)


def defaults(settings: Any) -> tuple[str, str]:
    """A stored document's number (the newest) and a query of two words of its title."""
    from ipai.service import Service

    svc = Service(settings)
    try:
        items = svc.documents(limit=1)["items"]
        if not items:
            from ipai.errors import InputError

            raise InputError("the store is empty: ingest documents first (ipai ingest, ipai demo)")
        doc = svc.resolve(items[0]["id"])
    finally:
        svc.close()
    title = doc.titles.get("en") or next(iter(doc.titles.values()), "") or "battery"
    words = [w for w in title.replace(",", " ").split() if len(w) >= 4][:2] or title.split()[:2]
    return doc.id, " ".join(words).lower()


def _run(argv: list[str]) -> tuple[float, float, float, int, str]:
    """(wall s, CPU s, peak RSS MB, exit code, end of stderr) of one fresh process."""
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        tail = err.read().decode("utf-8", "replace")[-300:]
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode, tail


def bench_cli(
    settings: Any, *, number: str | None = None, query: str | None = None, runs: int = 5
) -> dict[str, Any]:
    """Cold start times of ``--help``, ``show``, ``stats`` and ``search`` (see the module docstring)."""
    if number is None or query is None:
        n, q = defaults(settings)
        number, query = number or n, query or q
    base = [sys.executable, "-m", "ipai", "--home", str(settings.home), "--no-progress"]
    if settings.store:
        base += ["--store", settings.store]
    if settings.config:
        base += ["--config", str(settings.config)]
    commands = {
        "help": [sys.executable, "-m", "ipai", "--help"],
        "show": [*base, "show", number],
        "stats": [*base, "stats"],
        "search": [*base, "search", query],
    }
    load_before = os.getloadavg()
    out: dict[str, Any] = {}
    for name, argv in commands.items():
        first = _run(argv)
        if first[3] != 0:
            out[name] = {"argv": argv[2:], "error": first[4].strip(), "exit_code": first[3]}
            continue
        samples = [_run(argv) for _ in range(runs)]
        walls = [s[0] for s in samples]
        med = statistics.median(walls)
        out[name] = {
            "argv": argv[2:],
            "first_s": round(first[0], 3),
            "median_s": round(med, 3),
            "min_s": round(min(walls), 3),
            "max_s": round(max(walls), 3),
            "cpu_median_s": round(statistics.median(s[1] for s in samples), 3),
            "peak_rss_mb": round(max(s[2] for s in samples), 1),
            "target_s": TARGETS[name],
            "met": med <= TARGETS[name],
            "errors": sum(1 for s in samples if s[3] != 0),
        }
    return {
        "home": str(settings.home),
        "runs": runs,
        "number": number,
        "query": query,
        "load_average": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "commands": out,
        "targets": TARGETS,
        "all_met": all(c.get("met", False) for c in out.values()),
    }
