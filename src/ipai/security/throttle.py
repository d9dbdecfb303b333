"""Back-off after failed authentication, and the audit of failures in aggregate.

:class:`Backoff` counts failures per key (a client address, a user name): the first ``free`` cost
nothing; after that each attempt must wait 1 s, 2 s, 4 s, … (doubling per further failure, up to
``max_wait_s``) after the last failure, and attempts during the wait are refused without being
checked. Failures are forgotten ``forget_s`` after the last one. :class:`FailureAudit` turns a
flood of refusals (bad keys, failed sign-ins, 429s) into one audit record per address per window:
the first refusal is written at once, and when the window ends one more record gives the count.
Both live in this process's memory (per API process), bounded in size.
"""

from __future__ import annotations

import datetime as dt
import math
import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

CAP = 100_000  # keys remembered at most (oldest dropped first)


class Backoff:
    """Failures per key with an exponential back-off after ``free`` of them."""

    def __init__(
        self,
        free: int,
        max_wait_s: float,
        forget_s: float,
        clock: Callable[[], float] = time.monotonic,
        cap: int = CAP,
    ) -> None:
        self.free, self.max_wait_s, self.forget_s = free, max_wait_s, forget_s
        self.clock, self.cap = clock, cap
        self._seen: dict[str, tuple[int, float]] = {}  # key -> (failures, time of the last one)
        self._lock = threading.Lock()

    def _entry(self, key: str, now: float) -> tuple[int, float] | None:
        hit = self._seen.get(key)
        if hit is not None and now - hit[1] > self.forget_s:
            del self._seen[key]
            return None
        return hit

    def _delay(self, failures: int) -> float:
        if failures < self.free:
            return 0.0
        return float(min(self.max_wait_s, 2.0 ** min(failures - self.free, 40)))

    def wait(self, key: str) -> int:
        """Whole seconds ``key`` must still wait before its next attempt (0 = it may try now)."""
        now = self.clock()
        with self._lock:
            hit = self._entry(key, now)
        if hit is None:
            return 0
        left = hit[1] + self._delay(hit[0]) - now
        return math.ceil(left) if left > 0 else 0

    def fail(self, key: str) -> int:
        """Count one failure of ``key``; the wait (seconds) it now imposes."""
        now = self.clock()
        with self._lock:
            hit = self._entry(key, now)
            count = (hit[0] if hit else 0) + 1
            self._seen.pop(key, None)
            self._seen[key] = (count, now)  # newest last: the oldest are dropped first
            if len(self._seen) > self.cap:
                for old in list(self._seen)[: len(self._seen) // 2]:
                    del self._seen[old]
        return math.ceil(self._delay(count))

    def failures(self, key: str) -> int:
        """Failures of ``key`` still remembered."""
        with self._lock:
            hit = self._entry(key, self.clock())
        return hit[0] if hit else 0

    def clear(self, key: str) -> None:
        """Forget ``key``'s failures (after a success)."""
        with self._lock:
            self._seen.pop(key, None)


def _iso(t: float) -> str:
    return dt.datetime.fromtimestamp(t, dt.UTC).replace(tzinfo=None).isoformat(timespec="seconds")


class FailureAudit:
    """One audit record per address and window for refused authentication and rate limits."""

    def __init__(self, window_s: float, clock: Callable[[], float] = time.time, cap: int = CAP) -> None:
        self.window_s, self.clock, self.cap = window_s, clock, cap
        self._open: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        self._due = math.inf  # when the oldest open window ends

    def add(self, address: str, row: dict[str, Any]) -> list[dict[str, Any]]:
        """Note one refused request (its would-be audit row); the rows to write now: the first of
        this address's window, and the summaries of windows that have ended."""
        now = self.clock()
        out = self.flush(now)
        with self._lock:
            w = self._open.get(address)
            if w is None:
                if len(self._open) >= self.cap:  # a flood of addresses: close the oldest windows early
                    for old in list(self._open)[: len(self._open) // 2]:
                        out += self._summary(self._open.pop(old))
                self._open[address] = {
                    "first": now,
                    "last": now,
                    "row": row,
                    "count": 1,
                    "statuses": Counter([row.get("status")]),
                    "paths": [row.get("path")],
                }
                self._due = min(self._due, now + self.window_s)
                out.append(
                    {
                        **row,
                        "detail": {
                            **(row.get("detail") or {}),
                            "aggregate": "first",
                            "window_s": self.window_s,
                        },
                    }
                )
                return out
            w["count"] += 1
            w["last"] = now
            w["statuses"][row.get("status")] += 1
            if row.get("path") not in w["paths"] and len(w["paths"]) < 10:
                w["paths"].append(row.get("path"))
        return out

    def flush(self, now: float | None = None, *, everything: bool = False) -> list[dict[str, Any]]:
        """Summary rows of the windows that have ended (all of them with ``everything``)."""
        now = self.clock() if now is None else now
        if not everything and now < self._due:
            return []
        with self._lock:
            done = [a for a, w in self._open.items() if everything or now - w["first"] >= self.window_s]
            ended = [self._open.pop(a) for a in done]
            self._due = min((w["first"] + self.window_s for w in self._open.values()), default=math.inf)
        return [r for w in ended for r in self._summary(w)]

    def _summary(self, w: dict[str, Any]) -> list[dict[str, Any]]:
        if w["count"] <= 1:
            return []
        status = w["statuses"].most_common(1)[0][0]
        detail = {
            **(w["row"].get("detail") or {}),
            "aggregate": "summary",
            "count": w["count"],
            "statuses": {str(k): v for k, v in sorted(w["statuses"].items(), key=lambda kv: str(kv[0]))},
            "paths": w["paths"],
            "first_at": _iso(w["first"]),
            "last_at": _iso(w["last"]),
            "window_s": self.window_s,
        }
        return [{**w["row"], "status": status, "detail": detail}]
