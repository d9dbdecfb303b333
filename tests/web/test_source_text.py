"""Text of the other language on a page is either the documents' and users' own words, marked as
source text, or interface text built from codes in the reader's language: the helpers that do it
(record locations, quotes inside generated sentences, law citations, Q&A notes, notifications,
deal terms, source-format descriptions, TRIZ agreement) give the expected HTML in both languages."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.language import foreign_words, visible_text


def test_record_locations_in_the_readers_language() -> None:
    from ipai.web.srctext import record_label

    assert record_label("document 3 (EP3404678B1)", "zh") == "第 3 篇文献（<code>EP3404678B1</code>）"
    assert record_label("document 3 (EP3404678B1)", "en") == "document 3 (<code>EP3404678B1</code>)"
    assert record_label("row 4 (sheet row 6)", "zh") == "第 4 行（工作表第 6 行）"
    assert record_label("line 12", "en") == "line 12"
    assert (
        record_label("p. 7 of a scan", "zh") == "<code>p. 7 of a scan</code>"
    )  # a form no reader gives: as code


def test_quotes_inside_generated_sentences_are_marked() -> None:
    from ipai.web.i18n import Translator
    from ipai.web.srctext import mark, tm

    html = mark("主权利要求保护的是“A <b> assembly (2)”（原文为英文）", "A <b> assembly (2)", "en")
    assert html == (
        '主权利要求保护的是“<span data-source lang="en">A &lt;b&gt; assembly (2)</span>”（原文为英文）'
    )
    assert foreign_words(visible_text(f"<p>{html}</p>", "zh"), "zh") == []
    assert mark("no quote here", "absent") == "no quote here"
    words = tm(Translator("zh"), "results.none.nonsense", words="<x>")  # a plain value is escaped
    assert "&lt;x&gt;" in words and "<x>" not in words


@pytest.mark.parametrize(
    ("lang", "law", "expected"),
    [
        (
            "en",
            "专利代理条例",
            'Regulations on Patent Agency, Article 3 (<span data-source lang="zh">《专利代理条例》第三条</span>)',
        ),
        (
            "en",
            "某市专利促进办法",
            '<span data-source lang="zh">《某市专利促进办法》第三条</span>',
        ),  # no English name
        ("zh", "专利代理条例", "《专利代理条例》第三条"),
    ],
)
def test_law_citations(lang: str, law: str, expected: str) -> None:
    from ipai.qa.laws import law_of
    from ipai.web.qaview import law_cite

    name = law_of(law)
    c = {"law": name.name, "cite": name.cite(3, "zh"), "cite_en": name.cite(3, "en")}
    assert law_cite(c, lang) == expected


def test_qa_notes_and_refusals_from_codes() -> None:
    from ipai.web.qaview import reason, refusal

    no_llm = {"reason": "no LLM configured: the best passages are shown", "reason_code": "no_llm"}
    assert reason(no_llm, "zh") == "未配置大模型：显示最相关的段落。"
    assert (
        reason({k: v for k, v in no_llm.items() if k != "reason_code"}, "zh")
        == "未配置大模型：显示最相关的段落。"
    )
    bad = {
        "reason": "LLM answer not used: …",
        "reason_code": "llm_bad_cites",
        "reason_params": {"passages": "4, 7"},
    }
    assert reason(bad, "zh") == "大模型的回答引用了不存在的段落（4, 7）：显示最相关的段落。"
    assert reason({"reason": None}, "zh") is None
    refused = {"answer": "I found nothing …", "confidence": 0.123, "threshold": 0.5}
    assert refusal(refused, "zh").startswith("在已加载的专利和文档中没有找到") and "0.12 < 0.50" in refusal(
        refused, "zh"
    )


def test_the_qa_answer_records_why_no_model_wrote_it(platform_service: Any) -> None:
    a = platform_service.qa.ask("What is a neural network?", remember=False, use_llm=False)
    if a["refused"]:
        assert a["reason_code"] == "below_threshold" and a["threshold"] > 0
    else:  # no LLM is configured in the tests
        assert a["mode"] == "retrieval" and a["reason_code"] == "no_llm" and a["reason"].startswith("no LLM")


def test_notifications_are_written_for_the_reader() -> None:
    from ipai.web.transfer import note_html

    note = {
        "kind": "new_demand_matches",
        "message": "demand #4 'x': 17 patents, 2 owners, 3 experts",
        "payload": {
            "demand_id": 4,
            "title": "无人机电池<快换>",
            "counts": {"patents": 17, "owners": 2, "experts": 3},
        },
    }
    zh, en = note_html(note, "zh"), note_html(note, "en")
    assert (
        zh
        == "需求 #4「<span data-source>无人机电池&lt;快换&gt;</span>」：匹配到 17 件专利、2 个权利人、3 位专家"
    )
    assert (
        en == "demand #4 “<span data-source>无人机电池&lt;快换&gt;</span>”: 17 patents, 2 owners, 3 experts"
    )
    assert foreign_words(visible_text(f"<p>{en}</p>", "en"), "en") == []
    assert (
        note_html({"kind": "new_demand_matches", "payload": {"demand_id": 9}}, "zh") == "需求 #9 有新的匹配"
    )


def test_deal_terms_mark_what_users_typed() -> None:
    from ipai.web.dealview import term_html

    parties = term_html("parties", {"licensee": "Globex", "licensor": "Acme Drones"}, "zh")
    assert (
        parties == "许可方：<span data-source>Acme Drones</span>; 被许可方：<span data-source>Globex</span>"
    )
    assert term_html("title", "技术交底", "en") == "<span data-source>技术交底</span>"
    assert term_html("royalty_rate", 3.5, "zh") == "3.5%"


def test_every_source_format_is_described_in_chinese() -> None:
    from ipai.service import Service
    from ipai.web.ingest import described

    formats = Service.formats()
    zh = described(formats, "zh")
    assert len(zh) == len(formats) >= 20
    for f, d in zip(formats, zh, strict=False):
        assert d["description"] != f["description"], f"no Chinese description of {f['name']}"
        assert foreign_words(visible_text(f"<p>{d['html']}</p>", "zh"), "zh") == [], f["name"]
    epo = next(d for d in zh if d["name"] == "epo-xml")
    assert "<code>ep-patent-document</code>" in epo["html"] and "`" not in epo["description"]


def test_triz_agreement_codes_have_words() -> None:
    from ipai.triz.assistant import _agreement
    from ipai.web.i18n import Translator

    cases = [
        ((), ()),
        ((), (1,)),
        ((1,), ()),
        ((1, 2), (1, 2)),
        ((1, 2), (2, 1)),
        ((1, 2), (2, 3)),
        ((1,), (2,)),
    ]
    codes = {_agreement(a, b) for a, b in cases}
    assert len(codes) == 7
    zh = Translator("zh").messages
    for code in codes:  # the page's key: triz.agree.<code with ", " and " " as "_">
        assert zh[f"triz.agree.{code.replace(', ', '_').replace(' ', '_')}"]
