"""AI patent interpretation on real documents: a US grant (claims, description with headings), an
EP grant (problem stated in the background), Chinese abstracts (no claims); every quote found
verbatim at its location; the CLI, the API, the document page, the eval and the LLM path (a fake
OpenAI-compatible server, tests/qa/fake_llm.py)."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ipai.settings import load_settings
from tests.conftest import subset_csv

FAKE_LLM = Path(__file__).parents[1] / "qa" / "fake_llm.py"


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Path:
    d = tmp_path_factory.mktemp("explain-files")
    shutil.copy(shared_data / "uspto-xml-samples/xml2014/US08926509.xml", d)
    shutil.copy(shared_data / "epo-xml-samples/grant/v1-0-B1.xml", d)  # EP1442058B1
    shutil.copy(shared_data / "cn-patents-abstract-cpc/sample_test.csv", d)
    subset_csv(shared_data / "cn-patent-titles-ipc/titles_ipc.csv", d / "titles_ipc.csv", 3)  # titles only
    return d


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory, files: Path) -> Path:
    from ipai.service import Service

    h = tmp_path_factory.mktemp("explain-home")
    svc = Service(load_settings(home=h, progress=False))
    svc.corpus.ingest([files])
    svc.close()
    return h


def _svc(home: Path, **kw: Any) -> Any:
    from ipai.service import Service

    return Service(load_settings(home=home, progress=False, **kw))


@pytest.fixture(scope="module")
def svc(home: Path) -> Iterator[Any]:
    s = _svc(home)
    yield s
    s.close()


def test_us_grant(svc: Any) -> None:
    r = svc.explain.explain("US 8,926,509 B2")
    assert (
        r["mode"] == "extractive" and r["text_lang"] == "en" and r["reason"].startswith("no LLM configured")
    )
    assert r["solution"][0] == {**r["solution"][0], "where": "abstract", "source": "abstract"}
    assert r["solution"][0]["text"].startswith(
        "The present invention provides methods, devices, and systems for wireless"
    )
    sc = r["scope"]
    assert sc["claim"] == 1 and sc["preamble"] == "A system for measuring physiological signals"
    assert len(sc["features"]) == len(sc["avoid"]["elements"]) >= 3
    assert "a patch-ASIC chip adapted for incorporation" in sc["features"][0]["text"]  # element (a)
    assert "lacks any one" in sc["avoid"]["note"]["en"] and "任意一项" in sc["avoid"]["note"]["zh"]
    assert r["labels"]["problem"] == {"zh": "技术问题", "en": "Technical problem"}
    assert r["figures"] and r["figures"][0]["text"].startswith("FIG. 1")


def test_ep_problem_from_background(svc: Any) -> None:
    r = svc.explain.explain("EP1442058B1")
    p = r["problem"][0]
    assert p["where"] == "description [0003]" and p["text"].startswith(
        "There is an obvious need for an effective agent"
    )
    assert r["scope"]["preamble"] == "An NTP-peptide"


def test_chinese_abstract(svc: Any) -> None:
    r = svc.explain.explain("CN118866379A", ui_lang="zh")
    assert r["text_lang"] == "zh" and r["note"]["zh"] == "以下说明文字为中文，引号内为文献原文，并注明出处。"
    assert r["note"]["en"].startswith("This document is written in Chinese.")
    assert r["problem"] == [] and r["no_problem"]["zh"] == "文中没有明确陈述所要解决的技术问题。"
    assert (
        r["solution"][0]["lead"]["en"]
        == "The solution of this patent (quoted in Chinese, from the abstract):"
    )
    assert r["solution"][0]["text"] == "本发明提出了一种用于心理障碍测评的数据处理及管理方法及系统。"
    assert r["solution"][0]["where"] == "abstract"
    assert r["scope"]["claim"] is None and r["scope"]["summary"]["zh"].startswith("文献中没有权利要求")


def test_title_only_document(svc: Any, files: Path) -> None:
    import csv

    with (files / "titles_ipc.csv").open(encoding="utf-8") as f:
        number = next(csv.DictReader(f))["publication_numbers"]
    r = svc.explain.explain(number)
    assert r["title"] and not r["problem"] and not r["solution"] and r["scope"]["claim"] is None
    assert r["reason"].startswith("the store holds only bibliographic data")


def test_every_quote_is_verbatim_at_its_location(svc: Any) -> None:
    from ipai.evals.explain import located_text

    for number in ("US8926509B", "EP1442058B", "CN118866379A", "CN116842782A"):
        doc = svc.resolve(number)
        r = svc.explain.explain(number)
        for role in ("problem", "solution", "effect"):
            for q in r[role]:
                text, part = located_text(doc, q["where"], r["text_lang"])
                assert q["text"] in text, (number, role, q)
                assert part not in ("detailed", "drawings", "?")


def test_errors(svc: Any) -> None:
    from ipai.errors import InputError, NotFound

    with pytest.raises(NotFound):
        svc.explain.explain("US1234567B1")
    with pytest.raises(InputError, match="lang must be zh or en"):
        svc.explain.explain("US8926509B", ui_lang="fr")


def test_cli(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from ipai.cli import main

    assert main(["--home", str(home), "--no-progress", "explain", "US8926509", "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert (
        "== 技术方案 ==" in out
        and "本专利的技术方案（原文为英文，出自摘要）：" in out
        and "== 竞争者需要规避什么 ==" in out
    )
    # the problem sentence of the background, introduced in Chinese, quoted in English
    assert "本专利要解决的技术问题（原文为英文，出自说明书背景技术部分第[0003]段）：" in out
    assert "“Conventional wireless health monitoring systems are bulky, expensive" in out
    from ipai.evals.explain import reader_share

    assert reader_share(out, "zh") >= 0.9  # what ipai writes itself is Chinese; the quotes stay English
    assert main(["--home", str(home), "--no-progress", "explain", "EP1442058B", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["scope"]["claim"] == 1


def test_api_and_page(svc: Any) -> None:
    from fastapi.testclient import TestClient

    from ipai.api import create_app

    with TestClient(create_app(service=svc)) as c:
        r = c.get("/api/v1/explain/US8926509B", params={"lang": "zh"})
        assert r.status_code == 200 and r.json()["ok"] and r.json()["solution"][0]["where"] == "abstract"
        assert c.get("/api/v1/explain/US1234567B1").status_code == 404
        assert c.get("/api/v1/explain/US8926509B", params={"lang": "fr"}).status_code in (400, 422)
        page = c.get("/doc/US8926509B", params={"lang": "zh"})
        assert page.status_code == 200
        assert 'data-testid="explain"' in page.text and "专利AI解读" in page.text and "技术方案" in page.text
        assert "The present invention provides methods" in page.text


def test_eval(files: Path, tmp_path: Path) -> None:
    from ipai.cli import main
    from ipai.evals.explain import eval_explain

    cases = tmp_path / "cases.jsonl"
    lines = [
        x
        for x in (Path(__file__).parents[2] / "evals/cases/explain.jsonl")
        .read_text(encoding="utf-8")
        .splitlines()
        if json.loads(x)["id"] in ("US8926509B", "EP1442058B", "CN118866379A")
    ]
    cases.write_text("\n".join(lines), encoding="utf-8")
    r = eval_explain([files], cases=cases, ui="zh")
    g = r["found"]["grants"]
    assert (g["documents"], g["problem"], g["solution"]) == (2, 1.0, 1.0)  # US8926509B, EP1442058B
    ag = r["agreement"]["all"]
    assert ag["problem"] == {"cases": 3, "first": 1.0, "any": 1.0} and ag["effect"]["cases"] == 2
    assert (
        r["reader_language"]["documents_in_other_language"] == 2 and r["reader_language"]["min_share"] >= 0.9
    )
    cases.write_text('{"id": "US8926509B", "problem": "x"}', encoding="utf-8")
    assert main(["eval", "explain", str(files), "--cases", str(cases)]) != 0


@pytest.fixture(scope="module")
def llm_url() -> Iterator[str]:
    proc = subprocess.Popen([sys.executable, str(FAKE_LLM)], stdout=subprocess.PIPE, text=True)
    try:
        yield f"http://127.0.0.1:{int(proc.stdout.readline())}/v1"  # type: ignore[union-attr]
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_llm_fluent_version(home: Path, llm_url: str) -> None:
    s = _svc(home, llm_url=llm_url, llm_model="ok")
    try:
        r = s.explain.explain("US8926509B")
    finally:
        s.close()
    assert r["mode"] == "llm" and r["reason"] is None and r["llm"]["cited"] == [1]
    assert r["fluent"].startswith("According to the first passage") and r["material"][0]["n"] == "1"
    assert r["solution"] and r["scope"]["features"]  # the extractive result stays alongside


@pytest.mark.parametrize(
    "model, reason",
    [
        ("error", "LLM not used: the LLM at {url} answered HTTP 500"),
        ("badcite", "LLM answer not used: the LLM answer cited passages that do not exist (9)"),
        ("nocite", "LLM answer not used: the LLM answer cited no passage"),
    ],
)
def test_llm_failure_keeps_extractive(home: Path, llm_url: str, model: str, reason: str) -> None:
    s = _svc(home, llm_url=llm_url, llm_model=model)
    try:
        r = s.explain.explain("CN118866379A")  # two quotes: passage [9] does not exist
    finally:
        s.close()
    assert (
        r["mode"] == "extractive"
        and r["fluent"] is None
        and r["reason"].startswith(reason.format(url=llm_url))
    )
    assert r["solution"][0]["where"] == "abstract"


def test_llm_unreachable(home: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    s = _svc(home, llm_url=f"http://127.0.0.1:{port}/v1")
    try:
        r = s.explain.explain("CN118866379A", use_llm=True)
    finally:
        s.close()
    assert r["mode"] == "extractive" and "is unreachable" in r["reason"]
