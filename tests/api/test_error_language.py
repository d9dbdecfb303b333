"""API errors in the caller's language: the one error shape, with ``error`` in Chinese under
``Accept-Language: zh`` (or ``?lang=zh``), written from the error's code and values; English
unchanged; every code the source raises has its Chinese text."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ipai.errors import InputError, MissingExtra, NotFound, QueryError
from ipai.service import Service

ZH = {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"}
SRC = Path(__file__).resolve().parents[2] / "src/ipai"


@pytest.fixture(scope="module")
def client(platform_service: Service) -> TestClient:
    from ipai.api import create_app

    return TestClient(create_app(service=platform_service, web=False))


def shape(r: Any, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text
    body = r.json()
    assert (
        set(body) == {"ok", "error", "errors", "status"} and body["ok"] is False and body["status"] == status
    )
    return body


def has_han(text: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", text))


@pytest.mark.parametrize(
    "method, path, kw, status, english, chinese",
    [
        (
            "get",
            "/api/v1/documents/EP9999999B1",
            {},
            404,
            "no document 'EP9999999B1' in the store",
            "库中没有文献 EP9999999B1",
        ),
        ("get", "/api/v1/landscape", {"params": {"q": " "}}, 400, "empty query", "检索式为空"),
        (
            "get",
            "/api/v1/search",
            {"params": {"q": "(battery"}},
            400,
            "missing ')' for '(' at position 0",
            "位置 0 处的 '(' 缺少对应的 ')'",
        ),
        (
            "get",
            "/api/v1/search",
            {"params": {"q": "ti:battery AND"}},
            400,
            "'AND' needs a search term after it",
            "'AND' 后面缺少检索词",
        ),
        ("get", "/api/v1/search", {"params": {"q": "pd:2015-13"}}, 400, "is not a date", "不是有效的日期"),
        (
            "get",
            "/api/v1/search",
            {"params": {"q": "battery", "top": "many"}},
            400,
            "bad request: top",
            "请求参数有误：top",
        ),
        (
            "get",
            "/api/v1/nowhere",
            {},
            404,
            "no such page or endpoint: /api/v1/nowhere",
            "没有此页面或接口：/api/v1/nowhere",
        ),
        (
            "post",
            "/api/v1/ingest",
            {"data": {"format": "nope"}, "files": {"files": ("a.csv", b"x")}},
            400,
            "unknown format 'nope'",
            "无法识别的格式 nope",
        ),
    ],
)
def test_errors_in_the_callers_language(
    client: TestClient, method: str, path: str, kw: dict[str, Any], status: int, english: str, chinese: str
) -> None:
    en = shape(getattr(client, method)(path, **kw), status)
    assert english in en["error"] and not has_han(en["error"])  # English as before
    zh = shape(getattr(client, method)(path, headers=ZH, **kw), status)
    assert chinese in zh["error"], zh["error"]
    assert zh["errors"] == en["errors"]  # the machine-readable part is the same
    by_param = shape(
        getattr(client, method)(path, **{**kw, "params": {**kw.get("params", {}), "lang": "zh"}}), status
    )
    assert by_param["error"] == zh["error"]


def test_query_error_keeps_its_position_and_caret(client: TestClient) -> None:
    body = shape(client.get("/api/v1/search", params={"q": 'ti:"drone battery'}, headers=ZH), 400)
    assert body["errors"] == [{"query": 'ti:"drone battery', "position": 3}]
    first, caret = body["error"].split("\n")[0], body["error"].split("\n")[-1]
    assert first == '位置 3 处的引号 " 没有对应的 "' and caret.strip() == "^"


def test_too_large_body_in_chinese(client: TestClient, platform_service: Service) -> None:
    big = b"x" * int(platform_service.settings.body_max_mb * 2**20 + 10)
    r = client.post("/api/v1/assess", content=big, headers={**ZH, "content-type": "application/json"})
    body = shape(r, 413)
    assert body["error"].startswith("请求体超过") and "body_max_mb" in body["error"]


def test_classes_and_extras_have_chinese_texts() -> None:
    """Errors raised without a code of their own still read in Chinese: the class's text or the
    field kind their ``errors`` name; a missing extra names the package and the extra."""
    extra = MissingExtra("images", "faiss", "Image search")
    assert extra.text("zh") == "此功能需要可选组件 faiss：请用 pip install 'ipai[images]' 安装"
    assert extra.text("en") == extra.message
    field = InputError("top must be between 1 and 1000", errors=[{"field": "top", "message": "out of range"}])
    assert field.text("zh") == "top 的取值超出允许范围" and field.text("en") == field.message
    plain = NotFound("no such thing")  # no code, no field: the English message rather than a wrong text
    assert plain.text("zh") == "no such thing"
    assert (
        QueryError("odd\n  x\n  ^", query="x", position=0).text("zh")
        == "检索式在位置 0 处有语法错误\n  x\n  ^"
    )


def test_every_code_raised_has_a_chinese_text() -> None:
    """Each ``code="…"`` the source passes to an error has its text in ipai.error_text."""
    from ipai.error_text import ZH

    raised = set()
    for path in SRC.rglob("*.py"):
        src = path.read_text(encoding="utf-8")  # the codes of error calls (not of legal events)
        raised |= set(
            re.findall(
                r"(?:Error|NotFound|Forbidden|TooLarge|Conflict|Unauthorized)\([^()]*?(?:\([^()]*\)[^()]*?)*"
                r'\bcode="([a-z_0-9]+)"',
                src,
                re.S,
            )
        )
    raised |= {
        c
        for path in (SRC / "search/query").glob("*.py")
        for c in re.findall(r'"(q_[a-z_]+)"', path.read_text(encoding="utf-8"))
    }
    assert raised - set(ZH) == set() and len(raised) > 40


def test_forbidden_in_chinese(tmp_path: Path) -> None:
    """Server mode: an anonymous caller refused a role's action, in the caller's language."""
    from ipai.api import create_app
    from ipai.settings import load_settings

    svc = Service(load_settings(home=tmp_path / "h", progress=False, auth=True))
    try:
        c = TestClient(create_app(service=svc, web=False))
        en = shape(c.post("/api/v1/index"), 403)
        zh = shape(c.post("/api/v1/index", headers=ZH), 403)
        assert en["error"].startswith("role 'public' may not") and en["errors"] == zh["errors"]
        assert zh["error"] == "当前角色“访客（未登录）”无权执行此操作：请登录或提供 API 密钥"
    finally:
        svc.close()
