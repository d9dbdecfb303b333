"""How a background task looks on the task pages: a task that failed, and an ingest that ran to
its end but could load nothing because every file was refused, look failed (red), with the reason
in the reader's language and without server paths or file bytes."""

from __future__ import annotations

from typing import Any

from ipai.web.i18n import Translator

LOADED = ("loaded", "updated", "unchanged", "files_already_done")
MAX_REASONS = 5


def _reason(text: str | None, lang: str) -> str:
    """A stored reject reason in ``lang`` (one clean line, no bytes, no folders)."""
    from ipai.service.tasks import reject_reason

    return reject_reason(text, lang)


def error_text(error: dict[str, Any] | None, lang: str) -> str:
    """A failed task's reason in ``lang``: from its code and values when the catalogue can write
    it, else its message (English; paths already taken out by the service)."""
    from ipai.error_text import render

    error = error or {}
    code, params = error.get("code"), error.get("params") or {}
    t = Translator(lang)
    if code == "task_internal":
        return t("task.error.internal", ref=params.get("ref", ""))
    if code == "task_interrupted":
        return t("task.error.interrupted")
    if code and lang != "en":
        text = render(str(code), lang, params)
        if text:
            return text
    return str(error.get("error") or "").split("\n")[0]


def outcome(task: dict[str, Any], lang: str) -> dict[str, Any]:
    """``state`` to show (``failed`` for an ingest that loaded nothing and refused files),
    ``refused`` (that case), ``message`` (why it failed, in ``lang``) and the first ``reasons``
    of the refused files."""
    state, r = task.get("state"), task.get("result") or {}
    refused = task.get("kind") == "ingest" and r.get("rejected") and not any(r.get(k) for k in LOADED)
    if state == "done" and refused:
        rows = r.get("rejects") or []
        reasons = [
            {"file": str(x.get("file") or ""), "reason": _reason(x.get("reason"), lang)}
            for x in rows[:MAX_REASONS]
            if isinstance(x, dict)
        ]
        message = Translator(lang)("task.refused", n=r["rejected"])
        return {"state": "failed", "refused": True, "message": message, "reasons": reasons}
    if state in ("failed", "interrupted"):
        return {
            "state": state,
            "refused": False,
            "message": error_text(task.get("error"), lang),
            "reasons": [],
        }
    return {"state": state, "refused": False, "message": None, "reasons": []}
