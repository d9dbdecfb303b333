"""Chinese pages in Chinese, English pages in English: every page that writes generated text
(conclusions, reasons, forecasts, certificates, deadline bases, error messages), rendered with
realistic inputs on the shared corpus, has no word of the other language outside source text
(the rule of ``tests/web/language.py``, which the browser crawl applies too)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.helpers import all_of, one, parse, text
from tests.web.language import foreign_on_page, foreign_words, visible_text

LANGS = ("zh", "en")
CLAIM_DOC = "EP3404678B1"  # claims, description and citations: a real claim to assess and to chart
FIELD = "neural network"  # 300 US abstracts of the corpus: a landscape with a forecast and topics
PORTFOLIO = "cc:EP"  # the EPO documents: applicants, legal status, white space, a transformable pool


def clean(html: str, lang: str) -> None:
    """The page's interface text has no word of the other language."""
    words = foreign_on_page(html, lang)
    assert not words, (
        f"{lang} page shows {sorted(set(words))[:20]}:\n"
        + "\n".join(line for line in visible_text(html, lang).splitlines() if foreign_words(line, lang))[
            :3000
        ]
    )


@pytest.fixture(scope="module")
def claim(platform_service: Any) -> str:
    return platform_service.resolve(CLAIM_DOC).claims[0].text


@pytest.fixture(scope="module")
def leader(platform_service: Any) -> str:
    """The applicant with most documents in the field (a company with peers)."""
    return platform_service.analytics.landscape(PORTFOLIO)["by_applicant"][0]["key"]


def test_the_rule_finds_what_it_should() -> None:
    """English words on a Chinese page are found, codes and names are not; source text is left out."""
    page = (
        '<html lang="zh-CN"><body><p>新颖性：likely novel（US9105900B、F1、CPC G06N3/08、ti:、5 ms）</p>'
        '<p data-source>A battery pack</p><p lang="en">English</p><code>pa:"x y"</code>'
        '<input placeholder="kept True"></body></html>'
    )
    assert foreign_on_page(page) == ["likely", "novel", "kept", "True"]
    en = '<html lang="en"><body><p>Novelty: 可能具备</p><p data-source>一种电池</p><a lang="zh">中文</a></body></html>'
    assert foreign_on_page(en) == ["可能具备"]


@pytest.mark.parametrize("lang", LANGS)
def test_assess_report(client: Any, claim: str, lang: str) -> None:
    r = client.post(f"/assess?lang={lang}", data={"text": claim, "top": "3"})
    assert r.status_code == 200, r.text
    doc = parse(r.text)
    novelty = one(doc, "indicator-novelty")
    assert novelty.get("data-level") == "at risk"  # its own claim: an X document
    assert ("存在风险" if lang == "zh" else "at risk") in text(novelty)
    clean(r.text, lang)


@pytest.mark.parametrize("lang", LANGS)
def test_landscape_pages_and_report(client: Any, lang: str) -> None:
    page = client.get("/landscape", params={"q": FIELD, "lang": lang})
    assert page.status_code == 200
    doc = parse(page.text)
    reason = text(one(doc, "forecast-reason"))
    assert (
        ("sMAPE" in reason or "naive" in reason) if lang == "en" else ("sMAPE" in reason or "朴素" in reason)
    )
    clean(page.text, lang)
    more = client.get("/landscape/more", params={"q": FIELD, "lang": lang})
    assert more.status_code == 200 and all_of(parse(more.text), "topic")
    clean(f'<html lang="{lang}"><body>{more.text}</body></html>', lang)
    report = client.get("/report/landscape", params={"q": FIELD, "lang": lang})
    assert report.status_code == 200 and all_of(parse(report.text), "topic")
    clean(report.text, lang)


def test_chinese_topic_labels_are_chinese(client: Any) -> None:
    """The field's topics (English documents only) are labelled with the Chinese terms the
    dictionary gives and the corpus has (training → 训练, input → 输入; which words a topic gets
    depends on the clustering); the English words stay beside them as source text."""
    report = parse(client.get("/report/landscape", params={"q": FIELD, "lang": "zh"}).text)
    rows = all_of(report, "topic")
    labels = [text(row.xpath("td")[0]) for row in rows]
    known = {
        "训练",
        "神经网络",
        "输入",
        "输出",
        "控制",
        "数据",
        "分类",
        "图像",
        "信号",
        "计算机",
    }  # the field's words
    assert any(k in lb for lb in labels for k in known), labels
    assert sum(1 for row in rows if row.xpath("td")[0].get("data-source") is None) >= len(rows) // 2, labels


def test_topic_words_are_translated_together() -> None:
    """Two English topic words that are one dictionary sense become one Chinese term."""
    from ipai.analytics.texts import topic_label
    from ipai.analytics.topics import translate_terms
    from ipai.search.concepts import ConceptBuilder

    topics = [{"terms": {"en": ["network", "fuzzy", "neural", "logic"], "zh": []}}]
    translate_terms(topics, ConceptBuilder(lambda toks: 10).concepts)  # every form "in the corpus"
    first, second = topics[0]["translated"]["zh"]  # neural network (either of its senses), fuzzy logic
    assert first in ("神经网络", "神经元网") and second == "模糊逻辑"
    assert topic_label(topics[0], "zh") == f"{first}、模糊逻辑"


@pytest.mark.parametrize("lang", LANGS)
def test_company_report(client: Any, leader: str, lang: str) -> None:
    r = client.get("/report/company", params={"name": leader, "lang": lang})
    assert r.status_code == 200
    radar = "增长势头" if lang == "zh" else "momentum"
    assert radar in r.text  # the radar's axes in the report language
    clean(r.text, lang)


@pytest.mark.parametrize("lang", LANGS)
def test_value_screening(client: Any, lang: str) -> None:
    r = client.get("/value", params={"q": PORTFOLIO, "lang": lang})
    assert r.status_code == 200
    doc = parse(r.text)
    assert all_of(doc, "value-reasons")
    clean(r.text, lang)


@pytest.mark.parametrize("lang", LANGS)
def test_dashboard_names_languages(client: Any, lang: str) -> None:
    r = client.get("/dashboard", params={"lang": lang})
    assert r.status_code == 200
    clean(r.text, lang)


@pytest.mark.parametrize("lang", LANGS)
def test_login(client: Any, lang: str) -> None:
    clean(client.get("/login", params={"lang": lang}).text, lang)
    r = client.post(f"/login?lang={lang}", data={"name": "x", "password": "y"})
    assert r.status_code == 400  # laptop mode: sign-in is off, and the page says so
    clean(r.text, lang)


@pytest.mark.parametrize("lang", LANGS)
def test_claim_chart_and_its_errors(client: Any, claim: str, lang: str) -> None:
    r = client.post(f"/fto?lang={lang}", data={"number": CLAIM_DOC, "product": claim})
    assert r.status_code == 200 and all_of(parse(r.text), "claim-chart")
    clean(r.text, lang)
    for number, status, zh in (("EP9999999B1", 404, "库中没有文献"), ("!!", 400, "不是公开（公告）号")):
        bad = client.post(f"/fto?lang={lang}", data={"number": number, "product": claim})
        assert bad.status_code == status
        error = text(one(parse(bad.text), "fto-error"))
        assert (zh in error) if lang == "zh" else ("not" in error or "no document" in error), error
        clean(bad.text, lang)


@pytest.mark.parametrize("lang", LANGS)
def test_image_search_errors(client: Any, lang: str) -> None:
    """No file, a text file, an empty image: each refused with its reason in the page's language
    (the corpus has no image index: a readable upload is answered that the index is missing)."""
    cases = [
        (None, ("请选择一个图像文件",)),
        (("notes.txt", b"minutes of a meeting"), ("不支持的图像格式", "尚未建立图像索引")),
        (("empty.png", b""), ("空文件", "尚未建立图像索引")),
    ]
    for upload, zh in cases:
        files = {"file": (upload[0], upload[1], "application/octet-stream")} if upload else None
        r = client.post(f"/images?lang={lang}", data={"kind": "mark"}, files=files)
        assert r.status_code in (400, 404), r.text
        message = text(one(parse(r.text), "error-message"))
        assert any(z in message for z in zh) if lang == "zh" else not foreign_words(message, "en"), message
        clean(r.text, lang)


@pytest.mark.parametrize("lang", LANGS)
def test_evidence_certificate_and_verification(upload_client: Any, lang: str) -> None:
    r = upload_client.post(
        f"/evidence?lang={lang}",
        data={
            "text": "一种电池包，包括多个串联的锂离子电池单元。",
            "who": "Zhang San",
            "note": "Battery pack disclosure",
        },
    )
    assert r.status_code == 200
    clean(r.text, lang)
    doc = parse(r.text)
    cert = upload_client.get(one(doc, "evidence-certificate").get("href"))
    assert cert.status_code == 200
    entry = text(one(parse(cert.text), "certificate-entry"))
    assert (
        ("存证人" in entry and "技术交底书" in entry)
        if lang == "zh"
        else ("depositor" in entry and "disclosure" in entry)
    )
    assert "True" not in entry and "False" not in entry
    clean(cert.text, lang)
    receipt = upload_client.get(one(doc, "evidence-receipt").get("href")).content
    checked = upload_client.post(f"/evidence/verify?lang={lang}", files={"receipt": ("r.json", receipt)})
    checks = [text(c) for c in all_of(parse(checked.text), "verify-check")]
    assert checks and all(c.startswith("✔") for c in checks), checks
    clean(checked.text, lang)


@pytest.mark.parametrize("lang", LANGS)
def test_deadline_bases_and_alerts(upload_client: Any, upload_service: Any, lang: str) -> None:
    svc = upload_service
    d = svc.manage.submit_disclosure(
        {
            "title": "Battery pack cooling",
            "text": "A battery pack with a cooling plate.",
            "inventors": "Zhang San",
        },
        assess=False,
    )
    for status, fields in (
        ("reviewing", {}),
        ("file", {}),
        ("filed", {"jurisdiction": "US", "filing_date": "2020-03-31", "applicant": "Acme Battery Co."}),
    ):
        svc.manage.move_disclosure(d["id"], status, fields)
    svc.manage.record_office_action(d["id"], "2021-01-15")
    svc.manage.move_disclosure(d["id"], "granted", {"grant_date": "2022-06-14"})
    svc.manage.scan_deadlines(days=30, today="2024-01-01")
    page = upload_client.get(f"/disclosures/{d['id']}", params={"lang": lang})
    assert page.status_code == 200
    doc = parse(page.text)
    bases = [text(x) for x in all_of(doc, "deadline-basis")]
    notes = [text(x) for x in all_of(doc, "deadline-note")]
    assert any("35 U.S.C. 41(b)" in b for b in bases), bases
    if lang == "zh":
        assert any("维持费" in b for b in bases) and any("可延长至 6 个月" in n for n in notes), (
            bases,
            notes,
        )
    clean(page.text, lang)
    listing = upload_client.get("/disclosures", params={"lang": lang})
    assert all_of(parse(listing.text), "alert-overdue")
    clean(listing.text, lang)


@pytest.mark.parametrize("lang", LANGS)
def test_ingest_rejects_are_clean_lines(upload_client: Any, tmp_path: Any, lang: str) -> None:
    from tests.web.helpers import task_id_from, wait_task

    binary = tmp_path / "blob.dat"
    binary.write_bytes(bytes(range(256)) * 4)
    notes = tmp_path / "notes.txt"
    notes.write_text("minutes of the meeting\nnot patent data\n", encoding="utf-8")
    files = [("files", (p.name, p.read_bytes(), "application/octet-stream")) for p in (binary, notes)]
    r = upload_client.post("/ingest", files=files, headers={"accept": "text/html"}, follow_redirects=False)
    task_id = task_id_from(r.headers["location"])
    wait_task(upload_client, task_id)
    page = upload_client.get(f"/tasks/{task_id}/rejects", params={"lang": lang})
    reasons = {
        text(row.xpath("./td")[0]): text(one(row, "reject-reason"))
        for row in all_of(parse(page.text), "reject-row")
    }
    assert set(reasons) == {"blob.dat", "notes.txt"}, reasons
    for reason in reasons.values():
        assert "\\x" not in reason and "/tmp" not in reason and "\n" not in reason, reason
    assert ("二进制" if lang == "zh" else "binary") in reasons["blob.dat"]
    clean(page.text, lang)


@pytest.fixture()
def server_mode(tmp_path: Any) -> Any:
    """A client of an empty service with sign-in on (server mode)."""
    from fastapi.testclient import TestClient

    from ipai.api import create_app
    from ipai.service import Service
    from ipai.settings import load_settings

    svc = Service(load_settings(home=tmp_path / "h", progress=False, auth=True))
    yield TestClient(create_app(service=svc))
    svc.close()


@pytest.mark.parametrize("lang", LANGS)
def test_sign_in_notices(server_mode: Any, lang: str) -> None:
    """A page that needs a role sends an anonymous visitor to sign in, in the page's language;
    a wrong password is refused in it too."""
    denied = server_mode.get("/ingest", params={"lang": lang}, headers={"accept": "text/html"})
    assert denied.status_code in (401, 403)
    assert ("请登录" if lang == "zh" else "sign in") in denied.text
    clean(denied.text, lang)
    from tests.webforms import form_token

    r = server_mode.post(
        f"/login?lang={lang}", data={"name": "nobody", "password": "wrong", **form_token(server_mode)}
    )
    assert r.status_code == 401
    assert ("用户名或密码错误" if lang == "zh" else "wrong user name or password") in text(
        one(parse(r.text), "login-error")
    )
    clean(r.text, lang)


def test_every_detected_language_has_a_name() -> None:
    """The dashboard, result lists and reports name every language the detector can give, in
    both interface languages (never a bare code such as it, pt or da)."""
    from ipai.text.labels import LANG_NAMES, lang_name
    from ipai.text.lang import LATIN_LANGS
    from ipai.web.i18n import catalogue

    detected = {*LATIN_LANGS, "zh", "ja", "ko", "ru", "el", "ar"}
    for lang in LANGS:
        names = catalogue(lang)
        missing = sorted(c for c in detected if f"langname.{c}" not in names)
        assert not missing, (lang, missing)
    assert all(foreign_words(catalogue("zh")[f"langname.{c}"], "zh") == [] for c in detected)
    assert (
        detected <= set(LANG_NAMES)
        and lang_name("da", "zh") == "丹麦语"
        and lang_name("pt", "en") == "Portuguese"
    )
