"""Push: a notification is POSTed as JSON to the configured webhook (``webhook_url`` setting).
Delivery is attempted twice with a short timeout; the outcome is stored with the notification,
so a receiver that is down never blocks or loses a demand."""

from __future__ import annotations

import time
from typing import Any

import httpx


def post_webhook(
    url: str, payload: dict[str, Any], *, attempts: int = 2, timeout: float = 5.0
) -> dict[str, Any]:
    """POST ``payload``; ``{"ok", "status" | "error", "attempts", "at"}``."""
    last: dict[str, Any] = {}
    for n in range(1, attempts + 1):
        try:
            r = httpx.post(url, json=payload, timeout=timeout, headers={"User-Agent": "ipai-webhook"})
            last = {"ok": r.is_success, "status": r.status_code, "attempts": n}
            if r.is_success:
                break
        except httpx.HTTPError as e:
            last = {"ok": False, "error": f"{type(e).__name__}: {e}", "attempts": n}
        if n < attempts:
            time.sleep(0.5)
    last["at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    return last
