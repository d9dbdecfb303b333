"""Entity resolution on real names from the PatentsView benchmarks and the Lens landscape sets."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from ipai.analytics.entities import Resolver, org_core, resolve_names
from ipai.evals.disambiguation import cluster_metrics


def _cluster(path: Path, uid: str) -> list[str]:
    with open(path, encoding="utf-8", newline="") as fh:
        return sorted({r["organization"] for r in csv.DictReader(fh) if r["unique_id"] == uid})


def test_ibm_variants_from_benchmark_merge(shared_data: Path) -> None:
    names = _cluster(
        shared_data / "patentsview-disambiguation/assignee/air-umass-assignees-benchmark.csv", "e59"
    )
    assert "IBM" in names and "International Business Machines Corporation" in names
    r = Resolver().fit(names + ["IBM Corporation", "International Business Machines Corp."])
    ibm = r.entity_of("IBM")
    assert ibm is not None and ibm is r.entity_of("International Business Machines Corp.")
    assert r.entity_of("International Business Machine Corporation") is ibm  # singular typo
    ex = r.explain("IBM", "International Business Machines Corporation")
    assert ex["same_entity"] and any("initials" in x for x in ex["reasons"])


def test_distinct_companies_with_similar_names_stay_apart(shared_data: Path) -> None:
    path = shared_data / "patentsview-disambiguation/assignee/nber-subset-assignees-benchmark.csv"
    groups = {
        uid: _cluster(path, uid)
        for uid in ("HITACHI PRINTING SOLUTIONS LTD", "USA SEC OF NAVY", "NORTHWESTSERN UNIV")
    }
    names = [n for v in groups.values() for n in v] + [
        "Hitachi America, Ltd.",
        "Hitachi America Ltd.",
        "The United States of America as represented by the Secretary of the Army",
        "Northeastern University",
    ]
    r = Resolver().fit(names)
    for uid in ("HITACHI PRINTING SOLUTIONS LTD",):
        variants = groups[uid]
        assert len({r.entity_of(n).id for n in variants}) == 1, uid  # each labelled cluster merges
    assert r.entity_of("Hitachi America, Ltd.").id != r.entity_of("Hitachi Printing Solutions, Ltd.").id
    assert r.entity_of("Northwestern University").id != r.entity_of("Northeastern University").id
    assert (
        r.entity_of("Northerwestern University").id == r.entity_of("Northwestern Univ.").id
    )  # a typo still joins
    assert any(
        "directions" in x for x in r.explain("Northwestern University", "Northeastern University")["reasons"]
    )
    navy = "The United States of America as represented by the Secretary of the Navy"
    army = "The United States of America as represented by the Secretary of the Army"
    assert r.entity_of(navy).id != r.entity_of(army).id
    ex = r.explain(navy, army)
    assert (
        not ex["same_entity"]
        and ex["score"] < ex["threshold"]
        and any("misspelling" in x for x in ex["reasons"])
    )
    assert r.entity_of("Song Computer Entertainment America Inc.") is None  # not fitted → None


def test_lens_applicant_variants_merge(shared_data: Path) -> None:
    names = []
    with open(
        shared_data / "covid-patents-lens-biblio/Coronavirus-CPC-based-patents.jsonl", encoding="utf-8"
    ) as fh:
        for line in fh:
            names += json.loads(line).get("applicants", [])
    with open(
        shared_data / "landscape-lens-patentscope/ritonavir.csv", encoding="utf-8", errors="replace"
    ) as fh:
        names += [
            x.strip() for r in csv.DictReader(fh) for x in (r["applicant"] or "").split(";") if x.strip()
        ]
    for pair in (
        ("SHIONOGI & CO LTD", "SHIONOGI & CO., LTD"),
        ("DANA FARBER CANCER INST INC", "DANA-FARBER CANCER INSTITUTE, INC."),
        ("THE PIRBRIGHT INST", "PIRBRIGHT INST THE"),
    ):
        assert all(p in names for p in pair), pair
    labels = resolve_names(names, kind="applicant")
    assert labels["SHIONOGI & CO LTD"] == labels["SHIONOGI & CO., LTD"]
    assert labels["DANA FARBER CANCER INST INC"] == labels["DANA-FARBER CANCER INSTITUTE, INC."]
    assert labels["THE PIRBRIGHT INST"] == labels["PIRBRIGHT INST THE"]
    assert labels["DAIICHI SANKYO CO LTD"] != labels["KITATSATO DAIICHI SANKYO VACCINE CO LTD"]


def test_chinese_suffixes_and_traditional_fold(shared_data: Path) -> None:
    text = (shared_data / "covid-patents-lens-biblio/Coronavirus-CPC-based-patents.jsonl").read_text(
        encoding="utf-8"
    )
    assert "普莱柯生物工程股▲ふん▼有限公司" in text and "港大科桥有限公司" in text
    assert (
        org_core("普莱柯生物工程股▲ふん▼有限公司")
        == org_core("普萊柯生物工程股份有限公司")
        == "普莱柯生物工程"
    )
    assert org_core("港大科橋有限公司") == org_core("港大科桥公司") == "港大科桥"
    assert org_core("日油株式会社") == org_core("日油") and org_core("Bayer GmbH") == org_core(
        "BAYER AKTIENGESELLSCHAFT"
    )
    r = Resolver().fit(["港大科桥有限公司", "港大科橋有限公司", "港大科技有限公司"])
    assert r.entity_of("港大科桥有限公司") is r.entity_of("港大科橋有限公司")
    assert r.entity_of("港大科技有限公司") is not r.entity_of("港大科桥有限公司")


def test_inventors_with_coinventor_context(shared_data: Path) -> None:
    with open(
        shared_data / "patentsview-disambiguation/inventor/lai-2011-benchmark.csv", encoding="utf-8"
    ) as f:
        rows = list(csv.DictReader(f))
    names = [f"{r['raw_inventor_name_last']}, {r['raw_inventor_name_first']}" for r in rows]
    r = Resolver().fit(names, kind="inventor")
    assert r.entity_of("Allbritton, Nancy L.") is r.entity_of("Allbritton, Nancy")
    ex = Resolver().fit(["Moore, David F.", "Moore, David E.", "Moore, David"], kind="inventor")
    assert ex.entity_of("Moore, David F.").id != ex.entity_of("Moore, David E.").id
    assert any("middle initials" in x for x in ex.explain("Moore, David F.", "Moore, David E.")["reasons"])
    ctx = [{"coinventors": ["SMITH"]}, {"coinventors": ["SMITH"]}]
    with_ctx = Resolver().fit(["Allbritton, N.", "Allbritton, Nancy L."], kind="inventor", context=ctx)
    assert with_ctx.entity_of("Allbritton, N.") is with_ctx.entity_of("Allbritton, Nancy L.")
    assert any(
        "co-inventors" in x for x in with_ctx.explain("Allbritton, N.", "Allbritton, Nancy L.")["reasons"]
    )
    gold = [r["unique_id"] for r in rows]
    assert cluster_metrics(gold, r.labels_)["pairwise"]["f1"] > 0.9


def test_cluster_metrics_counts_pairs() -> None:
    m = cluster_metrics(["a", "a", "b", "b"], [1, 1, 1, 2])
    assert m["pairwise"]["precision"] == round(1 / 3, 4) and m["pairwise"]["recall"] == 0.5


def test_eval_cli_prints_json(shared_data: Path) -> None:
    from typer.testing import CliRunner

    from ipai.cli import _register, app

    _register()  # every command group, as the console script does
    res = CliRunner().invoke(
        app,
        [
            "eval",
            "disambiguation",
            "--benchmark",
            str(shared_data / "patentsview-disambiguation/inventor"),
            "--limit",
            "3000",
        ],
    )
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout.strip().splitlines()[-1])
    lai = out["sets"]["lai-2011-benchmark.csv"]
    assert lai["pairwise"]["f1"] > lai["baseline_exact_normalised_name"]["pairwise"]["f1"]
    assert "skipped" in out["sets"]["binette-2022-inventors-benchmark.csv"]
