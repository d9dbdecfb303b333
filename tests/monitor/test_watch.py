"""Watchlists on real data split into "old" and "new": the 1,606 drone families (Lens) published
before 2015 are old, from 2015 new; two real EPO grants arrive with the new ones (one cites EP 0460575);
EUIPO marks are split by application number. Alerts must fire on new matching records only."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ipai.errors import InputError, NotFound, QueryError
from ipai.monitor.watch_eval import NameMatcher
from ipai.search.query.parser import parse_query
from ipai.service import Service
from ipai.settings import load_settings

DRONES = "landscape-lens-patentscope/drones_tac_1606_families.csv"
MARKS = "trademark-vienna-euipo/Trademark2020_validation.json"


def split_drones(shared: Path, out: Path) -> tuple[Path, Path, list[dict[str, str]]]:
    """The drone families as two UTF-8 files: published before 2015 (old) and from 2015 (new)."""
    text = (shared / DRONES).read_bytes().decode("mac_roman")  # the export is Mac Roman with CR line ends
    rows = list(csv.reader(io.StringIO(text, newline="")))
    head, body = rows[0], rows[1:]
    year = head.index("Publication Year")
    parts = {
        "old": [r for r in body if int(r[year]) < 2015],
        "new": [r for r in body if int(r[year]) >= 2015],
    }
    paths = []
    for name, rs in parts.items():
        (out / name).mkdir(parents=True, exist_ok=True)
        with (out / name / "drones.csv").open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(head)
            w.writerows(rs)
        paths.append(out / name / "drones.csv")
    return paths[0], paths[1], [dict(zip(head, r, strict=False)) for r in parts["new"]]


def split_marks(shared: Path, out: Path, n: int = 3000) -> None:
    marks = json.loads((shared / MARKS).read_text(encoding="utf-8"))
    keys = sorted(marks)
    for name, ks in (("old", keys[:n]), ("new", keys[n : 2 * n])):
        (out / name / "marks.json").write_text(json.dumps({k: marks[k] for k in ks}), encoding="utf-8")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Iterator[dict[str, Any]]:
    d = tmp_path_factory.mktemp("watch-data")
    _, _, new_rows = split_drones(shared_data, d)
    split_marks(shared_data, d)
    for f in ("grant/v1-0-B2.xml", "grant/v1-2-B1.xml"):  # EP874807 cites EP0460575; EP610335 does not
        shutil.copy(shared_data / "epo-xml-samples" / f, d / "new" / f.replace("/", "-"))
    svc = Service(load_settings(home=tmp_path_factory.mktemp("watch-home"), progress=False))
    svc.corpus.ingest([d / "old"])
    svc.corpus.index()
    seq = svc.store.max_seq()
    old_ids = {i for _, i in svc.store.changed_docs(0, seq, limit=100_000)}
    titles = svc.store.get_fields(sorted(old_ids), ("titles",))
    new_titles = {r["Title"].lower() for r in new_rows if len(r["Title"]) > 30}
    own_close = min(i for i, f in titles.items() if (f["titles"] or {}).get("en", "").lower() in new_titles)
    w = {
        "parrot": svc.monitor.add_watch({"kind": "competitor", "terms": "Parrot"}),
        "thales": svc.monitor.add_watch(
            {"kind": "competitor", "terms": ["Thales S.A."], "options": {"match": "exact"}}
        ),
        "cpc": svc.monitor.add_watch({"kind": "cpc", "terms": ["b64c 39/02"], "severity": "medium"}),
        "query": svc.monitor.add_watch({"kind": "query", "terms": "ti:(hydrofoil OR amphibious)"}),
        "own": svc.monitor.add_watch({"kind": "own", "terms": ["EP 0460575 B1", own_close]}),
        "tm": svc.monitor.add_watch({"kind": "trademark", "terms": ["Explorer", "Dragon"]}),
    }
    svc.corpus.ingest([d / "new"])  # evaluates every watchlist on what it changed
    new_ids = {i for _, i in svc.store.changed_docs(seq, svc.store.max_seq(), limit=100_000)}
    yield {
        "svc": svc,
        "w": w,
        "old": old_ids,
        "new": new_ids,
        "new_rows": new_rows,
        "dir": d,
        "own_close": own_close,
    }
    svc.close()


def _alerts(svc: Service, watch: dict[str, Any]) -> list[dict[str, Any]]:
    return svc.monitor.alerts(watchlist_id=watch["id"], limit=10_000)["items"]


def test_competitor_fires_on_new_documents_of_that_company_only(world: dict[str, Any]) -> None:
    svc = world["svc"]
    alerts = _alerts(svc, world["w"]["parrot"])
    targets = {a["target"] for a in alerts}
    expected = [
        r for r in world["new_rows"] if any(a.startswith("PARROT") for a in r["Applicants"].split(";;"))
    ]
    assert len(expected) == 14 and len(targets) == len(alerts) == 14  # 13 "PARROT" + 1 "PARROT S A"
    assert targets <= world["new"] and not targets & world["old"]
    assert {a["detail"]["applicant"] for a in alerts} == {"PARROT", "PARROT S A"}
    assert all(a["severity"] == "medium" and "Parrot" in a["reason"] and a["title"] for a in alerts)
    # nothing else among the new documents has a Parrot applicant
    others = svc.store.get_fields(sorted(world["new"] - targets), ("applicants",))
    assert not [i for i, f in others.items() if any("PARROT" in p["name"] for p in f["applicants"] or [])]
    thales = _alerts(svc, world["w"]["thales"])
    n_thales = sum("THALES SA" in r["Applicants"].split(";;") for r in world["new_rows"])
    assert n_thales >= 1 and len(thales) == n_thales
    assert all(a["detail"]["applicant"] == "THALES SA" for a in thales)


def test_name_matcher_variants_initials_and_misspellings() -> None:
    m = NameMatcher(["Parrot"])
    for name in (
        "PARROT DRONES",
        "PARROTT DRONES",
        "Parrot S.A.",
        "PARROT SA",
    ):  # spellings in the Lens drone sets
        assert m.match(name), name
    assert not m.match("PARAFARM") and not m.match("SPARROW AERO")
    assert not NameMatcher(["Parrot"], "exact").match("PARROT DRONES")
    ibm = NameMatcher(["International Business Machines Corp."])
    assert ibm.match("IBM") and ibm.match("INTERNATIONAL BUSINESS MACHINES CORP")
    assert NameMatcher(["IBM"]).match("INTERNATIONAL BUSINESS MACHINES CORPORATION")
    assert NameMatcher(["华为技术有限公司"]).match("华为技术有限公司") and NameMatcher(["华为"]).match(
        "华为技术有限公司"
    )
    assert not NameMatcher(["华为"]).match("中兴通讯股份有限公司")


def test_cpc_and_query_watches(world: dict[str, Any]) -> None:
    svc = world["svc"]
    cpc = _alerts(svc, world["w"]["cpc"])
    fields = svc.store.get_fields(sorted(world["new"]), ("classifications",))
    expected = {
        i
        for i, f in fields.items()
        if any(c["code"].replace(" ", "").startswith("B64C39/02") for c in f["classifications"] or [])
    }
    assert len(expected) > 20 and {a["target"] for a in cpc} == expected
    assert all(a["severity"] == "medium" and "B64C39/02" in a["reason"] for a in cpc)
    q = _alerts(svc, world["w"]["query"])
    titles = svc.store.get_fields([a["target"] for a in q], ("titles",))
    assert len(q) >= 2 and {a["target"] for a in q} <= world["new"]
    assert all(
        any(w in t.lower() for t in f["titles"].values() for w in ("hydrofoil", "amphib"))
        for f in titles.values()
    )
    old_hits, _ = svc.search_engine.match_ids(parse_query("ti:(hydrofoil OR amphibious)"))
    assert set(old_hits) - {a["target"] for a in q} <= world["old"]  # the old matches raised nothing


def test_own_patents_cited_or_close(world: dict[str, Any]) -> None:
    alerts = {a["target"]: a for a in _alerts(world["svc"], world["w"]["own"])}
    cite = alerts["EP874807B"]
    assert (
        cite["severity"] == "high"
        and cite["detail"]["cites"] == ["EP460575B"]
        and "cites your patent" in cite["reason"]
    )
    assert "EP610335B" not in alerts
    close = [a for a in alerts.values() if "close_to" in a["detail"]]
    assert close and all(a["detail"]["close_to"] == world["own_close"] and a["score"] >= 0.86 for a in close)
    assert set(alerts) <= world["new"] and len(close) < 20


def test_trademark_watch_on_new_marks(world: dict[str, Any]) -> None:
    alerts = _alerts(world["svc"], world["w"]["tm"])
    marks = {a["detail"]["mark_text"] for a in alerts}
    assert {"XPLORER", "DRAGON"} <= marks
    new_keys = set(json.loads((world["dir"] / "new/marks.json").read_text()))
    assert all(a["target"].removeprefix("TM-EM") in new_keys for a in alerts)
    assert all(a["score"] >= 0.85 for a in alerts)
    assert next(a for a in alerts if a["detail"]["mark_text"] == "DRAGON")["severity"] == "high"


def test_incremental_rerun_and_reingest_raise_nothing_twice(world: dict[str, Any]) -> None:
    svc = world["svc"]
    before = svc.monitor.alerts(limit=1)["total"]
    r = svc.monitor.run_watchlists()
    assert r["alerts"] == 0 and all(w["documents"] == 0 for w in r["watchlists"])
    svc.corpus.ingest([world["dir"] / "new"], force=True)  # the same records written again
    assert svc.monitor.alerts(limit=1)["total"] == before
    w = svc.monitor.watch(world["w"]["parrot"]["id"])
    assert w["last_seq"] == svc.store.max_seq() and w["last_run"]["alerts"] == 0


def test_acknowledge(world: dict[str, Any]) -> None:
    svc = world["svc"]
    a = _alerts(svc, world["w"]["thales"])
    n = svc.monitor.alerts()["unacknowledged"]
    assert svc.monitor.ack_alerts([a[0]["id"]]) == 1 and svc.monitor.alerts()["unacknowledged"] == n - 1
    assert svc.monitor.ack_alerts([a[0]["id"]]) == 0
    assert a[0]["id"] not in {x["id"] for x in svc.monitor.alerts(unacknowledged=True, limit=10_000)["items"]}
    with pytest.raises(NotFound, match="999999"):
        svc.monitor.ack_alerts([999999])


def test_bad_input_names_the_field(world: dict[str, Any]) -> None:
    svc = world["svc"]
    cases = [
        ({"kind": "patent", "terms": "x"}, "kind"),
        ({"kind": "cpc", "terms": ["B64C", "drones"]}, "terms[1]"),
        ({"kind": "own", "terms": ["not a number!"]}, "terms[0]"),
        ({"kind": "competitor", "terms": "Parrot", "options": {"fuzzy": 1}}, "options.fuzzy"),
        ({"kind": "trademark", "terms": "x", "options": {"min_score": 20}}, "options.min_score"),
        ({"kind": "query", "terms": "x", "colour": "red"}, "colour"),
        ({"kind": "competitor", "terms": " "}, "terms"),
        ({"kind": "query", "terms": "a", "severity": "urgent"}, "severity"),
    ]
    for values, field in cases:
        with pytest.raises(InputError) as exc:
            svc.monitor.add_watch(values)
        assert exc.value.errors[0]["field"] == field, values
    with pytest.raises(QueryError) as qe:
        svc.monitor.add_watch({"kind": "query", "terms": "ti:(drone AND"})
    assert qe.value.errors[0]["position"] is not None
    with pytest.raises(NotFound):
        svc.monitor.run_watchlists(ids=[424242])
    with pytest.raises(NotFound):
        svc.monitor.remove_watch(424242)
    with pytest.raises(InputError) as exc:
        svc.monitor.update_watch(world["w"]["cpc"]["id"], {"kind": "query"})
    assert exc.value.errors[0]["field"] == "kind"


def test_a_run_evaluates_only_new_documents(world: dict[str, Any], tmp_path: Path) -> None:
    """A run with nothing new evaluates no document; one new document matching the saved query
    is the one document each watchlist evaluates next, and raises exactly one query alert."""
    from ipai.ingest.pipeline import Ingester
    from ipai.model import PubNo, dump_record

    svc = world["svc"]
    idle = svc.monitor.run_watchlists()
    assert idle["documents_evaluated"] == 0 and idle["alerts"] == 0
    query = world["w"]["query"]
    before = len(_alerts(svc, query))
    base = svc.store.get_document(sorted(world["new"])[0])
    assert base is not None
    doc = base.model_copy(
        update={
            "pubno": PubNo(country="US", number="99000001", kind="A1"),
            "titles": {"en": "Amphibious hydrofoil drone with a folding wing"},
            "citations": [],
            "family_id": None,
        }
    )
    line = dump_record(doc).replace(f'"id":"{base.id}"', '"id":"US99000001A"')
    (tmp_path / "one.jsonl").write_text(line + "\n", encoding="utf-8")
    summary = Ingester(svc.store, svc.settings).run([tmp_path / "one.jsonl"])  # no automatic run
    assert summary.loaded == 1, summary.to_json()
    run = svc.monitor.run_watchlists()
    docs = {w["kind"]: w["documents"] for w in run["watchlists"]}
    assert docs == {"competitor": 1, "cpc": 1, "query": 1, "own": 1, "trademark": 0}, docs
    q = next(w for w in run["watchlists"] if w["id"] == query["id"])
    assert q["alerts"] == 1
    after = _alerts(svc, query)
    assert len(after) == before + 1 and "US99000001A" in {a["target"] for a in after}
    assert svc.monitor.run_watchlists()["documents_evaluated"] == 0
