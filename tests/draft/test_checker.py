"""The claim checker on real EP and US claim sets (unaltered, then with seeded errors), on Chinese
claim sets written for these tests (the shared data has no Chinese claims), and through the CLI,
the API and the web page."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ipai.draft.checker import check_claims
from ipai.errors import InputError
from tests.webforms import with_csrf

DATA = Path(__file__).resolve().parents[2] / "../shared/data"


@pytest.fixture(scope="module")
def svc(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A service holding the EPO and USPTO XML samples (real full claim sets with descriptions)."""
    from ipai.service import Service
    from ipai.settings import load_settings

    s = Service(load_settings(home=tmp_path_factory.mktemp("ck") / "home", progress=False))
    s.corpus.ingest([DATA / "epo-xml-samples", DATA / "uspto-xml-samples"])
    yield s
    s.close()


@pytest.fixture(scope="module")
def docs(svc: Any) -> dict[str, Any]:
    return {d.id: d for d in svc.store.iter_documents() if d.claims}


def _claims(doc: Any) -> list[dict[str, Any]]:
    return [{"num": c.num, "text": c.text} for c in doc.claims_in("en")]


def _desc(doc: Any) -> str | None:
    return doc.description.text if doc.description is not None and doc.description.lang == "en" else None


def _keys(res: dict[str, Any]) -> set[tuple[str, int, str]]:
    return {(f["rule"], f["claim"], f["text"]) for f in res["findings"]}


def _new(base: dict[str, Any], altered: dict[str, Any]) -> list[dict[str, Any]]:
    before = _keys(base)
    return [f for f in altered["findings"] if (f["rule"], f["claim"], f["text"]) not in before]


def _alter(claims: list[dict[str, Any]], num: int, old: str, new: str) -> list[dict[str, Any]]:
    out = [dict(c) for c in claims]
    c = out[num - 1]
    assert old in c["text"], (num, old)
    c["text"] = c["text"].replace(old, new, 1)
    return out


# ---- real claims, unaltered ------------------------------------------------------------------------------


def test_real_claims_errors_are_only_the_verified_ones(docs: dict[str, Any]) -> None:
    """Every error the checker raises on the real EP/US claim sets was checked by hand and is right:
    "claim I" (an OCR'd "1") in EP1019261B, and system claim 12 of US8926509B depending on method claim 11."""
    from ipai.evals.claims import check_document

    errors = set()
    n = 0
    for d in docs.values():
        for res in check_document(d):
            n += res["counts"]["claims"]
            errors |= {(d.id, f["claim"], f["rule"]) for f in res["findings"] if f["severity"] == "error"}
    assert n > 600
    assert errors == {
        ("EP1019261B", 3, "ref-unparsed"),
        ("EP1019261B", 5, "ref-unparsed"),
        ("US8926509B", 12, "category"),
    }


def test_real_category_error_position(docs: dict[str, Any]) -> None:
    res = check_claims(_claims(docs["US8926509B"]), office="US")
    f = next(f for f in res["findings"] if f["rule"] == "category")
    assert f["claim"] == 12 and f["text"] == "system" and f["start"] == 4 and f["end"] == 10
    assert "claim 11" in f["message"] and f["suggestion"]


# ---- seeded errors in real claims ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def us(docs: dict[str, Any]) -> tuple[list[dict[str, Any]], str | None, dict[str, Any]]:
    d = docs["US20010000044A"]
    claims, desc = _claims(d), _desc(d)
    assert len(claims) == 21 and desc
    return claims, desc, check_claims(claims, description=desc, office="US")


@pytest.fixture(scope="module")
def ep(docs: dict[str, Any]) -> tuple[list[dict[str, Any]], str | None, dict[str, Any]]:
    d = docs["EP3383757B"]
    claims, desc = _claims(d), _desc(d)
    assert len(claims) == 8
    return claims, desc, check_claims(claims, description=desc, office="EP")


def test_unaltered_us_set_has_no_structural_findings(us: Any) -> None:
    _, _, base = us
    assert base["counts"]["by_severity"]["error"] == 0
    assert not [
        f for f in base["findings"] if f["rule"] in ("antecedent", "ref-forward", "ref-missing", "category")
    ]


def test_removed_antecedent_is_found(us: Any) -> None:
    claims, desc, base = us
    altered = _alter(claims, 1, "network, a description of a product;", "network;")
    new = _new(base, check_claims(altered, description=desc, office="US"))
    assert [(f["rule"], f["claim"], f["text"]) for f in new] == [("antecedent", 1, "the product")]
    text = altered[0]["text"]
    assert text[new[0]["start"] : new[0]["end"]] == "the product" and new[0]["start"] == text.index(
        "the product"
    )


def test_broken_references_are_found(us: Any) -> None:
    claims, desc, base = us
    altered = _alter(_alter(claims, 5, "of claim 4", "of claim 25"), 7, "of claim 1", "of claim 9")
    new = _new(base, check_claims(altered, description=desc, office="US"))
    got = {(f["rule"], f["claim"], f["text"], f["severity"]) for f in new}
    assert got == {("ref-missing", 5, "claim 25", "error"), ("ref-forward", 7, "claim 9", "error")}


def test_multiple_dependent_on_multiple_dependent(us: Any) -> None:
    claims, desc, base = us
    altered = _alter(_alter(claims, 4, "of claim 3", "of claim 2 or 3"), 5, "of claim 4", "of claim 1 or 4")
    for office in ("US", "CN"):
        base = check_claims(claims, description=desc, office=office)
        new = _new(base, check_claims(altered, description=desc, office=office))
        assert [(f["rule"], f["claim"], f["text"]) for f in new] == [
            ("multiple-dependent-chain", 5, "claim 1 or 4")
        ]
    ep_new = [
        f
        for f in check_claims(altered, description=desc, office="EP")["findings"]
        if f["rule"].startswith("multiple")
    ]
    assert ep_new == []  # the EPO allows it
    base = check_claims(claims, description=desc, office="US")
    cumulative = _alter(claims, 4, "of claim 3", "of claims 2 and 3")
    new = _new(base, check_claims(cumulative, description=desc, office="US"))
    assert [(f["rule"], f["claim"], f["text"]) for f in new] == [
        ("multiple-dependent-form", 4, "claims 2 and 3")
    ]


def test_unaltered_ep_set_and_seeded_numeral(ep: Any) -> None:
    claims, desc, base = ep
    assert base["counts"]["by_severity"]["error"] == 0
    altered = _alter(claims, 1, "a spring (7)", "a spring (6)")
    new = _new(base, check_claims(altered, description=desc, office="EP"))
    assert [(f["rule"], f["claim"], f["text"]) for f in new] == [("reference-numeral", 1, "spring (6)")]
    assert "inner cap" in new[0]["message"] or "cap" in new[0]["message"]


def test_seeded_about_and_category(ep: Any) -> None:
    claims, desc, base = ep
    altered = _alter(claims, 6, "grade of N45", "grade of about 45")
    new = _new(base, check_claims(altered, description=desc, office="EP"))
    assert [(f["rule"], f["claim"], f["text"], f["severity"]) for f in new] == [
        ("unclear-term", 6, "about", "warning")
    ]
    altered = _alter(claims, 3, "The container-closure system of claim 2", "The method of claim 2")
    new = _new(base, check_claims(altered, description=desc, office="EP"))
    assert [(f["rule"], f["claim"], f["text"], f["severity"]) for f in new] == [
        ("category", 3, "method", "error")
    ]


# ---- Chinese claim sets (written for these tests) --------------------------------------------------------

ZH_OK = """1. 一种电动自行车的制动装置，包括车架、安装于所述车架上的制动杆和电机控制器，其特征在于：所述制动杆上设有霍尔传感器，所述霍尔传感器与所述电机控制器电连接。
2. 根据权利要求1所述的制动装置，其特征在于：所述霍尔传感器通过支架固定在所述制动杆上，所述支架为铝合金材质。
3. 根据权利要求1或2所述的制动装置，其特征在于：所述电机控制器包括信号处理模块和断电模块，所述信号处理模块接收所述霍尔传感器的信号。
4. 根据权利要求3所述的制动装置，其特征在于：所述断电模块在接收到制动信号后0.1秒内切断电机供电。
5. 一种使用权利要求1至4中任一项所述制动装置的制动方法，其特征在于，包括以下步骤：检测所述制动杆的位移；当所述位移大于阈值时，由所述电机控制器切断电机供电。
"""
ZH_DESC = (
    "本实用新型涉及电动自行车，具体涉及一种电动自行车的制动装置。制动装置包括车架、制动杆和电机控制器，制动杆上设有"
    "霍尔传感器，霍尔传感器通过支架固定在制动杆上，支架为铝合金材质。电机控制器包括信号处理模块和断电模块，信号处理模块"
    "接收霍尔传感器的信号，断电模块在接收到制动信号后切断电机供电。制动方法包括检测制动杆的位移，当位移大于阈值时切断供电。"
)


def _zh(text: str, office: str = "CN", desc: str | None = ZH_DESC) -> dict[str, Any]:
    return check_claims(text, description=desc, office=office)


def test_chinese_clean_set_has_no_findings() -> None:
    res = _zh(ZH_OK)
    assert res["lang"] == "zh" and res["counts"]["claims"] == 5
    assert res["findings"] == []
    assert [c["start"] for c in res["claims"]][:2] == [3, ZH_OK.index("根据权利要求1")]


def test_chinese_seeded_errors() -> None:
    bad = (
        ZH_OK.replace("所述支架为铝合金材质", "所述支架优选为铝合金材质")
        .replace("根据权利要求3所述的制动装置", "根据权利要求2或3所述的制动装置")
        .replace("0.1秒内切断电机供电", "大约0.1秒内切断所述蓄电池的供电")
        .replace("包括车架、安装于", "包括安装于")
        .replace("5. 一种使用权利要求1至4中任一项所述制动装置的制动方法", "5. 根据权利要求6所述的制动方法")
    )
    res = _zh(bad)
    got = {(f["rule"], f["claim"], f["text"], f["severity"]) for f in res["findings"]}
    assert got == {
        ("antecedent", 1, "所述车架", "warning"),  # 车架 no longer introduced
        ("optional-term", 2, "优选", "error"),
        ("multiple-dependent-chain", 4, "权利要求2或3", "error"),
        ("unclear-term", 4, "大约", "warning"),
        ("antecedent", 4, "所述蓄电池", "warning"),
        ("support", 4, "蓄电池", "warning"),
        ("ref-missing", 5, "权利要求6", "error"),
    }
    f = next(f for f in res["findings"] if f["rule"] == "optional-term")
    claim2 = res["claims"][1]["text"]
    assert claim2[f["start"] : f["end"]] == "优选" and "《专利审查指南》" in f["message"]
    assert not [f for f in _zh(bad, office="EP")["findings"] if f["rule"] == "multiple-dependent-chain"]


def test_chinese_category_subject_and_vague_terms() -> None:
    text = (
        "1. 一种散热器，包括基板和设置在所述基板上的多个散热片，其特征在于，所述散热片的厚度为2mm左右。\n"
        "2. 根据权利要求1所述的方法，其特征在于，所述基板为铜板。\n"
        "3. 根据权利要求1所述的冷却器，其特征在于，所述散热片约0.5毫米厚。\n"
    )
    got = {(f["rule"], f["claim"], f["text"]) for f in _zh(text, desc=None)["findings"]}
    assert got == {
        ("unclear-term", 1, "左右"),
        ("category", 2, "方法"),
        ("subject-name", 3, "冷却器"),
        ("unclear-term", 3, "约"),
    }


def test_numbering_and_bad_input() -> None:
    res = check_claims(
        "1. A widget comprising a frame.\n2. The widget of claim 1, wherein the frame is steel.\n"
        "4. The widget of claim 2, wherein the frame is painted.\n",
        office="US",
    )
    assert [(f["rule"], f["claim"]) for f in res["findings"]] == [("numbering", 4)]
    with pytest.raises(InputError) as e:
        check_claims("   ", office="US")
    assert e.value.errors[0]["field"] == "claims"
    with pytest.raises(InputError) as e:
        check_claims("1. A widget.", office="JP")
    assert e.value.errors[0]["field"] == "office"


# ---- CLI, API, web ---------------------------------------------------------------------------------------


def test_cli_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from ipai.cli import main

    f = tmp_path / "claims.txt"
    f.write_text(ZH_OK.replace("0.1秒内", "约0.1秒内"), encoding="utf-8")
    assert main(["--home", str(tmp_path / "h"), "draft", "check", str(f), "--office", "CN", "--json"]) == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert [(x["rule"], x["claim"], x["text"]) for x in out["findings"]] == [("unclear-term", 4, "约")]
    assert main(["--home", str(tmp_path / "h"), "draft", "check", str(f), "--office", "XX"]) != 0


def test_api_and_web_round_trip(svc: Any) -> None:
    from fastapi.testclient import TestClient

    from ipai.api import create_app

    with with_csrf(TestClient(create_app(service=svc))) as client:
        r = client.post(
            "/api/v1/draft/check", json={"claims": ZH_OK.replace("0.1秒内", "大约0.1秒内"), "office": "CN"}
        )
        assert r.status_code == 200 and r.json()["ok"]
        assert [(x["rule"], x["text"]) for x in r.json()["findings"]] == [("unclear-term", "大约")]
        r = client.post("/api/v1/draft/check", json={"number": "US8926509B2", "office": "US"})
        assert r.status_code == 200 and ("category", 12) in {
            (x["rule"], x["claim"]) for x in r.json()["findings"]
        }
        r = client.post("/api/v1/draft/check", json={"claims": "1. A widget.", "colour": "red"})
        assert r.status_code in (400, 422)
        assert client.get("/draft/check").status_code == 200
        page = client.post(
            "/draft/check",
            data={
                "claims": "1. A device comprising a frame.\n"
                "2. The device of claim 1, wherein the lever is about 5 mm long.\n",
                "office": "EP",
            },
        )
        assert page.status_code == 200
        html = page.text
        assert 'data-testid="check-mark"' in html and ">the lever</a></mark>" in html
        assert 'data-rule="antecedent"' in html and 'data-rule="unclear-term"' in html
        bad = client.post("/draft/check", data={"claims": " ", "office": "CN"})
        assert bad.status_code == 400 and 'data-testid="check-error"' in bad.text
