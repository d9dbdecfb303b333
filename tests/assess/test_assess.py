"""Patentability assessment on real claims and abstracts: features, evidence, X/Y/A, surfaces."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ipai.assess.calibration import params
from ipai.assess.categorize import Assessed, categorize
from ipai.assess.features import Feature, decompose
from ipai.assess.mapping import Support
from ipai.cli import main
from ipai.errors import InputError
from ipai.search.analysis import index_tokens
from ipai.service import Service
from tests.test_claims_cn import LIQUID_COOLED_SERVER
from tests.webforms import with_csrf


def _marked_words(html_text: str) -> list[str]:
    return re.findall(r"<mark>(.*?)</mark>", html_text)


def test_english_claim_is_cut_into_preamble_elements_and_characterising_part(
    platform_service: Service,
) -> None:
    claim = platform_service.resolve("EP3404678B1").claims[0].text
    dec = decompose(claim)
    kinds = [f.kind for f in dec.features]
    assert (
        dec.lang == "en" and kinds[0] == "preamble" and "element" in kinds and kinds[-1] == "characterising"
    )
    assert dec.features[0].text.startswith("A high voltage assembly")
    assert all(f.keys for f in dec.features)


def test_real_chinese_claim_features() -> None:
    dec = decompose(LIQUID_COOLED_SERVER)
    assert dec.source == "claims" and dec.lang == "zh"
    assert dec.features[0].kind == "preamble" and "封闭式液冷服务器" in dec.features[0].text
    chars = [f for f in dec.features if f.kind == "characterising"]
    assert any("制冷剂" in f.text for f in chars) and any("硅油" in f.text for f in chars)
    assert "权利要求" not in " ".join(f.text for f in dec.features)  # claim 2 is not assessed


def test_stored_claim_is_anticipated_by_its_own_document(platform_service: Service) -> None:
    doc = platform_service.resolve("EP3404678B1")
    r = platform_service.assessment.assess(doc.claims[0].text, top=5)
    own = next(d for d in r["prior_art"] if d["id"] == doc.id)
    assert own["category"] == "X" and set(own["covered"]) == {f["id"] for f in r["features"]}
    assert (
        r["indicators"]["novelty"]["level"] == "at risk"
        and doc.id in r["indicators"]["novelty"]["reasons"][0]
    )
    # every quoted passage really contains words of its feature
    keys = {f["id"]: set(f["keys"]) for f in r["features"]}
    for s in own["supports"]:
        words = _marked_words(s["text"])
        assert words, s
        assert any(set(index_tokens(w, "en")) & keys[s["feature"]] for w in words)
    assert not r["distinguishing"]


def test_chinese_disclosure_gives_a_complete_report(platform_service: Service) -> None:
    cn = next(
        d
        for d in (
            platform_service.resolve(i["id"])
            for i in platform_service.documents(country="CN", limit=500)["items"]
        )
        if len(d.abstracts.get("zh", "")) > 120
    )
    disclosure = cn.abstracts["zh"] + "\n该方案结构简单，成本低，便于推广应用。"
    r = platform_service.assessment.assess(disclosure, top=5)
    assert r["input"]["source"] == "disclosure" and r["input"]["lang"] == "zh"
    assert len(r["features"]) >= 2 and r["prior_art"] and r["indicators"]["novelty"]["reasons"]
    top = next(d for d in r["prior_art"] if d["id"] == cn.id)
    assert top["coverage"] > 0.6
    keys = {f["id"]: set(f["keys"]) for f in r["features"]}
    for s in top["supports"]:
        if s["lexical"] > 0:
            assert any(set(index_tokens(w, "zh")) & keys[s["feature"]] for w in _marked_words(s["text"]))


def test_categories_x_y_a_and_the_motivation() -> None:
    feats = [Feature(f"F{i}", f"feature {i}", "element", [f"k{i}"]) for i in (1, 2, 3)]

    def doc(scores: list[float], n: str) -> Assessed:
        from ipai.model import PatentDocument, PubNo

        d = PatentDocument(
            pubno=PubNo(country="US", number=n, kind="B1"),
            classifications=[{"scheme": "cpc", "code": "H01M10/42"}],
        )
        return Assessed(d, 1, 0.0, [Support(f"F{i}", s, s, 0.0) for i, s in enumerate(scores, 1)])

    hi, lo = (params().covered + 1) / 2, params().covered / 2  # disclosed / not disclosed at the fitted cut
    x, a1, a2, weak = (
        doc([hi, hi, hi], "1"),
        doc([hi, hi, 0.0], "2"),
        doc([0.0, 0.0, hi], "3"),
        doc([lo, 0.0, 0.0], "4"),
    )
    out = categorize(feats, [x, a1, a2, weak])
    assert [d.category for d in (x, a1, a2, weak)] == ["X", "Y", "Y", "A"]
    assert out["combinations"][0]["documents"] == [a1.doc.id, a2.doc.id]
    assert "H01M10" in out["combinations"][0]["motivation"]["shared_groups"]
    only = categorize(feats, [doc([hi, lo, lo], "5")], "zh")
    assert [d["feature"] for d in only["distinguishing"]] == ["F2", "F3"]
    assert only["indicators"]["novelty"]["level"] == "likely novel"
    assert only["indicators"]["novelty"]["reasons"] == [
        "检索到的文献均未公开全部 3 项特征；最接近的 US5B 缺少 F2、F3"
    ]


@pytest.mark.parametrize("bad", ["", "   ", "x" * 100_001, "abc\x00\x01def"])
def test_bad_input_is_refused_clearly(platform_service: Service, bad: str) -> None:
    with pytest.raises(InputError) as exc:
        platform_service.assessment.assess(bad)
    assert exc.value.errors[0]["field"] == "text"


def test_cli_formats_and_bad_files(
    platform_service: Service, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = str(platform_service.settings.home)
    claim = tmp_path / "claim.txt"
    claim.write_text(platform_service.resolve("EP3404678B1").claims[0].text, encoding="utf-8")
    assert main(["--home", home, "assess", "--file", str(claim), "--format", "json", "--top", "3"]) == 0
    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert report["prior_art"][0]["category"] == "X"
    out = tmp_path / "r.html"
    assert main(["--home", home, "assess", "--file", str(claim), "--format", "html", "-o", str(out)]) == 0
    assert "<mark>" in out.read_text(encoding="utf-8") and "EP 3404678 B1" in out.read_text(encoding="utf-8")
    assert main(["--home", home, "assess", "--file", str(claim), "--lang", "zh"]) == 0
    assert "专利性检索报告" in capsys.readouterr().out
    binary = tmp_path / "x.pdf"
    binary.write_bytes(b"%PDF-1.4\x00\x01\x02")
    assert main(["--home", home, "assess", "--file", str(binary)]) == 2
    assert "not a text file" in capsys.readouterr().err


def test_api_and_web(platform_service: Service) -> None:
    from ipai.api import create_app

    c = with_csrf(TestClient(create_app(service=platform_service)))
    text = platform_service.resolve("EP3404678B1").claims[0].text
    r = c.post("/api/v1/assess", json={"text": text, "top": 3})
    assert r.status_code == 200 and r.json()["prior_art"][0]["category"] == "X"
    md = c.post("/api/v1/assess?format=md&lang=zh", json={"text": text, "top": 3})
    assert md.headers["content-type"].startswith("text/markdown") and "技术特征" in md.text
    bad = c.post("/api/v1/assess", json={"text": ""})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "text"
    page = c.post("/assess", data={"text": text, "top": "3"})
    assert page.status_code == 200 and 'data-category="X"' in page.text and "<mark>" in page.text
    assert c.post("/assess", data={"text": " "}).status_code == 400


@pytest.mark.slow
def test_eval_search_report_runs_on_real_files(
    shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    epo = shared_data / "epo-xml-samples"
    assert (
        main(["--home", str(tmp_path), "eval", "search-report", str(epo), "--sample", "4", "--top", "5"]) == 0
    )
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    selfc = out["self_anticipation"]
    assert out["documents"] == 33 and selfc["claims"] == 4
    assert selfc["own_document_x"] >= 0.5 and selfc["report_ms_max"] >= 0
    assert "cases" in out["cited_prior_art"]
