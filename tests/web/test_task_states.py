"""Failed tasks look failed: an upload whose every file is refused (a PNG on the ingest page) is shown
as failed, in red, with the reason in the reader's language, no bytes and no server paths; a task that
raised an error keeps its code, so its page says why in Chinese too."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from ipai.errors import NotFound
from ipai.web.taskview import error_text
from tests.web.helpers import all_of, one, parse, task_id_from, text, wait_task
from tests.web.test_ingest_pages import upload


@pytest.mark.parametrize(
    "lang, state, says, why",
    [
        ("zh", "失败", "没有导入任何内容：1 个文件或记录被拒收。", "二进制数据"),
        ("en", "Failed", "Nothing was loaded: 1 file(s) or record(s) were refused.", "binary data"),
    ],
)
def test_a_refused_png_is_a_failed_task(
    upload_client: Any, shared_data: Path, tmp_path: Path, lang: str, state: str, says: str, why: str
) -> None:
    png = tmp_path / "logo.png"
    shutil.copy(sorted((shared_data / "car-logos-thumb").rglob("*.png"))[0], png)
    task_id = task_id_from(upload(upload_client, [png]).headers["location"])
    wait_task(upload_client, task_id)
    r = upload_client.get(f"/tasks/{task_id}?lang={lang}")
    doc = parse(r.text)
    progress = one(doc, "task-progress")
    assert progress.get("data-state") == "done" and progress.get("data-shown") == "failed"
    badge = one(doc, "task-state")
    assert text(badge) == state and "state-failed" in badge.get("class")
    assert text(one(doc, "task-error")).startswith(
        ("任务失败" if lang == "zh" else "The task failed") + " " + says
    )
    reason = text(one(doc, "task-reasons"))
    assert reason.startswith("logo.png") and why in reason
    assert (
        "PNG" not in reason and "\\x" not in reason and "IHDR" not in r.text and str(tmp_path) not in r.text
    )
    row = one(parse(upload_client.get(f"/tasks?lang={lang}").text), "task-row")
    assert row.get("data-state") == "done" and text(one(row, "task-row-state")) == state


def test_a_normal_upload_still_looks_done(upload_client: Any, shared_data: Path) -> None:
    task_id = task_id_from(
        upload(
            upload_client, [shared_data / "us-design-patents/USD0908314-20210126/USD0908314-20210126.XML"]
        ).headers["location"]
    )
    doc = wait_task(upload_client, task_id)
    assert one(doc, "task-progress").get("data-shown") == "done" and not all_of(doc, "task-error")


def test_a_failed_task_keeps_its_error_code(upload_service: Any, upload_client: Any) -> None:
    def work(report: Any) -> dict[str, Any]:
        raise NotFound("no task 'x'", code="not_found", params={"what": "task", "id": "x"})

    task = upload_service.tasks.submit("index", {"label": "test"}, work)
    done = upload_service.tasks.wait(task["id"])
    assert done["state"] == "failed" and done["error"]["code"] == "not_found"
    assert done["error"]["params"]["what"] == "task"
    zh = parse(upload_client.get(f"/tasks/{task['id']}?lang=zh").text)
    en = parse(upload_client.get(f"/tasks/{task['id']}?lang=en").text)
    assert "state-failed" in one(zh, "task-state").get("class")
    assert text(one(en, "task-error-message")) == "no task 'x'"
    zh_text = text(one(zh, "task-error-message"))
    assert "任务" in zh_text and "no task" not in zh_text


def test_error_texts_of_internal_and_interrupted_tasks() -> None:
    assert (
        error_text(
            {"error": "internal error abc", "code": "task_internal", "params": {"ref": "abc123"}}, "zh"
        )
        == "任务因内部错误中止（编号 abc123）；详情见服务器日志。"
    )
    assert error_text({"error": "the process …", "code": "task_interrupted"}, "en").startswith(
        "The server stopped"
    )
    assert (
        error_text({"error": "first line\nsecond"}, "zh") == "first line"
    )  # no code: the message as written
