"""IP ↔ industry: the default WIPO 35-field concordance, user concordances and figures, the view
over real documents (the drones families file; the CN titles with IPC subclasses)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from ipai.analytics.industry import PREFIX, IndustryFiles, parse_concordance, parse_figures
from ipai.errors import InputError
from ipai.search.query.parser import parse_query
from ipai.service import Service
from tests.conftest import corpus_service

BUILTIN = Path(__file__).parents[2] / "src/ipai/analytics/concordance/wipo35.csv"


@pytest.fixture(scope="module")
def drones(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Service:
    yield from corpus_service(
        tmp_path_factory,
        "drones-industry",
        (shared_data / "landscape-lens-patentscope/drones_tac_1606_families.csv", None),
    )


def _rows() -> list[list[str]]:
    lines = [ln for ln in BUILTIN.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    return list(csv.reader(lines))[1:]


def test_default_table_invariants() -> None:
    rows = _rows()
    prefixes = [r[0] for r in rows]
    assert len(prefixes) == len(set(prefixes)), "a prefix is mapped twice"
    assert all(PREFIX.match(p) for p in prefixes)
    assert sorted({int(r[1]) for r in rows}) == list(range(1, 36))
    assert {p[0] for p in prefixes} == set("ABCDEFGH")
    con = parse_concordance(BUILTIN.read_text(encoding="utf-8"), "wipo35")
    assert len(con.labels) == 35 and all(en and zh for en, zh in con.labels.values())
    assert (
        "source" in BUILTIN.read_text(encoding="utf-8")[:1000].lower()
        or "Schmoch" in BUILTIN.read_text()[:600]
    )
    # longest prefix wins: G01N33 is field 11, the rest of G01N field 10; A61K8 cosmetics is 14, A61K 16
    assert con.map("G01N 33/53") == "11" and con.map("G01N21/64") == "10" and con.map("G01N") == "10"
    assert con.map("A61K 8/02") == "14" and con.map("A61K31/00") == "16" and con.map("A61K 81/00") == "16"
    assert con.map("H04N 21/4") == "4" and con.map("H04N 1/00") == "3" and con.map("H04L 9/00") == "4"
    assert con.map("B64C 39/02") == "32" and con.map("G06Q 10/00") == "7" and con.map("H01L 21/00") == "8"


def test_real_cn_subclasses_are_mapped(shared_data: Path) -> None:
    con = IndustryFiles(Path("/nonexistent")).concordance("wipo35")
    with (shared_data / "cn-patent-titles-ipc/titles_ipc.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    subs = [s for r in rows for s in r["true_subclasses_all"].split("|") if s]
    mapped = [con.map(s) for s in subs]
    assert len(rows) == 7798 and all(m is not None for m in mapped)
    first = rows[
        0
    ]  # CN114081026A 驱鸟保护装置: A01M (other special machines), G06F (computer), H02G (electrical)
    assert first["publication_numbers"] == "CN114081026A"
    assert {con.map(s) for s in first["true_subclasses_all"].split("|")} == {"29", "6", "1"}


def test_concordance_errors_name_row_and_field() -> None:
    head = "code_prefix,target_id,target_label_en,target_label_zh\n"
    with pytest.raises(InputError) as e:
        parse_concordance(head + "H01L,C26,Semiconductors,半导体\nX9,C26,Bad,坏\n", "gbt")
    assert e.value.errors[0]["row"] == 3 and e.value.errors[0]["field"] == "code_prefix"
    with pytest.raises(InputError) as e:
        parse_concordance(head + "H01L,C26,,\n", "gbt")
    assert e.value.errors[0]["field"] == "target_label_en" and e.value.errors[0]["row"] == 2
    with pytest.raises(InputError) as e:
        parse_concordance(head + "H01L,C26,A,甲\nH01L,C27,B,乙\n", "gbt")
    assert e.value.errors[0]["row"] == 3 and "C26" in e.value.errors[0]["message"]
    with pytest.raises(InputError) as e:
        parse_concordance("code,target\nH01L,1\n", "gbt")
    assert {x["field"] for x in e.value.errors} == {
        "code_prefix",
        "target_id",
        "target_label_en",
        "target_label_zh",
    }
    with pytest.raises(InputError) as e:
        parse_figures("industry_id,region,year,value,unit\n1,CN,20x4,5,bn\n")
    assert e.value.errors[0] == {"row": 2, "field": "year", "message": "not a year: '20x4'"}


def test_view_over_real_documents_with_figures(drones: Service) -> None:
    q = "drone OR unmanned OR cc:US OR cc:CN OR cc:EP OR cc:WO"
    r = drones.industry.industry_view(q)
    assert r["documents"] > 500 and r["mapped"] > 0.9 * r["documents"]
    top = r["industries"][0]
    assert top["id"] == "32" and top["label_en"] == "Transport"  # drones: B64C/B64D/B64U
    assert top["patents"] <= r["mapped"] and sum(top["by_year"].values()) <= top["patents"]
    # recount field 32 straight from the stored documents' classes
    con = drones.industry.industry_files.concordance("wipo35")
    ids = set(drones.search_engine.match_ids(parse_query(q), limit=25_000)[0])
    n32 = sum(
        1
        for d in drones.store.iter_documents()
        if d.id in ids and any(con.map(c.code) == "32" for c in d.classifications if c.code)
    )
    assert top["patents"] == n32
    figs = "industry_id,region,year,value,unit\n32,CN,2022,100,bn CNY\n32,CN,2023,200,bn CNY\n6,CN,2023,50,bn CNY\n"
    info = drones.industry.load_figures(figs)
    assert info["rows"] == 3 and info["unknown_industry_ids"] == []
    r = drones.industry.industry_view(q, region="CN")
    row = next(x for x in r["industries"] if x["id"] == "32")
    assert r["figures"]["year"] == 2023 and row["figure"] == 200 and row["unit"] == "bn CNY"
    assert row["patents_per_unit"] == pytest.approx(row["patents"] / 200, rel=1e-4)


def test_user_concordance_and_portrait(drones: Service) -> None:
    conc = (
        "# GB/T 4754-2017 (toy excerpt for the test)\ncode_prefix,target_id,target_label_en,target_label_zh\n"
        "B64,C374,Aerospace manufacturing,航空、航天器及设备制造业\nG,C40,Instruments,仪器仪表制造业\n"
        "H04,C39,Communication equipment,计算机、通信和其他电子设备制造业\n"
    )
    assert drones.industry.load_concordance(conc, "gbt4754")["targets"] == 3
    assert {s["scheme"] for s in drones.industry.industry_schemes()} >= {"wipo35", "gbt4754"}
    r = drones.industry.industry_view("drone OR unmanned", scheme="gbt4754")
    assert r["industries"][0]["id"] == "C374" and r["unmapped"] > 0
    first = drones.analytics.landscape("drone OR unmanned")["by_applicant"][0]["key"]
    p = drones.industry.industry_view(applicant=first)
    assert p["documents"] > 0 and p["industries"]
    with pytest.raises(InputError):
        drones.industry.load_concordance(conc, "Bad Name")


def test_api_and_web(drones: Service) -> None:
    from fastapi.testclient import TestClient

    from ipai.api import create_app

    c = TestClient(create_app(service=drones))
    r = c.get("/api/v1/industry", params={"q": "drone OR unmanned"})
    assert r.status_code == 200 and r.json()["industries"][0]["id"] == "32"
    assert "wipo35" in {s["scheme"] for s in c.get("/api/v1/industry/schemes").json()["schemes"]}
    bad = b"code_prefix,target_id,target_label_en,target_label_zh\nH01L,X,Semis,\n1234,X,Bad,\n"
    r = c.post(
        "/api/v1/industry/concordance", files={"file": ("c.csv", bad, "text/csv")}, data={"scheme": "api"}
    )
    assert r.status_code == 400 and r.json()["errors"][0]["row"] == 3
    r = c.post(
        "/api/v1/industry/figures",
        files={"file": ("f.csv", b"industry_id,region,year,value,unit\n32,CN,2023,10,bn\n", "text/csv")},
        data={"scheme": "wipo35"},
    )
    assert r.status_code == 200 and r.json()["rows"] == 1
    page = c.get("/industry", params={"q": "drone OR unmanned", "lang": "zh"})
    assert page.status_code == 200 and "运输" in page.text and "industry-chart" in page.text
    assert 'data-testid="landscape-industry"' in c.get("/landscape", params={"q": "drone"}).text


def test_cli_load_and_view(drones: Service, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from ipai.cli import main

    bad = tmp_path / "bad.csv"
    bad.write_text(
        "code_prefix,target_id,target_label_en,target_label_zh\nH01L,C39,Semis,半导体\nH01L,C40,X,乙\n",
        encoding="utf-8",
    )
    home = str(drones.settings.home)
    assert main(["--home", home, "industry", "load-concordance", str(bad), "--scheme", "bad"]) != 0
    assert main(["--home", home, "industry", "view", "drone", "--json"]) == 0
    figs = tmp_path / "figs.csv"
    figs.write_text("industry_id,region,year,value,unit\n32,CN,2023,40,bn CNY\n", encoding="utf-8")
    assert main(["--home", home, "industry", "load-figures", str(figs)]) == 0
    assert main(["--home", home, "industry", "view", "drone", "--region", "CN"]) == 0
    out = capsys.readouterr().out
    assert "Transport" in out and "bn CNY" in out and "region CN, year 2023" in out
