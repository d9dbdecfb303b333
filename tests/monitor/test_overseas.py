"""Overseas early warning on the drones set (Lens/PATENTSCOPE): Parrot (FR) going to the US and
China; the agencies directory and past cases are small tables written here."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ipai.errors import InputError, NotFound
from ipai.service import Service
from tests.conftest import corpus_service

PRODUCT = (
    "A quadcopter drone for consumers, piloted from a smartphone over Wi-Fi, with a front camera that "
    "streams video to the phone and automatic hovering stabilisation."
)


@pytest.fixture(scope="module")
def svc(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Iterator[Service]:
    yield from corpus_service(
        tmp_path_factory,
        "overseas",
        (shared_data / "landscape-lens-patentscope/drones_tac_1606_families.csv", None),
    )


def test_threats_in_target_markets_exclude_the_company(svc: Service) -> None:
    r = svc.fto.overseas_warning("Parrot", ["US", "CN"], product=PRODUCT, top=15)
    assert r["own_documents"] > 10 and "A63H" in r["own_classes"]
    assert r["threats"] and all(t["country"] in ("US", "CN") for t in r["threats"])
    assert not any("PARROT" in a.upper() for t in r["threats"] for a in t["applicants"])
    scores = [t["score"] for t in r["threats"]]
    assert scores == sorted(scores, reverse=True) and all(t["reasons"] for t in r["threats"])
    assert sum(bool(t["shared_classes"]) for t in r["threats"]) >= 5  # close in technology, not just words
    with pytest.raises(InputError):
        svc.fto.overseas_warning("Parrot", [])
    with pytest.raises(NotFound):
        svc.fto.overseas_warning("Zzqx Nobody Ltd", ["US"])


def test_agencies_ranked_by_market_technology_case_type_and_record(svc: Service, tmp_path: Path) -> None:
    agencies = tmp_path / "agencies.csv"
    agencies.write_text(
        "机构名称,国家/地区,技术领域,案件类型,联系方式\n"
        "Alpha IP LLP,US;EP,B64;A63H;drone,infringement;invalidation,alpha@example.com\n"
        "北京某知识产权代理有限公司,CN,G06;通信,infringement,010-0000\n"
        "Gamma Patent,US,C07;pharma,infringement,\n"
        "Delta Legal,US;CN,B64C,customs,\n"
        ",US,B64,infringement,\n",
        encoding="utf-8",
    )
    res = svc.fto.import_directory("agencies", agencies)
    assert res["loaded"] == 4 and res["errors"] == [{"row": 6, "column": "机构名称", "message": "empty"}]
    cases = tmp_path / "cases.csv"
    cases.write_text(
        "agency,jurisdiction,case_type,field,outcome\nDelta Legal,US,customs,B64C,won\n"
        "Delta Legal,CN,customs,B64C,won\nAlpha IP LLP,US,infringement,B64,lost\n",
        encoding="utf-8",
    )
    assert svc.fto.import_directory("cases", cases)["loaded"] == 3
    r = svc.fto.overseas_warning("Parrot", ["US", "CN"], product=PRODUCT, case_type="infringement")
    names = [a["name"] for a in r["agencies"]]
    assert "Gamma Patent" in names and names.index("Gamma Patent") > names.index(
        "Alpha IP LLP"
    )  # pharma vs drones
    top = r["agencies"][0]
    assert top["reasons"][0].startswith("acts in") and top["field_match"]
    delta = next(a for a in r["agencies"] if a["name"] == "Delta Legal")
    assert (
        delta["covered"] == ["US", "CN"]
        and delta["past_cases"] == 2
        and any("2 of 2" in x for x in delta["reasons"])
    )
    bad = tmp_path / "bad.csv"
    bad.write_text("name,contact\nX,y\n", encoding="utf-8")
    with pytest.raises(InputError, match="missing column"):
        svc.fto.import_directory("agencies", bad)
    assert len(svc.fto.directory("agencies")) == 4  # a refused file replaces nothing


def test_api_and_cli(svc: Service, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from fastapi.testclient import TestClient

    from ipai.api import create_app
    from ipai.cli import main

    c = TestClient(create_app(service=svc))
    r = c.post(
        "/api/v1/overseas", json={"company": "Parrot", "markets": ["US"], "product": PRODUCT, "top": 5}
    )
    assert r.status_code == 200 and len(r.json()["threats"]) == 5
    assert c.post("/api/v1/overseas", json={"company": "Parrot", "markets": []}).status_code == 400
    up = c.post("/api/v1/directory/agencies", files={"file": ("a.csv", b"name,jurisdictions\nX LLP,US\n")})
    assert up.status_code == 200 and up.json()["loaded"] == 1
    assert c.get("/api/v1/directory/agencies").json()["items"][0]["name"] == "X LLP"
    capsys.readouterr()
    assert main(["--home", str(svc.settings.home), "overseas", "Parrot", "-m", "US,CN", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["threats"] and out["agencies"][0]["name"] == "X LLP"
