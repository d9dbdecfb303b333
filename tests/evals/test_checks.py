"""What the evaluations count, on hand-made documents and rankings (no engine involved)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import pytest

from ipai.evals.filtering import check_row, count_filter_matches, filters_report
from ipai.evals.judge import concept_text, filter_ok, first_claims, judged_text, violations
from ipai.evals.multi_concept import concept_matches, concept_report, concept_row, parse_concepts
from ipai.evals.queryfile import QueryRow
from ipai.evals.runner import Ranking, count_relevant, reported_total
from ipai.evals.same_invention import claim_langs, language_version, pair_scores, split_documents
from ipai.evals.topical import judge_topical, topical_report, topical_row
from ipai.model import Claim, Classification, PatentDocument, PubNo, make_party

F, T = False, True


def _doc(
    number: str,
    cc: str = "US",
    title: str = "",
    abstract: str = "",
    lang: str = "en",
    claims: list[Claim] | None = None,
    year: int | None = 2016,
    classes: tuple[str, ...] = (),
    applicant: str | None = None,
    kind: str = "B2",
) -> PatentDocument:
    party = make_party(applicant) if applicant else None
    return PatentDocument(
        pubno=PubNo(country=cc, number=number, kind=kind),
        doc_type="patent",
        titles={lang: title} if title else {},
        abstracts={lang: abstract} if abstract else {},
        claims=claims or [],
        publication_date=dt.date(year, 5, 1) if year else None,
        classifications=[Classification(scheme="cpc", code=c) for c in classes],
        applicants=[party] if party else [],
    )


@dataclass
class Hit:
    id: str
    title: str = ""
    pubno: str = ""
    langs: list[str] = field(default_factory=list)


def _ranking(docs: list[PatentDocument], total: int = 0) -> Ranking:
    return Ranking(hits=[Hit(d.id, d.title) for d in docs], docs={d.id: d for d in docs}, total=total)


def _row(query: str, **cols: str) -> QueryRow:
    flt = {k: v for k, v in cols.items() if k in ("cc", "lang", "year_from", "cls")}
    return QueryRow(
        query=query,
        filters=flt,
        cols={"query": query, **cols},
        line=2,
        file="q.tsv",
        split=cols.get("split", ""),
        qid="line 2",
        query_lang="zh" if re.search("[一-龥]", query) else "en",
    )


DRONE = _doc(
    "1000001",
    title="Unmanned aerial vehicle",
    abstract="A quadcopter with a battery pack.",
    classes=("B64C39/024", "B64U10/13"),
    applicant="Parrot SA",
)
HEADPHONE = _doc("1000002", title="Battery for a headphone", year=2010, classes=("H01M10/42",))
CN_DRONE = _doc("1000003", cc="CN", title="一种无人机电池", lang="zh", kind="A", year=None)
CLAIMS_ONLY = _doc(
    "1000004",
    claims=[Claim(num=2, text="The drone of claim 1."), Claim(num=1, text="A drone comprising a rotor.")],
)


def test_judged_text_falls_back_to_claim_one() -> None:
    assert judged_text(DRONE) == "Unmanned aerial vehicle\nA quadcopter with a battery pack."
    assert judged_text(CLAIMS_ONLY) == "A drone comprising a rotor."
    assert first_claims(CLAIMS_ONLY) == ["A drone comprising a rotor."]
    assert "rotor" in concept_text(CLAIMS_ONLY)


def test_filter_readings() -> None:
    assert filter_ok(DRONE, "cc", "US") and filter_ok(DRONE, "cc", "CN,US")
    assert not filter_ok(CN_DRONE, "cc", "US")
    assert filter_ok(CN_DRONE, "lang", "zh") and not filter_ok(CN_DRONE, "lang", "en")
    assert filter_ok(DRONE, "year_from", "2016") and not filter_ok(HEADPHONE, "year_from", 2015)
    assert filter_ok(HEADPHONE, "year_to", "2010")
    assert not filter_ok(CN_DRONE, "year_to", "2030")  # no date fails
    assert filter_ok(DRONE, "cls", "B64C") and filter_ok(DRONE, "cls", "b64c39*")
    assert not filter_ok(DRONE, "cls", "H01M")
    assert filter_ok(DRONE, "cls", "B64C39/024") and not filter_ok(DRONE, "cls", "B64C39/02")
    assert filter_ok(DRONE, "applicant", "PARROT") and not filter_ok(DRONE, "applicant", "DJI")
    assert filter_ok(DRONE, "doc_type", "patent") and not filter_ok(DRONE, "doc_type", "design")
    assert violations(HEADPHONE, {"cc": "US", "cls": "B64C", "year_from": "2015"}) == ["cls", "year_from"]


def test_nonsense_query_with_results_is_counted() -> None:
    rows = [
        check_row(_row("xyzzyqq", expect="none"), _ranking([HEADPHONE], total=26591), 51393),
        check_row(_row("鑫淼焱垚", expect="none"), Ranking(total=3), 51393),
        check_row(_row("asdfgh", expect="none"), Ranking(), 51393),
    ]
    rep = filters_report(rows)
    assert rep["nonsense"] == 3 and rep["nonsense_with_results"] == 1
    assert rep["nonsense_reported_matches"] == 2 and rep["nonsense_hits_returned"] == 1
    assert rep["passed"] == 1 and [r["passed"] for r in rows] == [F, F, T]


def test_filter_violations_and_total_bound() -> None:
    row = _row("drone", expect="some", cc="US", year_from="2015")
    good = check_row(row, _ranking([DRONE], total=1), 1)
    assert good["passed"] and not good["violations"]
    bad = check_row(row, _ranking([DRONE, HEADPHONE, CN_DRONE], total=40), 12)
    assert [v["id"] for v in bad["violations"]] == [HEADPHONE.id, CN_DRONE.id]
    assert bad["violations"][1]["failed"] == ["cc", "year_from"] and bad["total_over_filter_matches"]
    missing = check_row(row, Ranking(hits=[Hit("US9A")], total=1), 5)
    assert missing["violations"][0]["failed"] == ["missing-document"]
    empty = check_row(row, Ranking(), 5)
    rep = filters_report([good, bad, missing, empty])
    assert rep["filter_violations"] == 3 and rep["queries_with_violations"] == 2
    assert rep["violations_by_filter"] == {"cc": 1, "year_from": 2, "missing-document": 1}
    assert rep["total_over_filter_matches"] == 1 and rep["real_without_results"] == 1 and rep["passed"] == 1
    sets = [{"cc": "US"}, {}, {"cc": "US", "year_from": "2015"}]
    counts = count_filter_matches([DRONE, HEADPHONE, CN_DRONE], sets)
    assert list(counts.values()) == [2, 3, 1]


def test_topical_row_three_of_ten() -> None:
    docs = [DRONE, CN_DRONE, CLAIMS_ONLY] + [_doc(f"20000{i}", title=f"Pizza oven {i}") for i in range(7)]
    rk = _ranking(docs, total=99)
    flags = judge_topical(rk, re.compile(r"drone|unmanned aerial|无人机", re.I))
    assert flags == [T, T, T] + [F] * 7
    row = topical_row(_row("无人机", lang="en"), rk, flags, 10, relevant=872)
    assert row["p@10"] == 0.3 and row["on_topic"] == 3 and row["returned"] == 10 and row["total"] == 99
    assert row["first_off_topic"]["rank"] == 4 and row["first_off_topic"]["title"] == "Pizza oven 0"
    assert row["attainable@10"] == 1.0 and row["p@10_of_attainable"] == 0.3
    short = topical_row(_row("drone"), _ranking([DRONE]), [T], 10)
    rep = topical_report([row, short, topical_row(_row("drone"), Ranking(error="bad query"), [], 10)], 10)
    assert rep["queries"] == 3 and rep["p@10"] == pytest.approx((0.3 + 0.1 + 0) / 3, abs=1e-4)
    assert rep["precision_returned"] == pytest.approx((0.3 + 1.0) / 2) and rep["empty_results"] == 1
    assert rep["errors"] == 1 and set(rep["by_direction"]) == {"zh->en", "en->any"}


def test_multi_concept_partial_matches() -> None:
    concepts = parse_concepts("drone|unmanned aerial|无人机;batter|电池", "x")
    rk = _ranking([HEADPHONE, DRONE, CN_DRONE, CLAIMS_ONLY])
    m = concept_matches(rk, concepts)
    assert m == [[F, T], [T, T], [T, T], [T, F]]
    row = concept_row(_row("drone battery"), rk, m, relevant=2)
    assert row["p@10"] == 0.2 and row["p@5"] == 0.4 and row["partial@10"] == 0.2 and row["mrr@10"] == 0.5
    assert row["concept_coverage"] == [0.75, 0.75] and row["first_irrelevant"]["missing"] == [1]
    assert row["attainable@10"] == 0.2 and row["p@10_of_attainable"] == 1.0
    assert concept_report([row])["by_concepts"]["2"]["p@10"] == 0.2
    docs = [HEADPHONE, DRONE, CN_DRONE]
    assert count_relevant(docs, [{}, {"cc": "US"}], concept_text, [concepts, concepts]) == [2, 1]


def test_reported_total_prefers_total() -> None:
    @dataclass
    class Old:
        total_keyword: int = 7

    @dataclass
    class New(Old):
        total: int = 2

    assert reported_total(Old()) == 7 and reported_total(New()) == 2


def test_same_invention_versions_and_scores() -> None:
    claims = [
        Claim(num=1, text=t, lang=lang)
        for lang, t in (("en", "A screw."), ("de", "Eine Schraube."), ("fr", "Une vis."))
    ]
    ep = PatentDocument(
        pubno=PubNo(country="EP", number="1234567", kind="B1"),
        claims=claims,
        titles={"en": "Screw", "de": "Schraube", "fr": "Vis"},
        classifications=[Classification(scheme="ipc", code="F16B25/10")],
    )
    single = _doc("7654321", cc="EP", claims=[Claim(num=1, text="Ein Dübel.", lang="de")], kind="A1")
    same_number = _doc("1234567", cc="EP", claims=[Claim(num=1, text="A screw.", lang="en")], kind="A1")
    assert claim_langs(ep, ("en", "de", "fr")) == ["en", "de", "fr"]
    de = language_version(ep, "de")
    assert de.id == "EP1234567DEB" and de.titles == {"de": "Schraube"}
    assert [c.lang for c in de.claims] == ["de"]
    assert de.classifications == ep.classifications and de.languages == ["de"]
    multi, extra = split_documents([ep, single, same_number], ("en", "de", "fr"), None)
    assert multi == [ep] and extra == [single]
    runs = [
        {"source": "de", "target": "en", "rr": 1.0, "rank": 1, "error": None},
        {"source": "de", "target": "en", "rr": 0.25, "rank": 4, "error": None},
        {"source": "fr", "target": "de", "rr": 0.0, "rank": None, "error": "refused"},
    ]
    s = pair_scores(runs, {"en": 1000, "de": 20})
    assert s["pairs"]["de->en"] == {
        "queries": 2,
        "acc@1": 0.5,
        "mrr": 0.625,
        "recall@10": 1.0,
        "errors": 0,
        "candidates": 1000,
        "random_acc@1": 0.001,
    }
    assert s["pairs"]["fr->de"]["acc@1"] == 0.0
    assert s["overall"]["queries"] == 3 and s["overall"]["errors"] == 1
