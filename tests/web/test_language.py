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
    assert not words, f"{lang} page shows {sorted(set(words))[:20]}:\n" + "\n".join(
        line for line in visible_text(html, lang).splitlines() if foreign_words(line, lang))[:3000]


@pytest.fixture(scope="module")
def claim(platform_service: Any) -> str:
    return platform_service.resolve(CLAIM_DOC).claims[0].text


@pytest.fixture(scope="module")
def leader(platform_service: Any) -> str:
    """The applicant with most documents in the field (a company with peers)."""
    return platform_service.landscape(PORTFOLIO)["by_applicant"][0]["key"]


def test_the_rule_finds_what_it_should() -> None:
    """English words on a Chinese page are found, codes and names are not; source text is left out."""
    page = ('<html lang="zh-CN"><body><p>新颖性：likely novel（US9105900B、F1、CPC G06N3/08、ti:、5 ms）</p>'
            '<p data-source>A battery pack</p><p lang="en">English</p><code>pa:"x y"</code>'
            '<input placeholder="kept True"></body></html>')
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
    assert ("sMAPE" in reason or "naive" in reason) if lang == "en" else ("sMAPE" in reason or "朴素" in reason)
    clean(page.text, lang)
    more = client.get("/landscape/more", params={"q": FIELD, "lang": lang})
    assert more.status_code == 200 and all_of(parse(more.text), "topic")
    clean(f'<html lang="{lang}"><body>{more.text}</body></html>', lang)
    report = client.get("/report/landscape", params={"q": FIELD, "lang": lang})
    assert report.status_code == 200 and all_of(parse(report.text), "topic")
    clean(report.text, lang)


def test_chinese_topic_labels_are_chinese(client: Any) -> None:
    """The field's topics (English documents only) are labelled with the Chinese terms the
    dictionary gives and the corpus has (training → 训练); the English words stay beside them as
    source text."""
    report = parse(client.get("/report/landscape", params={"q": FIELD, "lang": "zh"}).text)
    rows = all_of(report, "topic")
    labels = [text(row.xpath("td")[0]) for row in rows]
    assert any("训练" in lb for lb in labels), labels
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
