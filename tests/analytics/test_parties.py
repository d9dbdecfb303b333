"""One organisation or person is one row: applicant and inventor resolution on real names from the
PatentsView benchmarks and the Lens/PATENTSCOPE exports."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from ipai.analytics.entities.parties import not_a_person, org_labels, person_labels
from ipai.analytics.landscape import Facts, landscape
from ipai.analytics.talent import rank_inventors


def _uc_names(shared_data: Path) -> list[str]:
    """Spellings of the University of California in the NBER assignee benchmark (one labelled cluster)."""
    path = shared_data / "patentsview-disambiguation/assignee/nber-subset-assignees-benchmark.csv"
    plain = re.compile(r"^(the )?(regents )?(of )?(the )?university of california$", re.I)
    with open(path, encoding="utf-8", errors="replace", newline="") as fh:
        return sorted(
            {
                r["organization"]
                for r in csv.DictReader(fh)
                if r["unique_id"] == "UNVIVERSITY OF CALIFORNIA" and plain.match(r["organization"].strip())
            }
        )


def test_university_of_california_spellings_are_one_owner_row(shared_data: Path) -> None:
    names = _uc_names(shared_data)
    assert "The Regents of the University of California" in names and "University of California" in names
    # the spellings of the issue (Lens exports of the demo) with the benchmark's
    names += [
        "UNIV CALIFORNIA",
        "REGENTS OF THE UNIVERSITY OF CALIFORNIA",
        "UNIVERSITY CALIFORNIA OF THE REGENTS OF THE",
    ]
    labels = org_labels(
        names
        + [
            "California Institute of Technology",
            "CALIFORNIA INST OF TECHN",
            "UNIVERSITY OF SOUTHERN CALIFORNIA",
        ]
    )
    assert len(names) >= 8 and len({labels[n] for n in names}) == 1
    assert (
        labels["CALIFORNIA INST OF TECHN"]
        == labels["California Institute of Technology"]
        != labels["UNIV CALIFORNIA"]
    )
    assert labels["UNIVERSITY OF SOUTHERN CALIFORNIA"] != labels["UNIV CALIFORNIA"]
    assert not labels["UNIV CALIFORNIA"].upper().endswith(" THE")  # a rotated spelling is never the label
    facts = [
        Facts(id=f"D{i}", country="US", year=2010, pub_year=2011, family=f"D{i}", applicants=[n])
        for i, n in enumerate(
            [
                "UNIV CALIFORNIA",
                "REGENTS OF THE UNIVERSITY OF CALIFORNIA",
                "The Regents of the University of California",
                "California Institute of Technology",
            ]
        )
    ]
    rows = landscape(facts, top=10, resolve=lambda ns: org_labels(ns))["by_applicant"]
    assert sorted(r["count"] for r in rows) == [1, 3]


def test_non_person_strings_are_never_people(shared_data: Path) -> None:
    with open(
        shared_data / "landscape-lens-patentscope/drones_tac_1606_families.csv",
        encoding="utf-8",
        errors="replace",
        newline="",
    ) as fh:
        inventors = [
            x.strip() for r in csv.DictReader(fh) for x in (r["Inventors"] or "").split(";") if x.strip()
        ]
    waivers = [n for n in inventors if "WAIVED" in n]
    assert waivers and all(not_a_person(n) == "waiver" for n in waivers)
    for s in (
        "MENTIONED THE INVENTOR HAS WAIVED THE RIGHT TO BE",
        "et al.",
        "N/A",
        "Google Inc.",
        "发明人请求不公布姓名",
    ):
        assert not_a_person(s) is not None, s
    people = [n for n in inventors if "WAIVED" not in n][:300]
    assert sum(not_a_person(n) is None for n in people) >= 0.97 * len(people)  # real names stay people
    facts = [
        Facts(
            id="CN204059274U",
            country="CN",
            year=2014,
            pub_year=2014,
            family="a",
            applicants=["WUXI BEIDOUXINGTONG INF TECHNOLOGY CO LTD"],
            inventors=[waivers[0]],
        ),
        Facts(
            id="CN105059539A",
            country="CN",
            year=2015,
            pub_year=2015,
            family="b",
            applicants=["CHENGDU YUYA SCIENCE & TECHNOLOGY CO LTD"],
            inventors=[waivers[0], "ZHANG WEI"],
        ),
    ]
    assert [p["name"] for p in rank_inventors(facts)["inventors"]] == ["ZHANG WEI"]
    assert [r["key"] for r in landscape(facts)["by_inventor"]] == ["ZHANG WEI"]


def test_name_order_variants_merge_when_co_inventors_agree() -> None:
    # US20140012575A / US20140012579A (Nuance; PATENTSCOPE export in the shared pizza set) name the
    # same three inventors, last name first in one record and first name first in the other
    docs = [
        (
            "US20140012575A",
            ["Ganong, III William F.", "Vemula Raghu", "Fleming Robert"],
            ["Nuance Communications, Inc."],
        ),
        (
            "US20140012579A",
            ["William F. Ganong, III", "Raghu Vemula", "Robert Fleming"],
            ["Nuance Communications, Inc."],
        ),
        ("US1", ["Li Wei"], ["A CO LTD"]),
        ("US2", ["Wei Li"], ["B CORP"]),
    ]
    labels = person_labels(docs)
    assert (
        labels["Vemula Raghu"] == labels["Raghu Vemula"]
        and labels["Fleming Robert"] == labels["Robert Fleming"]
    )
    assert labels["Vemula Raghu"] != labels["Fleming Robert"]
    assert labels["Li Wei"] != labels["Wei Li"]  # mirrored names with nothing in common stay two people
    facts = [
        Facts(
            id=i,
            country="US",
            year=2014,
            pub_year=2014,
            family=i,
            applicants=[inv[1], "Nuance Communications, Inc."],
            inventors=list(inv),
        )
        for i, inv, _ in docs[:2]
    ]
    r = landscape(facts, resolve=lambda ns: org_labels(ns))
    assert {x["key"]: x["count"] for x in r["by_inventor"]}[labels["Raghu Vemula"]] == 2
    assert sorted(x["count"] for x in r["by_applicant"]) == [2, 2]  # Nuance and Raghu Vemula, one row each
