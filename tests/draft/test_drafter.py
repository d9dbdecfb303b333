"""Drafting from disclosures (zh and en) on a small real corpus: the deterministic drafter, and the
expert/agent LLM roles against a local OpenAI-compatible endpoint (answers, failures, fallback)."""

from __future__ import annotations

import http.server
import json
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ipai.service import Service
from tests.conftest import corpus_service
from tests.webforms import with_csrf

ZH = """无人机自动充电平台
本发明涉及一种无人机自动充电平台，包括降落平台和设置在降落平台下方的无线充电线圈。
降落平台上设有锥形定位槽，无人机降落时其起落架滑入定位槽，从而使无人机的接收线圈与充电线圈自动对准。
平台侧面设有风速传感器，控制器在风速超过阈值时禁止降落。
充电完成后控制器通过无线通信模块通知地面站，从而提高巡检效率。"""
EN = (
    "A drone docking station that charges the drone without cables. The station comprises a landing pad with a "
    "conical guide that centres the landing gear, so that the receiving coil of the drone is aligned with a "
    "transmitting coil under the pad. A wind sensor on the station lets the controller forbid landing when the wind "
    "exceeds a threshold. After charging, the controller notifies a ground station over a wireless link, thereby "
    "improving inspection efficiency."
)


@pytest.fixture(scope="module")
def svc(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Iterator[Service]:
    yield from corpus_service(
        tmp_path_factory,
        "draft",
        (shared_data / "cn-patent-titles-ipc/titles_ipc.csv", 500),
        (shared_data / "us-abstracts-patentsview/neural_network_patent_query.csv", 200),
    )


def test_deterministic_draft_in_chinese(svc: Service) -> None:
    r = svc.draft.draft(ZH, use_llm=False)
    assert r["mode"] == "deterministic" and r["lang"] == "zh" and r["title"] == "一种无人机自动充电平台"
    assert list(r["sections"]) == ["技术领域", "背景技术", "发明内容", "附图说明", "具体实施方式"]
    c = r["claims"]
    # the subject before 其特征在于, the components in the preamble, only features after it
    pre, _, char = c[0].partition("其特征在于，")
    assert pre == "1. 一种无人机自动充电平台，包括：降落平台；设置在降落平台下方的无线充电线圈；" and char
    assert not char.startswith("一种") and "无人机自动充电平台" not in char and c[0].count("其特征在于") == 1
    assert len(c) >= 3 and all(
        x.startswith(f"{n}. 根据权利要求1所述的无人机自动充电平台，其特征在于，")
        for n, x in enumerate(c[1:], 2)
    )
    assert any("锥形定位槽" in x for x in c) and not any(
        "从而" in x for x in c
    )  # effects stay out of the claims
    assert "所述降落平台上设有锥形定位槽" in "".join(c)  # an element named before is 所述…
    assert "提高巡检效率" in r["sections"]["发明内容"]  # an effect sentence
    assert r["sections"]["技术领域"] == "本发明涉及无人机技术领域，具体涉及一种无人机自动充电平台。"


def test_deterministic_draft_in_english(svc: Service) -> None:
    r = svc.draft.draft(EN, use_llm=False)
    c = r["claims"]
    from ipai.evals.drafting import judge

    assert all(judge(r, {"lang": "en", "subject": "drone docking station", "text": EN}).values())
    assert (
        r["lang"] == "en"
        and c[0].startswith("1. A drone docking station comprising: a landing pad")
        and "; wherein " in c[0]
    )
    assert c[1].startswith("2. The drone docking station of claim 1, wherein")
    assert not any("thereby" in x or "so that" in x for x in c)
    assert "Advantages:" in r["sections"]["Summary"]


class _Llm(http.server.BaseHTTPRequestHandler):
    mode = "ok"
    calls: list[dict[str, Any]] = []

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        _Llm.calls.append(body)
        if _Llm.mode == "error":
            self.send_response(500)
            self.end_headers()
            self.wfile.write(b"model crashed")
            return
        system = body["messages"][0]["content"]
        text = (
            (
                "1. 一种无人机自动充电平台，包括降落平台和无线充电线圈，其特征在于，所述降落平台设有锥形定位槽。\n"
                "2. 根据权利要求1所述的无人机自动充电平台，其特征在于，还包括风速传感器。"
            )
            if "代理师" in system
            else "权利要求1缺少控制器；建议补充。"
        )
        out = json.dumps(
            {"model": "fake", "choices": [{"message": {"role": "assistant", "content": text}}]}
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *args: Any) -> None:
        pass


def test_expert_and_agent_roles_with_a_local_llm_and_fallback(svc: Service) -> None:
    srv = http.server.HTTPServer(("127.0.0.1", 0), _Llm)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    old = svc.settings
    svc.settings = old.model_copy(
        update={"llm_url": f"http://127.0.0.1:{srv.server_port}/v1", "llm_timeout": 5.0}
    )
    try:
        _Llm.mode = "ok"
        r = svc.draft.draft(ZH, rounds=2)
        assert r["mode"] == "llm" and r["fallback"] is None
        assert [t["role"] for t in r["transcript"]] == ["patent agent", "technical expert"] * 2
        assert r["claims"][0].startswith("1. 一种无人机自动充电平台") and len(r["versions"]) == 3
        agent_call = next(c for c in _Llm.calls if "代理师" in c["messages"][0]["content"])
        assert "锥形定位槽" in agent_call["messages"][1]["content"]  # the disclosure goes to the model
        _Llm.mode = "error"
        f = svc.draft.draft(ZH, rounds=1)
        assert (
            f["mode"] == "deterministic"
            and "HTTP 500" in f["fallback"]
            and f["claims"][0].startswith("1. 一种")
        )
    finally:
        svc.settings = old
        srv.shutdown()
    svc.settings = old.model_copy(update={"llm_url": "http://127.0.0.1:9/v1", "llm_timeout": 2.0})
    try:
        u = svc.draft.draft(EN, rounds=1)
        assert u["mode"] == "deterministic" and "unreachable" in u["fallback"]
    finally:
        svc.settings = old


def test_cli_api_and_web(svc: Service, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from ipai.api import create_app
    from ipai.cli import main

    f = tmp_path / "交底书.txt"
    f.write_text(ZH, encoding="utf-8")
    out = tmp_path / "draft.md"
    assert main(["--home", str(svc.settings.home), "draft", "new", str(f), "-o", str(out), "--no-llm"]) == 0
    md = out.read_text(encoding="utf-8")
    assert md.startswith("# 一种无人机自动充电平台") and "## 权利要求书" in md
    c = with_csrf(TestClient(create_app(service=svc)))
    r = c.post("/api/v1/draft", json={"text": EN, "use_llm": False})
    assert r.status_code == 200 and r.json()["claims"][0].startswith("1. A drone docking station")
    assert c.post("/api/v1/draft", json={"text": ""}).status_code == 400
    page = c.post("/draft", data={"text": ZH}, params={"lang": "zh"})
    assert page.status_code == 200 and 'data-testid="draft-claims"' in page.text and "权利要求书" in page.text


def test_eval_drafting_on_real_abstracts(
    svc: Service, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ipai.cli import main
    from ipai.evals.drafting import eval_drafting

    cases = [
        json.loads(x)
        for x in (Path(__file__).parents[2] / "evals/cases/drafting.jsonl")
        .read_text(encoding="utf-8")
        .splitlines()
        if x.strip()
    ]
    pick = [
        c for c in cases if c["id"] == "zh-01"
    ]  # a 疏水阀 monitoring system (CN116793661A); one draft: assess is slow
    f = tmp_path / "cases.jsonl"
    f.write_text("\n".join(json.dumps(c, ensure_ascii=False) for c in pick), encoding="utf-8")
    r = eval_drafting(f, svc, details=True)
    assert r["cases"] == 1 and r["pass_rate"]["all"]["all_rules"] == 1.0
    zh = next(x for x in r["drafts_failing"] if x["id"] == "zh-01")
    assert zh["claim_1"].startswith("1. 一种疏水阀状态在线监测系统，包括：疏水阀管理模块；")
    assert not re.search(r"[A-Za-z]", zh["field"]) and zh["field"].startswith("本发明涉及")
    f.write_text('{"id": "x", "lang": "fr", "subject": "s", "text": "t"}', encoding="utf-8")
    assert main(["--home", str(svc.settings.home), "eval", "drafting", str(f)]) != 0
    assert "lang must be zh or en" in capsys.readouterr().err + capsys.readouterr().out
