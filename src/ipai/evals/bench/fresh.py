"""Timings in a fresh process: a child Python runs one call on the settings' home and store and
prints its JSON, so the figure includes everything a first call pays (imports, opening the store
and the index, reading what the call needs), as a CLI command or a newly started worker would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from typing import Any

from ipai.errors import BackendError
from ipai.settings import Settings

# the child: build the service, time the call (the expression ``CALL`` on ``svc``), print JSON
_CHILD = """
import json, sys, time
t0 = time.perf_counter()
from ipai.service import Service
svc = Service()
t1 = time.perf_counter()
result = {call}
t2 = time.perf_counter()
print(json.dumps({{"import_and_open_s": t1 - t0, "call_s": t2 - t1, "first_s": t2 - t0,
                   "result": {keep}}}, ensure_ascii=False, default=str))
"""


def run_fresh(settings: Settings, call: str, keep: str = "None", timeout: float = 600) -> dict[str, Any]:
    """Run ``call`` (a Python expression on ``svc``, a new :class:`ipai.service.Service`) in a fresh
    process; returns the child's seconds (import and open, the call, both) and ``keep`` (an
    expression on ``result``), plus the whole process's wall seconds."""
    env = {**os.environ, "IPAI_HOME": str(settings.home), "IPAI_PROGRESS": "false"}
    if settings.store:
        env["IPAI_STORE"] = settings.store
    code = _CHILD.format(call=call, keep=keep)
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise BackendError(f"the fresh process failed: {proc.stderr.strip()[-2000:]}")
    out: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    out["process_s"] = wall
    return out
