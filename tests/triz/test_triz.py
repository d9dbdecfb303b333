"""The TRIZ assistant on the real data sets in ../shared/data/triz and a small real corpus."""

from __future__ import annotations

import csv
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ipai.errors import InputError
from ipai.service import Service
from ipai.settings import load_settings
from ipai.triz.assistant import compare, principles, resolve_parameter, split_contradiction
from ipai.triz.data import TrizData, load
from tests.conftest import corpus_service

TRIZ = load_settings(home="/nonexistent-ipai-home").triz_path


def _raw_a() -> list[list[str]]:
    """The pytriz grid as written (row = improving, column = worsening)."""
    with (TRIZ / "pytriz-0.4.0/matrix_values.csv").open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f, delimiter=";"))


def _raw_b() -> dict[str, list[int]]:
    return json.loads((TRIZ / "triz-ai-0.20.2/matrix.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def data() -> TrizData:
    return load(TRIZ)


@pytest.fixture(scope="module")
def svc(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Iterator[Service]:
    """A real corpus: 300 baseball and 150 neural-network US patents (PatentsView)."""
    src = shared_data / "us-abstracts-patentsview"
    yield from corpus_service(
        tmp_path_factory,
        "triz",
        (src / "baseball_patent_query.csv", 300),
        (src / "neural_network_patent_query.csv", 150),
    )


# ---- reading the files -------------------------------------------------------------------------
def test_both_matrices_are_read_cell_by_cell(data: TrizData) -> None:
    a, b = data.matrices["A"], data.matrices["B"]
    raw = _raw_a()
    assert len(raw) == 39 and all(len(r) == 39 for r in raw)
    for i, j in [(1, 3), (1, 14), (14, 1), (9, 39), (39, 27), (27, 39), (30, 31)]:
        assert a.cells.get((i, j), ()) == tuple(int(x) for x in re.findall(r"\d+", raw[i - 1][j - 1])), (i, j)
    assert a.cells[(1, 14)] == (28, 27, 18, 40) and (1, 2) not in a.cells  # an empty cell of the grid
    assert len(a.cells) == sum(1 for r in raw for c in r if c.strip()) == 1248
    rb = _raw_b()
    for key in ["1,2", "1,14", "14,1", "39,27", "27,39"]:
        i, j = map(int, key.split(","))
        assert list(b.cells[(i, j)]) == rb[key]
    assert len(b.cells) == 1482 and b.extra_parameters == 11 and b.extra_cells == len(rb) - 1482
    # irregular writing is read and reported with row and column
    odd = {(x["row"], x["column"]): x for x in a.irregular}
    assert odd[(1, 38)]["raw"] == "26, 35 18, 19" and a.cells[(1, 38)] == (26, 35, 18, 19)
    assert odd[(4, 24)]["read"] == [24, 26] and odd[(19, 9)]["note"] == "repeated principle"
    assert len(data.parameters) == 39 and len(data.principles) == 40
    assert data.parameters[14].name == "Strength" and data.parameters[10].names == {
        "A": "Force",
        "B": "Force (intensity)",
    }
    assert data.principles[1].keywords[:2] == ["divide", "segment"] and data.principles[1].name_zh == "分割"
    assert "rigidity" in data.parameters[14].aliases


def test_matrix_comparison_numbers(data: TrizData) -> None:
    c = compare(data, examples=5)
    assert c["cells"] == 39 * 38 == 1482
    assert (c["identical"], c["same_set_other_order"], c["overlap"], c["disjoint"]) == (243, 6, 632, 367)
    assert (c["only_A"], c["only_B"], c["both_empty"], c["differ"]) == (0, 234, 0, 1239)
    assert c["identical"] + c["differ"] + c["both_empty"] == c["cells"]
    # recount "identical" straight from the raw files
    raw, rb = _raw_a(), _raw_b()
    same = sum(
        1
        for i in range(39)
        for j in range(39)
        if i != j
        and raw[i][j].strip()
        and [int(x) for x in re.findall(r"\d+", raw[i][j])] == rb.get(f"{i + 1},{j + 1}")
    )
    assert same in (243, 242)  # the repeated principle of 19×9 is read once
    assert c["examples"][0] == {
        "improving": 1,
        "worsening": 3,
        "A": [15, 8, 29, 34],
        "B": [29, 17, 38, 34],
        "kind": "overlap",
    }
    assert c["B_lists_found_elsewhere_in_A"] == 927 and c["of_which_in_the_same_row"] == 356
    assert {"id": 10, "A": "Force", "B": "Force (intensity)"} in c["parameter_name_differences"]


def test_malformed_files_name_the_row_and_column(tmp_path: Path) -> None:
    for sub in ("pytriz-0.4.0", "triz-ai-0.20.2"):
        shutil.copytree(TRIZ / sub, tmp_path / sub)
    grid = _raw_a()
    grid[4][6] = "12, x7"
    path = tmp_path / "pytriz-0.4.0/matrix_values.csv"
    path.write_text("\n".join(";".join(r) for r in grid), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load(tmp_path)
    assert exc.value.errors[0]["row"] == 5 and exc.value.errors[0]["column"] == 7
    assert "matrix_values.csv" in exc.value.message
    grid[4][6] = "12"
    path.write_text("\n".join(";".join(r) for r in grid[:-1]), encoding="utf-8")
    with pytest.raises(InputError, match="38 rows"):
        load(tmp_path)
    path.write_text("\n".join(";".join(r) for r in grid), encoding="utf-8")
    m = _raw_b()
    m["3,7"] = [1, 41]
    (tmp_path / "triz-ai-0.20.2/matrix.json").write_text(json.dumps(m), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load(tmp_path)
    assert (exc.value.errors[0]["row"], exc.value.errors[0]["column"]) == (3, 7)
    with pytest.raises(InputError) as exc:
        load(tmp_path / "nowhere")
    assert exc.value.errors[0]["field"] == "triz_dir"


# ---- principles for a contradiction ------------------------------------------------------------------
def test_principles_rank_and_say_which_matrix(data: TrizData) -> None:
    r = principles(data, 14, 1)  # both matrices: 1, 8, 40, 15
    assert r["agreement"] == "identical" and [q["id"] for q in r["principles"]] == [1, 8, 40, 15]
    assert all(q["given_by"] == "both" for q in r["principles"]) and r["principles"][0]["score"] == 2.0
    r = principles(data, "Weight of moving object", "strength", matrix="both")
    assert r["cells"] == {"A": [28, 27, 18, 40], "B": [1, 8, 10, 29]} and r["agreement"] == "disjoint"
    assert {q["id"]: q["given_by"] for q in r["principles"]}[28] == "A"
    a_only = principles(data, 1, 14, matrix="A")
    assert [q["id"] for q in a_only["principles"]] == [28, 27, 18, 40]
    q = a_only["principles"][0]
    assert q["name"] == "Replacement of Mechanical System" and q["name_zh"] == "机械系统替代"
    assert q["descriptions"]["A"] and q["rules"]["A"][0].startswith("A.")
    empty = principles(data, 1, 2, matrix="A")  # A leaves 1×2 empty: row/column frequency instead
    assert empty["cells"]["A"] == [] and empty["basis"].startswith("row and column") and empty["principles"]


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ((40, 1), "improving"),
        ((1, 0), "worsening"),
        (("no such thing", 3), "improving"),
        ((5, 5), "worsening"),
        (("weight", 14), "improving"),
        ((None, 3), "improving"),
    ],
)
def test_bad_parameters_name_the_field(data: TrizData, args: tuple[Any, Any], field: str) -> None:
    with pytest.raises(InputError) as exc:
        principles(data, *args)
    assert exc.value.errors[0]["field"] == field


def test_parameter_names_in_both_languages(data: TrizData) -> None:
    assert resolve_parameter(data, "强度", "improving") == 14
    assert resolve_parameter(data, "productivity", "x") == 39 and resolve_parameter(data, " 9 ", "x") == 9
    with pytest.raises(InputError) as exc:
        principles(data, 1, 3, matrix="C")
    assert exc.value.errors[0]["field"] == "matrix"


# ---- suggesting parameters ----------------------------------------------------------------------
def test_split_contradiction() -> None:
    assert split_contradiction("提高强度但重量增加") == ("提高强度", "重量增加", "但")
    assert split_contradiction("make it stronger without making it heavier")[1] == "making it heavier"
    assert split_contradiction("lighter frame")[2] is None


def test_suggestions_from_english_and_chinese(svc: Service) -> None:
    zh = svc.triz.triz_suggest("提高车架强度，但是重量增加")
    assert zh["pair"] == {"improving": 14, "worsening": 1}
    assert any("强度" in r for r in zh["improving"][0]["reasons"])
    assert {c["id"] for c in zh["worsening"][:2]} == {1, 2}
    en = svc.triz.triz_suggest(
        "We want to increase the speed of the conveyor but the energy consumption rises"
    )
    assert en["improving"][0]["id"] == 9 and en["worsening"][0]["id"] in (19, 20, 22)
    en2 = svc.triz.triz_suggest("improve productivity but the device becomes more complex")
    assert en2["pair"] == {"improving": 39, "worsening": 36}
    with pytest.raises(InputError) as exc:
        svc.triz.triz_suggest("  ")
    assert exc.value.errors[0]["field"] == "text"


# ---- example patents ------------------------------------------------------------------------------
def test_example_patents_come_from_the_corpus(svc: Service) -> None:
    ex = svc.triz.triz_examples(18, "baseball bat vibration", top=5)  # Mechanical vibration
    raw = svc.store.get_raw([p["id"] for p in ex["patents"]])
    assert ex["patents"] and set(raw) == {p["id"] for p in ex["patents"]}  # stored documents
    # on the user's topic (checked by meaning), never a neural-network patent in this mixed corpus
    assert all("bat" in raw[p["id"]].lower() for p in ex["patents"][:3])
    assert not any("neural" in raw[p["id"]].lower() for p in ex["patents"])
    assert ex["query"].startswith("baseball bat vibration Mechanical Vibration:")  # the principle's meaning
    assert all(p["topic_similarity"] >= 0.8 for p in ex["patents"])
    # the principle matters: another principle on the same problem does not give the same list
    other = svc.triz.triz_examples(1, "baseball bat vibration", top=5)
    assert [p["id"] for p in other["patents"]] != [p["id"] for p in ex["patents"]]
    r = svc.triz.triz(text="reduce the vibration of the bat but the weight increases", top_examples=2)
    assert r["suggestion"]["worsening"][0]["id"] in (1, 2) and r["corpus_documents"] == 450
    assert all(len(q["patents"]) <= 2 for q in r["principles"]) and any(q["patents"] for q in r["principles"])
    with pytest.raises(InputError) as exc:
        svc.triz.triz_examples(41)
    assert exc.value.errors[0]["field"] == "principle"


# ---- CLI, API, web -----------------------------------------------------------------------------------
def test_cli(svc: Service, capsys: pytest.CaptureFixture[str]) -> None:
    from ipai.cli import main

    home = ["--home", str(svc.settings.home), "--no-progress"]
    assert main([*home, "triz", "compare", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["differ"] == 1239
    assert main([*home, "triz", "--improving", "1", "--worsening", "14", "--no-examples"]) == 0
    out = capsys.readouterr().out
    assert "Replacement of Mechanical System / 机械系统替代" in out and "disjoint" in out
    assert main([*home, "triz", "提高强度但重量增加", "--json", "--top", "1"]) == 0
    r = json.loads(capsys.readouterr().out)
    assert (r["improving"]["id"], r["worsening"]["id"]) == (14, 1)
    assert main([*home, "triz", "--improving", "3", "--worsening", "3", "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["errors"][0]["field"] == "worsening"
    assert main([*home, "triz", "params"]) == 0 and "14  Strength / 强度" in capsys.readouterr().out


def test_api_and_web(svc: Service) -> None:
    from ipai.api import create_app

    with TestClient(create_app(service=svc)) as c:
        r = c.get("/api/v1/triz", params={"improving": 1, "worsening": 14, "examples": "false"}).json()
        assert r["ok"] and r["cells"]["A"] == [28, 27, 18, 40]
        r = c.post("/api/v1/triz", json={"text": "提高强度但重量增加", "top": 1}).json()
        assert (r["improving"]["id"], r["worsening"]["id"]) == (14, 1)
        bad = c.get("/api/v1/triz", params={"improving": 99, "worsening": 1})
        assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "improving"
        assert c.get("/api/v1/triz/compare").json()["identical"] == 243
        assert len(c.get("/api/v1/triz/parameters").json()["parameters"]) == 39
        assert (
            c.get("/api/v1/triz/suggest", params={"text": "提高生产率但设备更复杂"}).json()["pair"][
                "worsening"
            ]
            == 36
        )
        page = c.get("/triz", params={"text": "reduce bat vibration but the weight increases", "lang": "en"})
        assert (
            page.status_code == 200 and 'data-testid="triz-principle"' in page.text and "/doc/" in page.text
        )
        assert page.text.count("<option value=") >= 2 * 39
        zh = c.get("/triz", params={"improving": 14, "worsening": 1, "lang": "zh"})
        assert "分割" in zh.text and "改善的参数" in zh.text
        err = c.get("/triz", params={"improving": 5, "worsening": 5})
        assert err.status_code == 400 and 'data-testid="triz-error"' in err.text
        cmp_page = c.get("/triz/compare")
        assert cmp_page.status_code == 200 and "1239" in cmp_page.text
