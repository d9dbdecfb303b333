"""Deadline rules per jurisdiction on real calendar dates (month ends, leap years)."""

from __future__ import annotations

import datetime as dt

import pytest

from ipai.errors import InputError
from ipai.manage import deadlines as D

day = dt.date.fromisoformat


def test_add_months_clamps_to_month_end() -> None:
    assert D.add_months(day("2024-01-31"), 1) == day("2024-02-29")  # leap year
    assert D.add_months(day("2023-01-31"), 1) == day("2023-02-28")
    assert D.add_months(day("2023-08-31"), 30) == day("2026-02-28")
    assert D.add_months(day("2024-11-15"), 12) == day("2025-11-15")


def test_priority_year_and_pct_national_phase() -> None:
    out = {
        (d["kind"], d["jurisdiction"]): d["due"]
        for d in D.filing_deadlines("PCT", day("2024-03-15"), day("2023-09-30"))
    }
    assert out[("priority_year", "PCT")] == "2024-09-30"  # 12 months from the first filing
    assert out[("national_phase", "PCT")] == "2026-03-30"  # 30 months from the priority date
    assert out[("national_phase", "EP")] == "2026-04-30"  # 31 months for the European phase
    cn = D.filing_deadlines("CN", day("2025-02-28"))
    assert [(d["kind"], d["due"]) for d in cn] == [("priority_year", "2026-02-28")]
    assert "Paris Convention" in cn[0]["source"]


@pytest.mark.parametrize(
    ("code", "due"),
    [
        ("CN", "2025-07-10"),
        ("US", "2025-06-10"),
        ("EP", "2025-07-10"),
        ("JP", "2025-05-10"),
        ("KR", "2025-05-10"),
    ],
)
def test_office_action_periods(code: str, due: str) -> None:
    d = D.office_action_deadline(code, day("2025-03-10"))
    assert d["due"] == due and d["source"]
    if code == "US":
        assert "6 months" in d["note"]


def test_annuities_per_jurisdiction() -> None:
    us = D.grant_deadlines("US", day("2019-05-20"), day("2021-08-03"))
    assert [d["due"] for d in us] == [
        "2025-02-03",
        "2029-02-03",
        "2033-02-03",
    ]  # 3.5 / 7.5 / 11.5 years from grant
    cn = D.grant_deadlines("CN", day("2020-06-30"), day("2022-01-10"))
    assert cn[0]["due"] == "2022-06-30" and cn[-1]["due"] == "2039-06-30" and len(cn) == 18  # years 3-20
    ep = D.grant_deadlines("EP", day("2020-06-30"), day("2021-01-10"))
    assert ep[0]["due"] == "2022-06-30" and ep[0]["note"] == "annuity year 3"
    jp = D.grant_deadlines("JP", day("2020-06-30"), day("2021-01-10"))
    assert (
        jp[0]["due"] == "2023-06-30" and jp[0]["note"] == "annuity year 4"
    )  # years 1-3 paid at registration
    assert D.grant_deadlines("KR", day("2020-06-30"), day("2021-01-10"))[0]["note"] == "annuity year 4"


def test_bad_dates_and_unknown_jurisdictions_name_the_field() -> None:
    with pytest.raises(InputError) as e:
        D.parse_date("2025-02-30", "filing_date")
    assert e.value.errors == [{"field": "filing_date", "message": "not a date (YYYY-MM-DD)"}]
    with pytest.raises(InputError) as e:
        D.check_jurisdiction("XX")
    assert e.value.errors[0]["field"] == "jurisdiction" and "CN" in e.value.errors[0]["message"]
    assert D.check_jurisdiction(" ep ") == "EP"
    with pytest.raises(InputError):
        D.office_action_deadline("PCT", day("2025-01-01"))
