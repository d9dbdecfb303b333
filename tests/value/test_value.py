"""Valuation and high-value screening on a small real store: Lens drones families and EPO XML."""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from ipai.errors import InputError, NotFound
from ipai.service import Service
from ipai.settings import load_settings
from ipai.value.indicators import FIELDS, extract, owner_type
from ipai.value.model import WEIGHTS, Reference, score

AS_OF = dt.date(2020, 1, 1)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Path:
    d = tmp_path_factory.mktemp("value-corpus")
    shutil.copy(shared_data / "landscape-lens-patentscope/drones_tac_1606_families.csv", d)
    shutil.copytree(shared_data / "epo-xml-samples", d / "epo")
    return d


@pytest.fixture(scope="module")
def svc(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> Iterator[Service]:
    s = Service(load_settings(home=tmp_path_factory.mktemp("home"), progress=False))
    s.corpus.ingest([corpus])
    s.corpus.index()
    yield s
    s.close()


def _fields(svc: Service, doc_id: str) -> dict:
    return svc.store.get_fields([doc_id], FIELDS)[doc_id]


def test_indicators_of_a_real_lens_record(svc: Service) -> None:
    # drones_tac_1606_families.csv: US 3564134 A, filed 1968-07-03, cited 51 times, family 1, US NAVY, G09B9/48
    doc = svc.resolve("US3564134")
    ind = extract(doc.id, _fields(svc, doc.id), AS_OF)
    v = ind.values
    assert v["forward_citations"] == 51 and v["family_size"] == 1 and ind.year == 1968
    assert v["applicant_type"] == "government" and ind.owner == "US NAVY"
    assert v["legal_status"] == "expired" and v["remaining_term"] == 0.0
    assert v["claim_count"] is None and v["cpc_breadth"] >= 1


def test_indicators_of_a_real_ep_grant_with_claims_and_legal_events(svc: Service) -> None:
    ids = svc.store.recent_ids(5000)
    rows = svc.store.get_fields(ids, FIELDS)
    with_events = [(i, f) for i, f in rows.items() if f.get("legal_events") and f.get("claims")]
    assert with_events, "the EPO samples carry legal events"
    doc_id, f = with_events[0]
    ind = extract(doc_id, f, AS_OF)
    claims = f["claims"]
    assert ind.values["claim_count"] == len(claims)
    assert ind.values["independent_claims"] == sum(1 for c in claims if c.get("independent", True))
    indep_words = [len(c["text"].split()) for c in claims if c.get("independent", True)]
    assert abs(ind.values["claim_breadth_words"] - min(indep_words)) <= 0.25 * min(indep_words) + 2
    codes = {e["code"] for e in f["legal_events"]}
    if "B475" in codes:
        assert "lapsed in" in ind.notes["legal_status"]


def test_explanations_sum_to_the_score_and_missing_indicators_are_reweighted(svc: Service) -> None:
    ids = svc.store.recent_ids(5000)
    rows = svc.store.get_fields(ids, FIELDS)
    inds = [extract(i, f, AS_OF) for i, f in rows.items()]
    val = score(inds, Reference.build(inds, AS_OF))
    assert abs(sum(WEIGHTS.values()) - 1.0) < 1e-9
    for j in range(0, len(inds), 97):
        e = val.explain(j)
        if e["score"] is None:
            continue
        assert abs(sum(r["contribution"] for r in e["indicators"]) - e["score"]) < 0.1
        assert abs(sum(r["effective_weight"] for r in e["indicators"]) - 1.0) < 1e-3
        assert 0 <= e["score"] <= 100
        for r in e["indicators"]:
            if r["indicator"] in e["missing"]:
                assert r["contribution"] == 0 and "re-weighted" in r["text"]
    # drop the citation count of a cited document: coverage falls by its weight, the rest re-weighted
    j = next(
        k for k, i in enumerate(inds) if i.values.get("forward_citations") and i.values.get("family_size")
    )
    full = val.explain(j)
    inds[j].values["forward_citations"] = None
    less = score(inds, Reference.build(inds, AS_OF)).explain(j)
    assert abs(full["coverage"] - less["coverage"] - WEIGHTS["forward_citations"]) < 1e-3
    assert "forward_citations" in less["missing"] and "forward citations" in less["note"]
    have = [r for r in less["indicators"] if r["normalised"] is not None]
    expect = 100 * sum(r["weight"] * r["normalised"] for r in have) / sum(r["weight"] for r in have)
    assert abs(less["score"] - expect) < 0.05


def test_applicant_type_on_real_names(shared_data: Path) -> None:
    path = shared_data / "patentsview-disambiguation/assignee/nber-subset-assignees-benchmark.csv"
    with path.open(encoding="utf-8", errors="replace") as fh:
        rows = list(csv.DictReader(fh))
    # raw assignee names (often misspelt: UNVERSITY, UNIVERISTY) whose hand-labelled organisation is a university
    univ_names = {
        r["unique_id"] for r in rows if " UNIVERSITY " in f" {r['organization'].upper()} " and r["unique_id"]
    }
    found = sum(owner_type(n) == "university" for n in univ_names)
    assert len(univ_names) > 500 and found / len(univ_names) > 0.85
    universal = {r["unique_id"] for r in rows if "UNIVERSAL" in r["unique_id"].upper()}
    assert "UNIVERSAL FOODS CORP" in universal
    assert all(owner_type(n) != "university" for n in universal)
    assert owner_type("TEXAS INSTRUMENTS INC") == "company"
    assert owner_type("中国科学院化学研究所") == "institute" and owner_type("清华大学") == "university"
    assert owner_type("UNIV UTRECHT HOLDING BV") == "university"
    assert owner_type("SMITH MICHAEL J", "person") == "individual"


def test_screening_pool_with_reasons(svc: Service) -> None:
    r = svc.value.value_screen("drone OR unmanned OR uav", as_of=AS_OF)
    assert r["portfolio"] > 100 and 0 < r["pool_size"] <= r["eligible"] < r["portfolio"]
    assert sum(r["excluded"].values()) + r["pool_size"] == r["portfolio"]
    assert any(k.startswith("right ended") for k in r["excluded"])
    ranks = [e["rank_score"] for e in r["pool"]]
    assert ranks == sorted(ranks, reverse=True)
    for e in r["pool"]:
        assert e["legal_status"] not in ("expired", "lapsed", "revoked")
        assert e["remaining_term"] is None or e["remaining_term"] >= 3.0
        assert e["reasons"][0].startswith(f"rank {e['rank']} in the portfolio")
        assert any("years of term left" in x for x in e["reasons"]) or e["remaining_term"] is None
    with pytest.raises(InputError):
        svc.value.value_screen("drone", top_share=0)


def test_learned_model_json_roundtrip(svc: Service) -> None:
    from ipai.value.learned import LogisticValue, latest

    out = svc.value.train_value_model(label="cites")
    path = Path(out["path"])
    assert path.suffix == ".json" and path.with_name(path.name + ".version").is_file()
    assert "forward_citations" not in out["coefficients"] and out["positives"] > 0
    model = LogisticValue.load(path)
    ids = svc.store.recent_ids(300)
    rows = svc.store.get_fields(ids, FIELDS)
    inds = [extract(i, f, AS_OF) for i, f in rows.items()]
    val = score(inds, Reference.build(inds, AS_OF))
    again = LogisticValue(
        **{
            k: getattr(model, k)
            for k in ("label", "names", "mean", "feat_mean", "feat_scale", "coef", "intercept", "meta")
        }
    )
    assert np.allclose(model.predict(val), again.predict(val))
    assert json.loads(path.read_text())["format_version"] == 1 and latest(svc.settings, "cites") == path
    e = model.explain(val, 0)
    z = sum(r["log_odds"] for r in e["contributions"]) + e["intercept"]
    assert abs(1 / (1 + np.exp(-z)) - e["probability"]) < 1e-3
    # the value use case now carries the learned probability
    v = svc.value.value(["US3564134"])
    assert 0 <= v["documents"][0]["learned"]["probability"] <= 1
    path.unlink()
    path.with_name(path.name + ".version").unlink()


def test_bad_input(svc: Service) -> None:
    with pytest.raises(NotFound):
        svc.value.value(["US1234567B1"])
    with pytest.raises(InputError):
        svc.value.value(None, "  ")
    with pytest.raises(InputError):
        svc.value.train_value_model(label="price")


def test_api_endpoints(svc: Service) -> None:
    from ipai.api import create_app

    c = TestClient(create_app(service=svc, web=False))
    body = c.get("/api/v1/value", params={"numbers": "US3564134,US 3564134 A"}).json()
    assert body["ok"] and body["valued"] == 1 and body["documents"][0]["indicators"]
    body = c.get("/api/v1/value", params={"q": "drone", "top": 3}).json()
    assert body["ok"] and len(body["documents"]) == 3
    scr = c.get("/api/v1/value/screen", params={"q": "drone", "listed": 5}).json()
    assert scr["ok"] and len(scr["pool"]) <= 5 and scr["pool"][0]["reasons"]
    r = c.get("/api/v1/value", params={"numbers": "US1234567B1"})
    assert r.status_code == 404 and r.json()["ok"] is False
    r = c.get("/api/v1/value", params={"q": ""})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "q"
    assert c.get("/api/v1/value/screen", params={"q": " "}).status_code == 400


def _last_json(out: str) -> dict:
    return json.loads(out.strip().splitlines()[-1])


def test_cli_value_and_eval(svc: Service, corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from ipai.cli import main

    home = str(svc.settings.home)
    assert main(["--home", home, "--no-progress", "value", "US3564134", "--json"]) == 0
    doc = _last_json(capsys.readouterr().out)["documents"][0]
    assert doc["id"].startswith("US3564134") and doc["indicators"][0]["indicator"] == "forward_citations"
    assert (
        main(["--home", home, "--no-progress", "value", "--query", "drone", "--pool", "--top", "3", "--json"])
        == 0
    )
    assert len(_last_json(capsys.readouterr().out)["pool"]) <= 3
    assert main(["--home", home, "--no-progress", "value", "US1234567B1"]) == 1
    capsys.readouterr()
    assert main(["--no-progress", "eval", "value", str(corpus / "drones_tac_1606_families.csv")]) == 0
    r = _last_json(capsys.readouterr().out)
    assert set(r["models"]) == {"indicator", "logistic", "gradient_boosting", "baseline"}
    assert r["train"]["years"][1] <= r["split_year"] < r["test"]["years"][0]
    assert all(0 <= m["auc"] <= 1 for m in r["models"].values()) and r["excluded_indicators"] == [
        "forward_citations"
    ]
    assert "forward_citations" not in r["logistic_coefficients"]
