"""Claim charts on a real claim (EP2007181A, an industrial-robot controller from the EPO XML
samples) against product descriptions written here, in English and in Chinese."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from ipai.errors import InputError, NotFound
from tests.webforms import with_csrf

FULL = """The RC-900 robot controller drives our six-axis industrial robot arms.
Its lower housing accommodates the servo amplifier unit, and an upper housing accommodates the main CPU board and the power supply.
A front door closes the lower housing; the door swings open on a hinge mounted on the side of the lower housing.
A second hinge runs along the sides of the lower housing and the upper housing, so the whole upper housing swings open and exposes the entire lower housing for maintenance."""
PARTIAL = """The RC-500 robot controller drives our industrial robot arms.
A single steel enclosure holds the servo amplifiers, the CPU board and the power supply.
Service staff remove the screwed rear panel to reach the electronics."""
FULL_ZH = """RC-900 工业机器人控制器用于驱动六轴机器人。
下部壳体内容纳伺服放大器，上部壳体内容纳主控电路板和电源装置。
前门关闭下部壳体，前门通过安装在下部壳体侧面的铰链打开和关闭。
另一个铰链设置在下部壳体和上部壳体的侧面，整个上部壳体可以绕该铰链打开，露出整个下部壳体以便维修。"""
PARTIAL_ZH = """RC-500 工业机器人控制器用于驱动机器人。
单个钢制机箱内装有伺服放大器、电路板和电源。
维修人员拆下用螺钉固定的后盖板进行维修。"""


def _status(r: dict[str, Any]) -> dict[str, str]:
    return {f["id"]: f["status"] for f in r["charts"][0]["features"]}


def test_english_product_with_every_feature_and_one_without_the_hinges(platform_service: Any) -> None:
    r = platform_service.fto.compare_product("EP2007181A", FULL)
    chart = r["charts"][0]
    assert r["best_claim"] == 1 and [f["kind"] for f in chart["features"]][:2] == ["preamble", "element"]
    st = _status(r)
    assert "absent" not in st.values() and chart["literal_coverage"] >= 0.6  # housings may be "unclear": the
    assert st["F1"] == st["F4"] == st["F5"] == "present"  # claim says "internal device"
    hinge = next(f for f in chart["features"] if f["id"] == "F5")
    assert "<mark>hinge</mark>" in hinge["product_passage"] and hinge["where"] == "¶4"
    p = platform_service.fto.compare_product("EP2007181A", PARTIAL)
    st = _status(p)
    assert st["F1"] == "present" and st["F4"] == st["F5"] == "absent"
    assert p["literal_coverage"] < r["literal_coverage"] and "not found" in p["charts"][0]["verdict"]
    assert chart["literal_coverage"] == sum(f["status"] == "present" for f in chart["features"]) / len(
        chart["features"]
    )


def test_chinese_product_against_the_english_claim(platform_service: Any) -> None:
    r = platform_service.fto.compare_product("EP2007181A", FULL_ZH)
    st = _status(r)
    assert r["charts"][0]["product_lang"] == "zh"
    assert st["F1"] == st["F4"] == "present" and st["F5"] != "absent"
    feats = {f["id"]: f for f in r["charts"][0]["features"]}
    assert (
        "铰链" in feats["F4"]["product_passage"] and feats["F4"]["where"] == "¶3"
    )  # the front-door paragraph
    assert feats["F5"]["where"] == "¶4" and "上部壳体" in feats["F5"]["best_passage"]
    assert r["charts"][0]["lang"] == "zh" and feats["F1"]["status_text"] == "具备"
    p = platform_service.fto.compare_product("EP2007181A", PARTIAL_ZH)
    assert _status(p)["F4"] == _status(p)["F5"] == "absent" and p["literal_coverage"] < r["literal_coverage"]


def test_scan_finds_the_patent_a_product_reads_on(platform_service: Any) -> None:
    r = platform_service.fto.scan_product(FULL, top=5)
    assert r["charted"] >= 1 and r["patents"][0]["patent"] == "EP2007181A"
    assert r["patents"][0]["literal_coverage"] >= 0.6 and r["without_claims"] >= 0


def test_bad_input(platform_service: Any) -> None:
    with pytest.raises(InputError) as e:
        platform_service.fto.compare_product("EP2007181A", "   ")
    assert e.value.errors[0]["field"] == "product"
    with pytest.raises(InputError):
        platform_service.fto.compare_product("EP2007181A", FULL, claim=99)
    with pytest.raises(NotFound):
        platform_service.fto.compare_product("EP9999999A", FULL)
    nn = platform_service.search("neural network", top=1).hits[0].id  # PatentsView abstracts: no claims
    with pytest.raises(NotFound, match="no claims"):
        platform_service.fto.compare_product(nn, FULL)


def test_api_cli_and_web(platform_service: Any, tmp_path: Any, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from ipai.api import create_app
    from ipai.cli import main

    c = with_csrf(TestClient(create_app(service=platform_service)))
    r = c.post("/api/v1/fto/compare", json={"number": "EP2007181A", "product": FULL})
    assert r.status_code == 200 and r.json()["charts"][0]["features"][0]["status"] == "present"
    assert c.post("/api/v1/fto/compare", json={"number": "EP2007181A", "product": ""}).status_code == 400
    assert (
        c.post("/api/v1/fto/compare", json={"number": "EP2007181A", "product": FULL, "x": 1}).status_code
        == 400
    )
    s = c.post("/api/v1/fto/scan", json={"product": FULL, "top": 3})
    assert s.status_code == 200 and s.json()["patents"][0]["patent"] == "EP2007181A"
    page = c.post("/fto", data={"number": "EP2007181A", "product": FULL_ZH}, params={"lang": "zh"})
    assert page.status_code == 200 and 'data-testid="claim-chart"' in page.text and "具备" in page.text
    f = tmp_path / "product.txt"
    f.write_text(FULL, encoding="utf-8")
    capsys.readouterr()
    assert (
        main(
            [
                "--home",
                str(platform_service.settings.home),
                "fto",
                "compare",
                "EP2007181A",
                "--product",
                str(f),
                "--json",
            ]
        )
        == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert out["patent"] == "EP2007181A" and out["charts"][0]["literal_coverage"] >= 0.6


US_PRODUCT = """The VitalLink kit is a system for measuring physiological signals such as ECG and heart rate.
A disposable adhesive patch records the ECG and stores it on a memory card.
The patient hands the memory card to the clinic, where the recordings are read on a desktop computer."""
US_PRODUCT_ZH = """VitalLink 套件是一种测量生理信号的系统，可测量心电和心率。
一次性贴片记录心电并保存到存储卡中。
患者把存储卡交给诊所，由台式电脑读取记录。"""


def test_plain_statements_are_present_and_missing_elements_absent(
    platform_service: Any, shared_data: Any
) -> None:
    """US8926509B2 claim 1 (the shared USPTO XML sample): a product text that plainly says "a
    system for measuring physiological signals" has that element (it was ✘ before); a patch that
    only stores to a memory card has none of the claimed chips and radios."""
    from ipai.evals.corpus import records
    from ipai.fto.claims import claim_chart

    doc = records(shared_data / "uspto-xml-samples" / "xml2014" / "US08926509.xml")[0]
    claim = next(c.text for c in doc.claims if c.num == 1)
    chart = claim_chart(platform_service.search_engine, claim, US_PRODUCT)
    feats = {f["feature"][:30]: f for f in chart["features"]}
    assert feats["A system for measuring physiol"]["status"] == "present"
    assert feats["A system for measuring physiol"]["where"] == "¶1"
    assert feats["the gate-ASIC chip comprising "]["status"] == "absent"
    assert feats["a host interface through which"]["status"] == "absent"
    assert chart["literal_coverage"] == round(1 / len(chart["features"]), 3)  # 1 of 6 elements
    assert chart["verdict_fact"]["code"] == "chart_missing" and chart["verdict"].startswith("element(s) F2")
    zh = claim_chart(platform_service.search_engine, claim, US_PRODUCT_ZH)  # the same product, in Chinese
    feats = {f["feature"][:30]: f for f in zh["features"]}
    pre = feats["A system for measuring physiol"]
    assert pre["status"] == "present" and pre["where"] == "¶1" and pre["status_text"] == "具备"
    assert feats["the gate-ASIC chip comprising "]["status"] != "present"
    assert zh["lang"] == "zh" and zh["literal_coverage"] < 1 and zh["verdict_fact"]["code"] != "chart_all"
    assert zh["verdict"].startswith(
        ("未找到特征", "没有明确缺失的特征")
    )  # the verdict in the reader's language


@pytest.mark.parametrize("lang,word", [("zh", "产品描述为空"), ("en", "product description is empty")])
def test_bad_product_is_refused_in_the_users_language(platform_service: Any, lang: str, word: str) -> None:
    with pytest.raises(InputError) as e:
        platform_service.fto.compare_product("EP2007181A", " ", lang=lang)
    assert e.value.errors[0]["field"] == "product" and word in e.value.message
