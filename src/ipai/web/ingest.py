"""Loading files from the browser: the upload form, background tasks with live progress, and
the records an ingest rejected."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup, escape
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from ipai.errors import InputError, IpaiError
from ipai.faces import params as P
from ipai.service.tasks import QueueFull
from ipai.text.paths import strip_dirs
from ipai.web.i18n import Translator, pick_lang
from ipai.web.render import page, render_error, url

router = APIRouter()
RECENT = 5
TASKS_PAGE = 25
MAX_REJECTS = 1000
ACTIVE = ("queued", "running")


def described(formats: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """The source formats with their description in the reader's language (``format.desc.<name>``
    in the catalogues, the reader's own English one for a format they lack): ``html`` has the
    element and column names written as code, ``description`` is plain text (for a ``title``)."""
    t = Translator(lang)
    out = []
    for f in formats:
        text = t.get("format.desc." + f["name"], f["description"])
        parts = str(escape(text)).split("`")  # `ep-patent-document` → <code>ep-patent-document</code>
        html = "".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts))
        out.append({**f, "description": text.replace("`", ""), "html": Markup(html)})
    return out


def ingest_form(
    request: Request,
    *,
    status: int = 200,
    error: str | None = None,
    error_key: str | None = None,
    values: dict[str, Any] | None = None,
) -> HTMLResponse:
    """The upload form (again, with the error message or message key, after a refused upload)."""
    svc = request.app.state.service
    return page(
        request,
        "ingest.html",
        status=status,
        active="ingest",
        error=error,
        error_key=error_key,
        error_status=status,
        formats=described(svc.corpus.formats(), pick_lang(request)[0]),
        max_mb=svc.settings.upload_max_mb,
        recent=svc.corpus.list_tasks(limit=RECENT),
        values=values or {},
    )


@router.get("/ingest", response_class=HTMLResponse)
def ingest_page(request: Request) -> HTMLResponse:
    """Upload form, supported formats and the latest tasks."""
    return ingest_form(request)


@router.post("/ingest", response_class=HTMLResponse)
async def ingest_post(request: Request) -> Response:
    """Save the uploaded files, start an ingest task and go to its page (303); a refused
    upload (too large, empty, unknown format) shows the form again with the reason."""
    svc = request.app.state.service
    form = await request.form()
    fmt = str(form.get("format") or "").strip() or None
    force = str(form.get("force") or "") in ("1", "on", "true")
    files = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
    values = {"format": fmt or "", "force": force}
    if not files:
        await form.close()
        return ingest_form(request, status=400, error_key="ingest.error.nofiles", values=values)
    try:
        if fmt and fmt not in {f["name"] for f in svc.corpus.formats()}:
            raise InputError(
                f"unknown format {fmt!r}",
                errors=[{"field": "format", "message": "unknown"}],
                code="unknown_format",
                params={"format": fmt},
            )
        svc.tasks.check()  # a full task queue refuses before any upload is kept
        paths = await run_in_threadpool(svc.corpus.save_uploads, [(str(f.filename), f.file) for f in files])
        label = ", ".join(str(f.filename) for f in files)
        task = await run_in_threadpool(
            lambda: svc.corpus.start_ingest(paths, fmt=fmt, force=force, label=label)
        )
    except QueueFull as exc:  # nothing was kept; the page says so in the reader's language
        if exc.status == 429:
            return ingest_form(request, status=429, error_key="ingest.error.queue_user", values=values)
        return ingest_form(request, status=503, error_key="ingest.error.queue_full", values=values)
    except IpaiError as exc:
        return ingest_form(request, status=exc.status, error=exc.text(pick_lang(request)[0]), values=values)
    finally:
        await form.close()
    return RedirectResponse(url(request, f"/tasks/{task['id']}"), status_code=303)


def _task_or_error(request: Request, task_id: str) -> dict[str, Any] | Response:
    try:
        return request.app.state.service.corpus.task(task_id)
    except IpaiError as exc:
        return render_error(request, exc.status, exc.text(pick_lang(request)[0]), exc.errors)


@router.get("/tasks", response_class=HTMLResponse)
def tasks_page(request: Request, offset: P.Offset = 0) -> HTMLResponse:
    """Background tasks, newest first."""
    offset = max(0, offset)
    items = request.app.state.service.corpus.list_tasks(limit=TASKS_PAGE + 1, offset=offset)
    return page(
        request,
        "tasks.html",
        active="tasks",
        tasks=items[:TASKS_PAGE],
        offset=offset,
        next_offset=offset + TASKS_PAGE if len(items) > TASKS_PAGE else None,
        prev_offset=max(0, offset - TASKS_PAGE) if offset else None,
    )


@router.get("/tasks/{task_id}", response_class=HTMLResponse)
def task_page(request: Request, task_id: str) -> Response:
    """One task; its progress block refreshes itself until the task ends."""
    task = _task_or_error(request, task_id)
    if isinstance(task, Response):
        return task
    return page(request, "task.html", active="tasks", task=task, active_states=ACTIVE)


@router.get("/tasks/{task_id}/progress", response_class=HTMLResponse)
def task_progress(request: Request, task_id: str) -> Response:
    """The progress block alone (polled by the task page)."""
    task = _task_or_error(request, task_id)
    if isinstance(task, Response):
        return task
    return page(request, "_task_progress.html", task=task, active_states=ACTIVE)


def read_rejects(svc: Any, task: dict[str, Any]) -> list[dict[str, Any]]:
    """The rejects file of an ingest task (by its name, in the service's rejects folder), with file
    names only, never server paths."""
    name = (task.get("result") or {}).get("rejects_file")
    if not name:
        return []
    folder = Path(svc.settings.rejects_path).resolve()
    path = (folder / Path(str(name)).name).resolve()
    if not path.is_relative_to(folder) or not path.is_file():
        return []
    rows = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                row = json.loads(line)
                rows.append({k: strip_dirs(v) if isinstance(v, str) else v for k, v in row.items()})
            if len(rows) >= MAX_REJECTS:
                break
    return rows


@router.get("/tasks/{task_id}/rejects", response_class=HTMLResponse)
def task_rejects(request: Request, task_id: str) -> Response:
    """What an ingest task could not load, and why."""
    task = _task_or_error(request, task_id)
    if isinstance(task, Response):
        return task
    from ipai.service.tasks import reject_reason

    lang = pick_lang(request)[0]
    rows = [
        {**r, "reason": reject_reason(r.get("reason"), lang)}
        for r in read_rejects(request.app.state.service, task)
    ]
    return page(request, "rejects.html", active="tasks", task=task, rows=rows, limit=MAX_REJECTS)
