"""Patentability that sees a paraphrase or a translation: the claim's technical elements (no
boilerplate), support read by meaning and words, X/Y/A cut at fitted thresholds — on real
documents of the platform corpus (EPO B1 samples, Chinese abstracts)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from ipai.assess.calibration import params
from ipai.assess.categorize import categorize
from ipai.assess.features import claim_features, decompose
from ipai.assess.report import assess_text, map_documents
from ipai.errors import InputError
from ipai.evals.corpus import monolingual
from ipai.service import Service

# CN115794481A's abstract, reworded as an agent would claim it (different words throughout)
CN_PARAPHRASE = (
    "一种存储控制器，包括：故障预测单元，用于预测导致存储装置出错的故障；纠错码管理单元，根据所预测的故障对故障类型"
    "进行分类；以及多个纠错码引擎，按照分类得到的故障类型并行执行纠错；其特征在于，所述故障预测单元包括错误分析模块"
    "和故障预测网络，错误分析模块接收与错误相关的原始数据并处理成可用于机器学习的错误概况，故障预测网络以错误概况为"
    "输入进行机器学习并预测导致错误的故障。"
)


def test_features_are_the_claims_elements_never_boilerplate() -> None:
    disclosure = (
        "本发明涉及存储技术领域。现有的存储器容易出错，存在可靠性差的问题。本发明提供一种存储器控制器，"
        "该存储器控制器包括故障预测器、纠错码管理器和多个纠错码引擎，所述故障预测器预测引起错误的故障，"
        "所述纠错码管理器基于预测出的故障对故障的类型进行分类。本发明提高了存储器的可靠性。"
    )
    texts = [f.text for f in decompose(disclosure).features]
    assert any("故障预测器预测引起错误的故障" in t for t in texts)
    assert not any(w in t for t in texts for w in ("涉及", "问题", "提高了"))
    english = (
        "The present invention relates to batteries. Conventional packs overheat, which is a problem. "
        "The invention provides a battery pack comprising a housing with cooling fins and a fan that blows "
        "air over the cells when a temperature sensor reads more than 40 degrees. "
        "The invention has the advantage of a longer life."
    )
    texts = [f.text for f in decompose(english).features]
    assert texts and all("relates" not in t and "problem" not in t and "advantage" not in t for t in texts)
    dep = claim_features(
        "The system of claim 1, wherein the base chip is incorporated into a wristband base.", "en"
    )
    assert "claim" not in dep[0].text.lower() and "wristband" in dep[0].text


def test_a_claim_is_cut_alike_in_english_german_and_french(platform_service: Service) -> None:
    doc = platform_service.resolve("EP3404678B")
    cut = {
        lg: claim_features(next(c.text for c in doc.claims if c.lang == lg and c.num == 1), lg)
        for lg in ("en", "de", "fr")
    }
    assert cut["de"][0].plain == "Hochspannungsanordnung" and cut["fr"][0].plain == "Ensemble haute tension"
    assert len(cut["en"]) == len(cut["de"]) == len(cut["fr"]) == 8
    assert [f.kind for f in cut["en"]] == [f.kind for f in cut["de"]] == [f.kind for f in cut["fr"]]
    assert not any("(" in f.plain for fs in cut.values() for f in fs)  # reference signs dropped


def test_german_claim_makes_its_own_english_document_x(platform_service: Service) -> None:
    """EP3404678B1 claim 1 in German against the B1 kept in English only (its own German claims
    removed), and against another EPO grant of another field."""
    engine = platform_service.search_engine
    doc = platform_service.resolve("EP3404678B")
    german = next(c.text for c in doc.claims if c.lang == "de" and c.num == 1)
    own = monolingual(copy.deepcopy(doc))
    other = monolingual(copy.deepcopy(platform_service.resolve("EP2007181A")))
    assert {c.lang for c in own.claims} == {"en"}
    dec = decompose(german)
    assessed, mapper = map_documents(engine, dec, [(1, own, 0.0), (2, other, 0.0)])
    categorize(dec.features, assessed, "zh")
    assert mapper.semantic is not None
    assert [a.category for a in assessed] == ["X", "A"]
    assert min(s.score for s in assessed[0].supports) >= params().covered
    assert max(s.score for s in assessed[1].supports) < params().covered


def test_chinese_paraphrase_makes_its_own_document_x(platform_service: Service) -> None:
    engine = platform_service.search_engine
    unrelated = "CN118395868A"  # a flood-forecasting model: another field
    r = assess_text(engine, CN_PARAPHRASE, candidates=["CN115794481A", unrelated], lang="zh")
    cat = {d["id"]: d["category"] for d in r["prior_art"]}
    assert cat == {"CN115794481A": "X", unrelated: "A"}
    assert r["indicators"]["novelty"]["level"] == "at risk"
    assert r["indicators"]["novelty"]["reasons"][0].startswith("CN115794481A 公开了全部特征")
    assert r["semantic"]["available"] and r["thresholds"]["covered"] == params().covered


def test_fitted_parameters_are_shipped() -> None:
    p = params()
    assert p.calibrated_on["patentability"]["split"] == "dev" and p.calibrated_on["charts"]["split"] == "dev"
    assert 0 < p.partial < p.covered < 1 and 0 < p.unclear <= p.present < 1
    assert p.full["rel"] > 0 and p.full["lex"] > 0  # both signals carry support


@pytest.mark.parametrize("lang,word", [("zh", "为空"), ("en", "is empty")])
def test_bad_input_names_the_field_in_the_users_language(
    platform_service: Service, lang: str, word: str
) -> None:
    with pytest.raises(InputError) as exc:
        assess_text(platform_service.search_engine, "  ", lang=lang)
    assert exc.value.errors[0]["field"] == "text" and word in exc.value.message
    with pytest.raises(InputError) as exc:
        assess_text(platform_service.search_engine, CN_PARAPHRASE, top=0, lang=lang)
    assert exc.value.errors[0]["field"] == "top"


def test_eval_patentability_cli_on_a_small_corpus(
    shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ipai.cli import main

    grant = shared_data / "epo-xml-samples" / "grant"
    claims = {
        c["id"]: c
        for c in map(json.loads, Path("evals/cases/patentability.jsonl").read_text("utf-8").splitlines())
    }
    cases = tmp_path / "cases.jsonl"
    cases.write_text(
        "\n".join(
            json.dumps({**claims[i], "split": "test"}, ensure_ascii=False) for i in ("translation-de-017",)
        )
        + "\n",
        encoding="utf-8",
    )  # the claim read above
    argv = [
        "--home",
        str(tmp_path / "h"),
        "eval",
        "patentability",
        str(cases),
        "--split",
        "test",
        "--corpus",
        str(grant / "v1-5-B1.xml"),
        "--corpus",
        str(grant / "v1-1-B1.xml"),
        "--details",
    ]
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert out["overall"]["cases"] == 1 and out["overall"]["own_x"] == 1.0
    assert out["overall"]["false_x_unrelated"] == 0.0 and out["overall"]["unrelated"] == 1
    assert out["by_kind"]["translation-de"]["own_retrieved"] == 1.0
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "kind": "paraphrase-en", "split": "train", "doc": "EP1", "claim": "A b."}\n')
    assert main(["--home", str(tmp_path / "h"), "eval", "patentability", str(bad)]) == 2
    assert "split" in capsys.readouterr().err
