"""The statutory term of a right: when it ends, counted from filing (or grant) by office and type.

============================  ============================================================
right                         term
============================  ============================================================
CN invention                  20 years from filing (Patent Law art. 42)
CN utility model              10 years from filing
CN design                     15 years from filing, 10 for filings before 2021-06-01 (the
                              2020 amendment took effect on 2021-06-01)
US utility, plant             20 years from filing, plus the patent term adjustment the
                              grant carries; filed before 1995-06-08: 17 years from grant,
                              or the later of that and 20 from filing when granted after
US design                     15 years from grant (filed since 2015-05-13), 14 before
EP and other inventions       20 years from filing
other utility models          10 years from filing (DE, JP, KR, AT …)
JP design                     25 years from filing (filed since 2020-04-01)
WO                            none: an international application is not a right
============================  ============================================================

The term ends on the anniversary of the start date (29 February → 28 February). A filing date
that is not stored is estimated conservatively: the latest date the filing can have, 12 months
after the priority date (Paris Convention), else the publication date; ``estimated`` says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

CN_DESIGN_15 = dt.date(2021, 6, 1)
US_20_FROM_FILING = dt.date(1995, 6, 8)
US_DESIGN_15 = dt.date(2015, 5, 13)
JP_DESIGN_25 = dt.date(2020, 4, 1)


@dataclass(frozen=True)
class Term:
    """When a right ends and why: ``years`` from ``start`` (``filing`` or ``grant``) on
    ``start_date``, plus ``extension_days``; ``estimated``: ``priority`` or ``publication`` when the
    filing date was estimated from it; ``rule`` names the row of the module table."""

    expiry: dt.date | None
    years: int | None = None
    start: str | None = None
    start_date: dt.date | None = None
    extension_days: int = 0
    estimated: str | None = None
    rule: str | None = None


def add_years(d: dt.date, years: int) -> dt.date:
    """The same day ``years`` later (29 February → 28 February)."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


def _filing(
    filing: dt.date | None, priority: dt.date | None, publication: dt.date | None
) -> tuple[dt.date | None, str | None]:
    if filing:
        return filing, None
    if priority:
        return add_years(priority, 1), "priority"
    if publication:
        return publication, "publication"
    return None, None


def term_of(
    office: str,
    doc_type: str | None,
    *,
    filing: dt.date | None,
    grant: dt.date | None,
    priority: dt.date | None = None,
    publication: dt.date | None = None,
    extension_days: int | None = None,
) -> Term:
    """The term of a right of ``doc_type`` (the model's types) filed at ``office``."""
    start, est = _filing(filing, priority, publication)
    kind = doc_type or "application"
    if office == "WO":
        return Term(None, rule="wo")
    if office == "US" and kind == "design":
        if grant is None:
            return Term(None, rule="us-design")
        years = 15 if (filing or grant) >= US_DESIGN_15 else 14
        return Term(add_years(grant, years), years, "grant", grant, rule=f"us-design-{years}")
    if office == "US" and kind == "reissue":
        return Term(None, rule="us-reissue")  # ends with the original patent, which is not known here
    if office == "US" and start is not None and start < US_20_FROM_FILING and est is None:
        if grant is None:
            return Term(None, rule="us-17")
        end = add_years(grant, 17)
        if grant >= US_20_FROM_FILING:
            end = max(end, add_years(start, 20))
        return Term(end, 17, "grant", grant, rule="us-17")
    if start is None:
        return Term(None)
    if kind == "utility_model":
        years, rule = 10, f"{office.lower()}-utility-model" if office == "CN" else "utility-model"
    elif kind == "design":
        if office == "CN":
            years = 15 if start >= CN_DESIGN_15 else 10
            rule = f"cn-design-{years}"
        elif office == "JP" and start >= JP_DESIGN_25:
            years, rule = 25, "jp-design"
        else:
            return Term(None, rule="design")
    else:
        years, rule = 20, "cn-invention" if office == "CN" else "invention"
    end = add_years(start, years)
    ext = int(extension_days or 0) if office == "US" else 0
    if ext:
        end += dt.timedelta(days=ext)
    return Term(end, years, "filing", start, ext, est, rule)
