"""Search a searcher can trust, on the shared mixed real corpus (tests/conftest.py): filters are
never matches, nonsense finds nothing, documents with all concepts come first, Chinese queries
find English documents on their topic (and the reverse), associated terms are never parts of the
term or boilerplate."""

from __future__ import annotations

import re
from typing import Any

import pytest

from ipai.search.concepts import BOILERPLATE, _zh_units
from ipai.service import Service

NONSENSE = ["xyzzyqq", "qwzxvbnm ploktrew", "鑫淼焱垚", "嫑嘦烎囧", "zorgleblatt 龘靐"]
FILTERS: list[dict[str, Any]] = [
    {},
    {"cc": "US"},
    {"lang": "zh"},
    {"cls": "G06N"},
    {"year_from": 2000, "lang": "en"},
]


@pytest.fixture(scope="module")
def svc(platform_service: Service) -> Service:
    """The shared service with the mixed corpus indexed (read-only here)."""
    return platform_service


@pytest.mark.parametrize("query", NONSENSE)
@pytest.mark.parametrize("filters", FILTERS)
def test_nonsense_finds_nothing_with_or_without_filters(
    svc: Service, query: str, filters: dict[str, Any]
) -> None:
    for mode in ("hybrid", "keyword", "semantic"):
        res = svc.search(query, filters=filters, mode=mode)
        assert res.hits == [] and res.total == 0 and res.total_keyword == 0, (
            mode,
            [h.title for h in res.hits],
        )


def test_a_filter_is_never_a_match(svc: Service) -> None:
    # documents with "baseball" among the US ones: the total counts exactly those, not the US set
    res = svc.search("baseball", filters={"cc": "US"}, top=500, mode="keyword")
    us = svc.search("cc:US", top=1)
    assert 0 < res.total < us.total and len(res.hits) == res.total
    assert all(
        "baseball" in (h.title + " ".join(p.text for p in h.highlights)).lower() or h.concepts
        for h in res.hits
    )
    # a word no Chinese document here has (棒球, baseball), with the CN filter: nothing counted, and
    # nothing shown but what the meaning check lets through
    none = svc.search("baseball", filters={"cc": "CN"})
    assert none.total == 0 and (none.hits == [] or none.semantic_only)


def test_documents_with_all_concepts_come_first(svc: Service) -> None:
    res = svc.search("neural network camera", top=30)
    carried = [h.concepts for h in res.hits]
    assert res.total_all and carried[0] == len([c for c in res.concepts if c["required"]])
    assert carried == sorted(carried, reverse=True), carried  # never a partial match above a full one
    full = [h for h in res.hits if h.concepts == 2]
    assert len(full) == min(res.total_all, 30)


def test_explicit_or_keeps_its_meaning(svc: Service) -> None:
    either = svc.search("camera OR glove", top=200, mode="keyword")
    cam = svc.search("camera", top=1, mode="keyword")
    glove = svc.search("glove", top=1, mode="keyword")
    assert max(cam.total, glove.total) < either.total <= cam.total + glove.total


@pytest.mark.parametrize(
    "query, on_topic",
    [
        ("神经网络", r"neural"),
        ("棒球", r"baseball"),
        ("电池", r"batter"),
    ],
)
def test_chinese_query_finds_english_documents_on_its_topic(svc: Service, query: str, on_topic: str) -> None:
    res = svc.search(query, filters={"lang": "en"})
    assert len(res.hits) >= 5
    for h in res.hits:
        doc = svc.store.get_document(h.id)
        desc = [p.text for p in doc.description.paragraphs] if doc.description else []
        text = " ".join(
            list(doc.titles.values()) + list(doc.abstracts.values()) + [c.text for c in doc.claims] + desc
        )
        assert re.search(on_topic, text, re.I), (query, h.title)
    forms = {f["text"] for c in res.concepts for f in c["forms"]}
    assert forms - {query}  # the translations used are reported


def test_english_query_finds_chinese_documents_on_its_topic(svc: Service) -> None:
    res = svc.search("battery", filters={"lang": "zh"})
    assert res.hits and all("电池" in h.title for h in res.hits if h.concepts)
    assert sum(1 for h in res.hits if h.concepts) >= 5


def test_same_language_search_does_not_translate(svc: Service) -> None:
    res = svc.search("电池", cross_lingual=False)
    assert res.hits and all("zh" in h.langs for h in res.hits)
    assert all(f["source"] == "query" for c in res.concepts for f in c["forms"])


def test_translation_written_out_is_searched_as_written(svc: Service) -> None:
    # a group in two scripts is the searcher's own translation: exactly its words, nothing added
    both = svc.search("(电池 OR battery)", top=1, mode="keyword")
    zh = svc.search("电池", top=1, mode="keyword", cross_lingual=False)
    en = svc.search("battery", top=1, mode="keyword", cross_lingual=False)
    assert both.total == zh.total + en.total
    assert (
        svc.search("电池", top=1, mode="keyword").total >= both.total
    )  # translated automatically: at least as many


def test_nothing_found_offers_ways_out(svc: Service) -> None:
    res = svc.search("baseball glove", filters={"lang": "de"})
    assert res.hits == [] and res.suggestions
    drops = {tuple(d["drop"]): d["total"] for d in res.suggestions["without_filter"]}
    assert drops[("lang",)] > 0
    typo = svc.search("basebal glove")
    assert typo.suggestions and typo.suggestions["query"] == "baseball glove"


@pytest.mark.parametrize("term", ["无人机", "电池", "neural network", "baseball"])
def test_associated_terms_are_never_parts_of_the_term_or_boilerplate(svc: Service, term: str) -> None:
    out = svc.expand(term, top=20)
    for s in out:
        low = s.term.lower()
        assert low not in term.lower() and low not in BOILERPLATE, s
        assert s.kind in ("translation", "synonym", "narrower", "related") and s.count > 0
    assert all(-1 <= s.score <= 1 for s in out)


def test_associated_terms_of_a_chinese_term_include_its_translation(svc: Service) -> None:
    kinds = {s.term: s.kind for s in svc.expand("电池")}
    assert kinds.get("battery") == "translation"
    assert all(t not in kinds for t in ("电", "池", "方法", "系统"))


def test_chinese_units_keep_names_and_dictionary_words_whole() -> None:
    assert _zh_units("无人机电池") == ["无人机", "电池"]
    assert _zh_units("利托那韦") == ["利托那韦"]  # a transliterated name, not 利托 + 那 + 韦
    assert _zh_units("深度学习") == ["深度学习"]  # one dictionary word across the segmenter's split


def test_similar_orders_by_invention(svc: Service) -> None:
    src = next(h for h in svc.search("baseball bat", top=20, mode="keyword").hits if "bat" in h.title.lower())
    res = svc.similar(src.id, top=8)
    assert res.hits and src.id not in [h.id for h in res.hits]
    meanings = [h.meaning for h in res.hits]
    assert all(m is not None for m in meanings) and meanings == sorted(meanings, reverse=True)
    on_topic = [h for h in res.hits if re.search(r"bat|baseball|ball|swing", h.title, re.I)]
    assert len(on_topic) >= 6, [h.title for h in res.hits]
