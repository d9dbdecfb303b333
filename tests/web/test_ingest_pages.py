"""Uploading real files through the ingest page, following the task to its result, refused
uploads. Every test here uses its own service (``upload_client``), never the platform corpus."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from tests.web.helpers import all_of, one, parse, task_id_from, text, wait_task

DESIGN = "us-design-patents/USD0930094-20210907/USD0930094-20210907.XML"


def csv_rows(src: Path, dst: Path, first: int, last: int) -> Path:
    """The header and data rows ``first``..``last`` (1-based) of a real CSV file."""
    with src.open(encoding="utf-8", newline="") as f, dst.open("w", encoding="utf-8", newline="") as out:
        w = csv.writer(out)
        for i, row in enumerate(csv.reader(f)):
            if i == 0 or first <= i <= last:
                w.writerow(row)
            if i > last:
                break
    return dst


def upload(client: Any, paths: list[Path], **form: str) -> Any:
    files = [("files", (p.name, p.read_bytes(), "application/octet-stream")) for p in paths]
    return client.post(
        "/ingest", files=files, data=form, headers={"accept": "text/html"}, follow_redirects=False
    )


def test_ingest_form_lists_formats(upload_client: Any, upload_service: Any) -> None:
    doc = parse(upload_client.get("/ingest?lang=zh").text)
    names = [o.get("value") for o in one(doc, "format").xpath(".//option")]
    assert names == [""] + [f["name"] for f in upload_service.corpus.formats()]
    assert "cnipa-csv" in names and "epo-xml" in names
    assert one(doc, "files").get("multiple") is not None
    assert "2 MB" in text(one(doc, "ingest-form"))
    assert "上传并导入" in text(one(doc, "upload"))


def test_upload_real_files_then_follow_the_task(
    upload_client: Any, upload_service: Any, shared_data: Path, tmp_path: Path
) -> None:
    cn = csv_rows(shared_data / "cn-patent-titles-ipc/titles_ipc.csv", tmp_path / "cn_titles.csv", 1, 12)
    us = csv_rows(
        shared_data / "us-abstracts-patentsview/baseball_patent_query.csv", tmp_path / "baseball.csv", 1, 25
    )
    design = tmp_path / "USD0930094-20210907.XML"
    design.write_bytes((shared_data / DESIGN).read_bytes())
    r = upload(upload_client, [cn, us, design])
    assert r.status_code == 303, r.text
    task_id = task_id_from(r.headers["location"])
    page = parse(upload_client.get(f"/tasks/{task_id}?lang=zh").text)
    assert "cn_titles.csv" in text(one(page, "task-label"))
    assert one(page, "task-progress").get("data-state") in ("queued", "running", "done")
    assert page.xpath('//script[contains(@src, "htmx-2.0.11.min.js")]')
    done = wait_task(upload_client, task_id)
    assert one(done, "task-progress").get("data-state") == "done"
    assert one(done, "task-progress").get("hx-trigger") is None  # polling stops
    loaded = int(text(one(done, "result-loaded")))
    assert loaded == 12 + 25 + 1 == upload_service.store.count_documents()
    assert int(text(one(done, "result-rejected"))) == 0 and not all_of(done, "rejects-link")
    # the new documents are searchable and shown, with links between stored citations
    hits = parse(upload_client.get("/search?q=%E9%A9%B1%E9%B8%9F").text)  # 驱鸟, first CN row's title
    assert "CN114081026A" in [h.get("data-id") for h in all_of(hits, "hit")]
    doc = parse(upload_client.get("/doc/USD930094S").text)
    stored = {text(c.xpath("./td")[0]): c.get("data-stored") for c in all_of(doc, "citation")}
    assert stored["US 5839983 A"] == "true" and stored["US 2031161 A"] == "false"
    assert one(doc, "citation-link").get("href") == "/doc/US5839983A"
    assert "uploads" in text(one(doc, "provenance"))
    tasks = parse(upload_client.get("/tasks?lang=en").text)
    row = one(tasks, "task-row")
    assert row.get("data-id") == task_id and row.get("data-state") == "done"
    assert f"{loaded} new" in text(row)


def test_upload_again_is_unchanged(upload_client: Any, shared_data: Path, tmp_path: Path) -> None:
    cn = csv_rows(shared_data / "cn-patent-titles-ipc/titles_ipc.csv", tmp_path / "cn.csv", 20, 24)
    first = wait_task(upload_client, task_id_from(upload(upload_client, [cn]).headers["location"]))
    assert text(one(first, "result-loaded")) == "5"
    again = wait_task(upload_client, task_id_from(upload(upload_client, [cn]).headers["location"]))
    assert text(one(again, "result-loaded")) == "0" and text(one(again, "result-files_already_done")) == "1"
    assert "already in the database" in text(one(again, "task-done-msg"))
    forced = wait_task(
        upload_client, task_id_from(upload(upload_client, [cn], force="1").headers["location"])
    )
    assert text(one(forced, "result-loaded")) == "0" and text(one(forced, "result-unchanged")) == "5"
    assert text(one(forced, "result-files_already_done")) == "0"


def test_malformed_files_are_rejected_with_reasons(
    upload_client: Any, shared_data: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.xml"
    broken.write_bytes((shared_data / DESIGN).read_bytes()[:3000])  # cut in the middle of a tag
    notes = tmp_path / "notes.txt"
    notes.write_text("minutes of the meeting, not patent data\n", encoding="utf-8")
    r = upload(upload_client, [broken, notes])
    task_id = task_id_from(r.headers["location"])
    done = wait_task(upload_client, task_id)
    assert one(done, "task-progress").get("data-state") == "done"
    assert text(one(done, "result-rejected")) == "2" and text(one(done, "result-loaded")) == "0"
    link = one(done, "rejects-link").get("href")
    assert link == f"/tasks/{task_id}/rejects"
    rows = all_of(parse(upload_client.get(link + "?lang=zh").text), "reject-row")
    reasons = sorted(text(r.xpath("./td")[2]) for r in rows)
    assert len(rows) == 2
    assert (
        "XML 语法错误" in reasons[0] and "未知格式" in reasons[1]
    )  # the reader's half of the reason, one line
    assert not any("/" in r.xpath("./td")[0].text_content() for r in rows)  # file names, never server paths


@pytest.mark.parametrize("lang, heading", [("en", "File too large"), ("zh", "文件过大")])
def test_upload_over_the_limit_is_refused(
    upload_client: Any, upload_service: Any, tmp_path: Path, lang: str, heading: str
) -> None:
    big = tmp_path / "big.csv"
    big.write_bytes(b"publication_numbers,patent_title\n" + b"CN1A,x\n" * 360_000)  # ~2.5 MB
    r = upload_client.post(
        f"/ingest?lang={lang}",
        files=[("files", (big.name, big.read_bytes(), "text/csv"))],
        headers={"accept": "text/html"},
    )
    assert r.status_code == 413
    doc = parse(r.text)
    err = one(doc, "ingest-error")
    assert err.get("data-status") == "413" and heading in text(err)
    assert "2 MB" in text(one(doc, "error-message"))
    assert one(doc, "ingest-form") is not None  # the form is shown again
    assert not (upload_service.settings.home / "uploads").exists() or not any(
        (upload_service.settings.home / "uploads").rglob("big.csv")
    )
    assert upload_service.corpus.list_tasks() == []


def test_request_body_over_the_limit_gets_the_ingest_page(upload_client: Any, tmp_path: Path) -> None:
    huge = b"x" * (4 * 1024 * 1024)  # past upload_max_mb + form overhead: refused before reading
    r = upload_client.post(
        "/ingest?lang=zh", files=[("files", ("huge.csv", huge, "text/csv"))], headers={"accept": "text/html"}
    )
    assert r.status_code == 413
    doc = parse(r.text)
    assert "文件过大" in text(one(doc, "ingest-error"))
    assert one(doc, "ingest-form") is not None


def test_no_file_and_unknown_format(upload_client: Any, shared_data: Path, tmp_path: Path) -> None:
    r = upload_client.post(
        "/ingest", data={"format": ""}, files=[("files", ("", b"", "application/octet-stream"))]
    )
    assert r.status_code == 400 and "Choose at least one file" in text(one(parse(r.text), "error-message"))
    cn = csv_rows(shared_data / "cn-patent-titles-ipc/titles_ipc.csv", tmp_path / "cn.csv", 1, 2)
    r = upload(upload_client, [cn], format="no-such-format")
    assert r.status_code == 400 and "unknown format" in text(one(parse(r.text), "error-message"))


def test_unknown_task_is_a_404_page(client: Any) -> None:
    r = client.get("/tasks/0123456789abcdef?lang=zh")
    assert r.status_code == 404 and "未找到" in r.text
    assert client.get("/tasks/0123456789abcdef/progress").status_code == 404


@pytest.mark.parametrize(
    "lang, ingest_heading, no_tasks", [("en", "Load data", "No tasks yet."), ("zh", "导入数据", "暂无任务。")]
)
def test_ingest_and_tasks_pages_in_each_language(
    upload_client: Any, lang: str, ingest_heading: str, no_tasks: str
) -> None:
    doc = parse(upload_client.get(f"/ingest?lang={lang}").text)
    assert text(doc.xpath("//h1")[0]) == ingest_heading
    assert one(doc, "nav-ingest").get("aria-current") == "page"
    tasks = parse(upload_client.get("/tasks").text)  # the language choice is remembered
    assert text(one(tasks, "tasks-empty")).startswith(no_tasks)
