"""Questions and answers on a real corpus subset (US neural-network and baseball abstracts, Chinese
abstracts) plus knowledge documents written here: cited sources, refusal, history per user, the
CLI, API and web page."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from ipai.settings import load_settings
from tests.conftest import subset_csv
from tests.webforms import with_csrf

FAQ = """专利常见问题

发明专利权的期限是多久？
发明专利权的期限为二十年，实用新型专利权的期限为十年，均自申请日起计算。

申请专利需要提交哪些文件？
申请发明专利的，应当提交请求书、说明书及其摘要和权利要求书等文件。

专利申请费可以减缴吗？
符合条件的个人或单位可以请求减缴专利申请费、年费等费用。
"""

GUIDE = """# Examination guidelines (extract)

## Novelty

An invention is new if it does not form part of the state of the art. The state of the art
comprises everything made available to the public before the filing date.

## Grace period

Disclosure at an exhibition recognised by the government within six months before filing does
not destroy novelty.
"""


@pytest.fixture(scope="module")
def qa_service(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Iterator[object]:
    from ipai.service import Service

    d = tmp_path_factory.mktemp("qa-corpus")
    subset_csv(shared_data / "us-abstracts-patentsview/neural_network_patent_query.csv", d / "nn.csv", 150)
    subset_csv(shared_data / "us-abstracts-patentsview/baseball_patent_query.csv", d / "baseball.csv", 100)
    shutil.copy(shared_data / "cn-patents-abstract-cpc/sample_train.csv", d / "cn.csv")
    kd = tmp_path_factory.mktemp("qa-knowledge")
    (kd / "faq.txt").write_text(FAQ, encoding="utf-8")
    (kd / "guide.md").write_text(GUIDE, encoding="utf-8")
    svc = Service(load_settings(home=tmp_path_factory.mktemp("qa-home"), progress=False))
    svc.corpus.ingest([d])
    svc.corpus.index()
    out = svc.qa.load_knowledge([kd])
    assert [x["new"] for x in out["documents"]] == [True, True] and out["errors"] == []
    yield svc
    svc.close()


def _title_of_row(path: Path, row: int) -> str:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))[row]["patent_title"]


def test_knowledge_documents_are_cut_into_passages_with_headings(qa_service: object) -> None:
    docs = {d["source"]: d for d in qa_service.qa.knowledge_documents()}
    assert docs["guide.md"]["title"] == "Examination guidelines (extract)"
    faq = qa_service.qa.knowledge_document(docs["faq.txt"]["id"])
    assert faq["title"] == "专利常见问题" and faq["lang"] == "zh"
    # each FAQ question stays with its answer
    assert any(
        p["text"].startswith("发明专利权的期限是多久？") and "二十年" in p["text"] for p in faq["items"]
    )
    guide = qa_service.qa.knowledge_document(docs["guide.md"]["id"])
    assert [p["where"].split(" (")[0] for p in guide["items"]] == ["Novelty", "Grace period"]


def test_chinese_question_is_answered_from_the_faq(qa_service: object) -> None:
    a = qa_service.qa.ask("发明专利的保护期限是多久？", user="alice")
    assert a["mode"] == "retrieval" and not a["refused"]
    first = a["citations"][0]
    assert first["source"] == "doc" and first["title"] == "专利常见问题" and "二十年" in first["passage"]
    assert first["n"] == 1 and first["url"].startswith("/qa/documents/") and "<mark>" in first["marked"]
    assert a["reason"].startswith("no LLM configured")


def test_english_question_cites_the_guideline(qa_service: object) -> None:
    a = qa_service.qa.ask("What is the grace period for disclosure at an exhibition?", user="alice")
    assert a["citations"][0]["source"] == "doc" and "six months" in a["citations"][0]["passage"]
    assert a["citations"][0]["where"].startswith("Grace period")


def test_title_question_cites_that_patent(qa_service: object, shared_data: Path) -> None:
    title = _title_of_row(shared_data / "us-abstracts-patentsview/baseball_patent_query.csv", 3)
    assert title == "Action batter up game apparatus"
    a = qa_service.qa.ask(f"What does {title} do?", user="bob")
    first = a["citations"][0]
    assert first["source"] == "patent" and first["title"] == title and first["id"].startswith("US4032145")
    assert first["where"].startswith("abstract")  # the answer is a sentence, not the title again
    assert first["url"] == f"/doc/{first['id']}"
    # a Chinese title question: the Chinese abstract of CN117151122A
    zh = qa_service.qa.ask("一种基于自然语言处理的银行客服会话问答处理方法是什么？", user="bob")
    assert zh["citations"][0]["id"].startswith("CN117151122")


@pytest.mark.parametrize(
    "question",
    ["How do I bake a chocolate cake without eggs?", "明天北京的天气怎么样？", "红烧肉怎么做才好吃？"],
)
def test_unrelated_question_is_refused(qa_service: object, question: str) -> None:
    a = qa_service.qa.ask(question, user="carol")
    assert a["refused"] and a["mode"] == "refused" and a["citations"] == []
    assert a["confidence"] < 0.55 and ("nothing" in a["answer"] or "没有找到" in a["answer"])


def test_history_is_per_user(qa_service: object) -> None:
    qa_service.qa.ask("专利申请费可以减缴吗？", user="dave", session="s1")
    qa_service.qa.ask("What is novelty?", user="dave", session="s2")
    qa_service.qa.ask("What is novelty?", user="erin")
    dave = qa_service.qa.chat_history("dave")
    assert [m["question"] for m in dave] == ["专利申请费可以减缴吗？", "What is novelty?"]
    assert dave[0]["answer"]["citations"][0]["source"] == "doc"
    assert [m["question"] for m in qa_service.qa.chat_history("dave", session="s2")] == ["What is novelty?"]
    assert [m["question"] for m in qa_service.qa.chat_history("erin")] == ["What is novelty?"]


def test_bad_input(qa_service: object, tmp_path: Path) -> None:
    from ipai.errors import InputError

    with pytest.raises(InputError, match="empty question"):
        qa_service.qa.ask("   ")
    (tmp_path / "x.docx").write_bytes(b"PK")
    with pytest.raises(InputError, match="not a knowledge document"):
        qa_service.qa.load_knowledge([tmp_path / "x.docx"])
    (tmp_path / "blank.txt").write_text("\n\n  \n", encoding="utf-8")
    with pytest.raises(InputError, match="no text"):
        qa_service.qa.load_knowledge([tmp_path / "blank.txt"])


def test_api_and_web(qa_service: object) -> None:
    from fastapi.testclient import TestClient

    from ipai.api import create_app

    c = with_csrf(TestClient(create_app(service=qa_service)))
    html = (
        "<html><head><title>Fees FAQ</title></head><body><h2>Annual fees</h2>"
        "<p>The annual fee for the third year of a utility model is 600 yuan.</p><script>x()</script></body></html>"
    )
    r = c.post("/api/v1/qa/documents", files=[("files", ("fees.html", html.encode(), "text/html"))])
    assert r.status_code == 201, r.text
    doc = r.json()["documents"][0]
    assert doc["title"] == "Fees FAQ" and doc["passages"] == 1
    r = c.post(
        "/api/v1/qa/ask", json={"question": "What is the annual fee for a utility model?", "user": "frank"}
    )
    body = r.json()
    assert r.status_code == 200 and body["ok"] and body["citations"][0]["id"] == str(doc["id"])
    assert (
        body["citations"][0]["where"].startswith("Annual fees")
        and "600 yuan" in body["citations"][0]["passage"]
    )
    assert c.post("/api/v1/qa/ask", json={"question": ""}).status_code in (400, 422)
    hist = c.get("/api/v1/qa/history", params={"user": "frank"}).json()["items"]
    assert [h["question"] for h in hist] == ["What is the annual fee for a utility model?"]
    assert (
        c.get(f"/api/v1/qa/documents/{doc['id']}")
        .json()["document"]["items"][0]["text"]
        .startswith("The annual")
    )
    assert c.get("/api/v1/qa/documents/99999").status_code == 404

    # the web page: a cookie user, an answer with numbered citations, a refusal shown as such
    page = c.get("/qa?lang=zh")
    assert page.status_code == 200 and "智能问答" in page.text and "ipai_qa_user" in page.cookies
    r = c.post("/qa", data={"question": "发明专利的保护期限是多久？"})
    assert r.status_code == 200 and 'data-testid="qa-answer"' in r.text and "二十年" in r.text
    assert "/qa/documents/" in r.text
    r = c.post("/qa", data={"question": "红烧肉怎么做才好吃？"})
    assert 'data-testid="qa-refused"' in r.text
    assert r.text.count('data-testid="qa-turn"') == 2  # this browser's history only
    assert "Fees FAQ" in c.get(f"/qa/documents/{doc['id']}").text


def test_cli(qa_service: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from ipai.cli import main

    home = str(qa_service.settings.home)
    (tmp_path / "law.txt").write_text(
        "第二十二条 授予专利权的发明和实用新型，应当具备新颖性、创造性和实用性。\n", encoding="utf-8"
    )
    assert main(["--home", home, "qa", "load", str(tmp_path / "law.txt")]) == 0
    capsys.readouterr()
    assert main(["--home", home, "ask", "授予专利权应当具备什么条件？", "--user", "gina", "--json"]) == 0
    a = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert a["citations"][0]["where"].startswith("第二十二条") and "新颖性" in a["citations"][0]["passage"]
    assert main(["--home", home, "qa", "history", "--user", "gina", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["question"] == "授予专利权应当具备什么条件？"
