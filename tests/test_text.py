"""Text analysis: language detection, Chinese, English, claim parsing."""

from __future__ import annotations

import pytest

from ipai.text import chinese, english
from ipai.text.claims import claim_refs, split_claims
from ipai.text.lang import detect


@pytest.mark.parametrize(
    "text,lang",
    [
        ("一种水电站高压输电线路驱鸟保护装置", "zh"),
        ("電腦網絡與無人機", "zh"),
        (
            "Verfahren Und Gerät Zur Fernbedienung Einer Drohne, Insbesondere Einer Drohne Mit Drehflügeln",
            "de",
        ),
        ("ENSEMBLE À HAUTE TENSION ET PROCÉDÉ DE FONCTIONNEMENT DE L'ENSEMBLE À HAUTE TENSION", "fr"),
        ("A method and apparatus for determining the sweet spot of a baseball bat", "en"),
        ("Pizza Pan", "en"),  # too short to judge: the default
        ("ドローンの制御装置", "ja"),
    ],
)
def test_language_detection(text: str, lang: str) -> None:
    assert detect(text, default="en") == lang


def test_chinese_segmentation_and_folding() -> None:
    assert chinese.to_simplified("專利檢索") == "专利检索"
    words = chinese.segment("一种基于自然语言处理的银行客服会话问答处理方法")
    assert "自然语言" in words and "银行" in words


def test_english_stemming() -> None:
    assert english.analyze("The networks are training") == ["network", "train"]


@pytest.mark.parametrize(
    "text,num,lang,refs",
    [
        ("The method of claim 1, wherein", 2, None, [1]),
        ("A device as claimed in any one of claims 1 to 3 and 5", 6, None, [1, 2, 3, 5]),
        ("Apparatus according to any preceding claim", 4, None, [1, 2, 3]),
        ("根据权利要求1至3中任一项所述的装置", 4, "zh", [1, 2, 3]),
        ("如权利要求1或2所述的方法，其特征在于", 3, "zh", [1, 2]),
        ("根据前述权利要求中任一项所述的装置", 3, "zh", [1, 2]),
        ("Vorrichtung nach einem der Ansprüche 1 bis 3, dadurch gekennzeichnet", 4, "de", [1, 2, 3]),
        ("Vorrichtung nach einem der vorhergehenden Ansprüche", 3, "de", [1, 2]),
        ("Procédé selon l'une quelconque des revendications 1 à 3", 5, "fr", [1, 2, 3]),
        ("A system comprising a processor.", 1, None, []),
        ("Vorrichtung nach einem vorstehenden Anspruch, wobei", 3, "de", [1, 2]),
        ("Procédé selon une quelconque revendication précédente", 4, "fr", [1, 2, 3]),
        ("Method according to the first claim, wherein", 3, None, [1]),
        ("The method of the preceding claim, wherein", 5, None, [4]),
        ("根据任何一项前述权利要求所述的裙子", 4, "zh", [1, 2, 3]),
        ("The method of claim 7", 3, None, []),  # forward references are not dependencies
    ],
)
def test_claim_references(text: str, num: int, lang: str | None, refs: list[int]) -> None:
    assert claim_refs(text, num, lang) == refs


def test_split_english_claims_ignores_numbers_inside_claims() -> None:
    blob = (
        "What is claimed is: 1. A method comprising heating to 1. 5 bar; and cooling. "
        "2. The method of claim 1, wherein the bar is 3. 3. The method of claim 2 or 1, further comprising y."
    )
    claims = split_claims(blob)
    assert [c.num for c in claims] == [1, 2, 3]
    assert claims[0].independent and claims[0].text.startswith("A method")
    assert claims[2].depends_on == [1, 2]


def test_split_chinese_claims() -> None:
    blob = (
        "1.一种驱鸟保护装置，其特征在于，包括底座。2.根据权利要求1所述的驱鸟保护装置，其特征在于：所述底座为钢制。"
        "3、如权利要求1或2所述的装置，其特征在于，还包括支架。"
    )
    claims = split_claims(blob, "zh")
    assert [(c.num, c.depends_on) for c in claims] == [(1, []), (2, [1]), (3, [1, 2])]
