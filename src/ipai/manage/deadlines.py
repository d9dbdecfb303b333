"""Deadline rules per jurisdiction, as a table with the source of each rule, and the functions
that turn a filing's dates into dated deadlines.

Periods are calendar months from the triggering date; a day that does not exist in the target
month falls on the month's last day (31 Jan + 1 month = 28/29 Feb), as the offices count.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from ipai.errors import InputError
from ipai.text.inputs import iso_date

JURISDICTIONS = ("CN", "US", "EP", "JP", "KR", "PCT")
TERM_YEARS = 20  # patent term from filing (TRIPS Art. 33) bounds the annuity list

# jurisdiction → rule → (months | value, source). Office-action periods are the usual first-action
# period; extensions are noted, not assumed.
RULES: dict[str, dict[str, Any]] = {
    "CN": {
        "oa_months": 4,
        "oa_source": "CNIPA Guidelines for Patent Examination Part II Ch. 8 §4.10.3 (first "
        "office action: 4 months; later actions 2 months)",
        "annuity": "yearly",
        "annuity_from_year": 1,
        "annuity_source": "Implementing Regulations of the Patent "
        "Law r. 98/r.115: annual fees on each filing anniversary, the first with the grant",
    },
    "US": {
        "oa_months": 3,
        "oa_max_months": 6,
        "oa_source": "35 U.S.C. 133, 37 CFR 1.134/1.136(a): 3-month shortened period, extendable to 6 months",
        "annuity": "us_maintenance",
        "maintenance_years": (3.5, 7.5, 11.5),
        "annuity_source": "35 U.S.C. 41(b), 37 CFR 1.20(e)-(g): maintenance fees due 3.5, 7.5 and 11.5 "
        "years from grant",
    },
    "EP": {
        "oa_months": 4,
        "oa_source": "EPC Art. 94(3), r. 132: period set by the examining division, typically 4 months",
        "annuity": "yearly",
        "annuity_from_year": 3,
        "annuity_source": "EPC Art. 86, r. 51: renewal fees from "
        "the 3rd year, due on the filing anniversary month-end (national after grant)",
    },
    "JP": {
        "oa_months": 2,
        "oa_source": "JPO Examination Handbook: 60 days for a notice of reasons for "
        "refusal (3 months for applicants abroad)",
        "annuity": "yearly",
        "annuity_from_year": 4,
        "annuity_source": "Japan Patent Act Art. 107-108: years "
        "1-3 paid at registration, then yearly on the filing anniversary",
    },
    "KR": {
        "oa_months": 2,
        "oa_source": "KIPO: 2 months for a notice of preliminary rejection, extendable",
        "annuity": "yearly",
        "annuity_from_year": 4,
        "annuity_source": "Korea Patent Act Art. 79: years 1-3 "
        "paid at registration, then yearly before the filing anniversary",
    },
    "PCT": {
        "national_months": 30,
        "national_months_ep": 31,
        "national_source": "PCT Art. 22(1)/39(1): 30 months from the priority date; EPC r. 159(1): 31 months "
        "for entry into the European phase",
    },
}
PRIORITY_MONTHS = 12
PRIORITY_SOURCE = "Paris Convention Art. 4C(1), PCT Art. 8: 12 months from the first filing"


def add_months(d: dt.date, months: int) -> dt.date:
    """``d`` plus calendar months, clamped to the target month's last day."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return dt.date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


parse_date = iso_date  # dates people type: strict ISO, errors naming the field


def check_jurisdiction(value: Any, field: str = "jurisdiction") -> str:
    """The jurisdiction code upper-cased, or an InputError naming ``field`` and the known codes."""
    code = str(value or "").strip().upper()
    if code not in RULES:
        raise InputError(
            f"{field}: unknown jurisdiction {value!r} (known: {', '.join(JURISDICTIONS)})",
            errors=[{"field": field, "message": f"unknown jurisdiction; known: {', '.join(JURISDICTIONS)}"}],
        )
    return code


def _d(kind: str, jurisdiction: str, due: dt.date, source: str, note: str = "") -> dict[str, Any]:
    return {
        "kind": kind,
        "jurisdiction": jurisdiction,
        "due": due.isoformat(),
        "source": source,
        "note": note,
    }


def filing_deadlines(
    jurisdiction: str,
    filing_date: dt.date,
    priority_date: dt.date | None = None,
) -> list[dict[str, Any]]:
    """Deadlines a filing sets: the priority year (from the first filing) and, for a PCT
    application, national/regional phase entry (30 months; 31 for EP)."""
    first = min(filing_date, priority_date) if priority_date else filing_date
    out = [
        _d(
            "priority_year",
            jurisdiction,
            add_months(first, PRIORITY_MONTHS),
            PRIORITY_SOURCE,
            "last day to file abroad claiming priority",
        )
    ]
    if jurisdiction == "PCT":
        r = RULES["PCT"]
        out.append(
            _d(
                "national_phase",
                "PCT",
                add_months(first, r["national_months"]),
                r["national_source"],
                "national phase entry (CN, US, JP, KR)",
            )
        )
        out.append(
            _d(
                "national_phase",
                "EP",
                add_months(first, r["national_months_ep"]),
                r["national_source"],
                "European phase entry",
            )
        )
    return out


def office_action_deadline(jurisdiction: str, action_date: dt.date) -> dict[str, Any]:
    """The response deadline for an office action issued on ``action_date``."""
    r = RULES[jurisdiction]
    if "oa_months" not in r:
        raise InputError(
            f"jurisdiction: {jurisdiction} issues no office actions (the national offices do)",
            errors=[{"field": "jurisdiction", "message": "no office actions for PCT"}],
        )
    note = f"extendable to {r['oa_max_months']} months" if r.get("oa_max_months") else ""
    return _d("office_action", jurisdiction, add_months(action_date, r["oa_months"]), r["oa_source"], note)


def grant_deadlines(jurisdiction: str, filing_date: dt.date, grant_date: dt.date) -> list[dict[str, Any]]:
    """Annuities / maintenance fees of a granted patent until the end of its term."""
    r = RULES[jurisdiction]
    end = add_months(filing_date, TERM_YEARS * 12)
    if r.get("annuity") == "us_maintenance":
        return [
            _d(
                "annuity",
                jurisdiction,
                add_months(grant_date, int(y * 12)),
                r["annuity_source"],
                f"maintenance fee at {y} years",
            )
            for y in r["maintenance_years"]
        ]
    if r.get("annuity") != "yearly":
        return []
    out = []
    for year in range(r["annuity_from_year"], TERM_YEARS + 1):
        due = add_months(filing_date, 12 * (year - 1))  # fee for patent year N falls due at its start
        if due >= grant_date and due < end:
            out.append(_d("annuity", jurisdiction, due, r["annuity_source"], f"annuity year {year}"))
    return out
