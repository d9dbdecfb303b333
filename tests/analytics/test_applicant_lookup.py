"""Which applicant a typed name means (ipai.analytics.entities.lookup), on the applicant spellings
of a real Lens export (drones, 1,606 records): Chinese names reach their English spellings through
pinyin and the older romanisations, a name shared by several applicants asks the user to choose."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from ipai.analytics.entities.lookup import candidates, decide, pinyin_spellings, search_clauses

DRONES = "landscape-lens-patentscope/drones_tac_1606_cleaned.csv"


@pytest.fixture(scope="module")
def spellings(shared_data: Path) -> dict[str, set[str]]:
    """Every applicant spelling of the export → the publication numbers naming it."""
    out: dict[str, set[str]] = {}
    with (shared_data / DRONES).open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, skipinitialspace=True):
            for a in row["applicants_use_me"].split(";"):
                if a.strip():
                    out.setdefault(a.strip(), set()).add(row["publication_number"])
    return out


def test_pinyin_spellings_include_the_old_romanisations() -> None:
    assert pinyin_spellings("清华")[:3] == ["QINGHUA", "TSINGHUA", "CHINGHUA"]
    assert "ZHEJIANG" in pinyin_spellings("浙江")
    assert pinyin_spellings("长城") == ["CHANGCHENG"]  # ch is not c + h


def test_search_clauses_of_chinese_and_english_names() -> None:
    assert search_clauses("清华大学") == [
        'pa:"清华大学"',
        'pa:"清华"',
        "pa:QINGHUA",
        "pa:TSINGHUA",
        "pa:CHINGHUA",
    ]
    assert search_clauses("华为技术有限公司")[:3] == ['pa:"华为技术"', 'pa:"华为"', "pa:HUAWEI"]
    assert search_clauses("Yaskawa Electric Corp.") == ["pa:(YASKAWA ELECTRIC)", "pa:YASKAWA"]


@pytest.mark.parametrize("name, label", [("清华大学", "UNIV TSINGHUA"), ("浙江大学", "UNIV ZHEJIANG")])
def test_a_chinese_university_name_finds_its_english_spelling(
    spellings: dict[str, set[str]], name: str, label: str
) -> None:
    found = candidates(name, spellings)
    assert decide(found) == "found"
    assert found[0].label == label and found[0].via == "pinyin"
    assert found[0].documents == len(spellings[label])
    # longer names that only contain the word are offered after it, never taken for it
    assert all(c.score < found[0].score for c in found[1:])


def test_a_word_shared_by_several_applicants_asks_to_choose(spellings: dict[str, set[str]]) -> None:
    found = candidates("Zhejiang", spellings)
    assert decide(found) == "ambiguous"
    labels = [c.label for c in found]
    assert "UNIV ZHEJIANG" in labels and "ZHEJIANG ZHONGHANG ELECTRONIC CO LTD" in labels
    assert all(c.via == "words" for c in found)


def test_the_full_name_is_found_and_an_unknown_one_is_not(spellings: dict[str, set[str]]) -> None:
    found = candidates("SZ DJI Technology Co., Ltd.", spellings)
    assert (
        decide(found) == "found" and found[0].label == "SZ DJI TECHNOLOGY CO LTD" and found[0].via == "name"
    )
    assert decide(candidates("京东方科技集团", spellings)) == "none"


def test_some_of_the_words_is_offered_not_taken() -> None:
    found = candidates("Yaskawa Electric", {"KABUSHIKI KAISHA YASKAWA DENKI": {"EP1"}, "BAYER AG": {"EP2"}})
    assert [c.label for c in found] == ["KABUSHIKI KAISHA YASKAWA DENKI"] and found[0].via == "some_words"
    assert decide(found) == "ambiguous"
