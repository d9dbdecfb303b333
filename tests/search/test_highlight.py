"""Passage marking: every matched word marked once, the rest escaped."""

from __future__ import annotations

from ipai.search.highlight import _mark, query_keys


def test_repeated_chinese_words_in_one_run_are_marked_once() -> None:
    text, n = _mark("一种钠离子电池或钠电池及电池组", query_keys(["电池"]), "zh")
    assert "<mark><mark>" not in text and text.count("<mark>电池</mark>") == 3 and n == 1


def test_english_words_marked_and_html_escaped() -> None:
    text, n = _mark("A <b>battery</b> & batteries pack", query_keys(["battery"]), "en")
    assert "&lt;b&gt;" in text and "<mark>battery</mark>" in text and "<mark>batteries</mark>" in text
    assert n == 1
