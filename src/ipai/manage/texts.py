"""Deadline bases and notes in the reader's language.

A stored deadline keeps its kind and jurisdiction (codes) and, for the record, the English rule and
note :mod:`ipai.manage.deadlines` wrote. The rule a deadline follows is given by its kind and
jurisdiction alone, so its basis is written here from those codes in either language; a note's only
value is the number the rules put in it (the annuity year, the maintenance year, the months an
office-action period extends to).
"""

from __future__ import annotations

import re
from typing import Any

from ipai.manage.deadlines import RULES

BASES: dict[str, str] = {  # the Chinese text of each rule's source (the English is in RULES)
    "priority": "《巴黎公约》第 4 条 C(1)、PCT 第 8 条：自首次申请日起 12 个月",
    "CN.oa": "《专利审查指南》第二部分第八章第 4.10.3 节：第一次审查意见通知书答复期限 4 个月，其后的通知书为 2 个月",
    "CN.annuity": "《专利法实施细则》第九十八条、第一百一十五条：年费在每个申请日周年缴纳，授予专利权当年的年费随办理登记手续时缴纳",
    "US.oa": "35 U.S.C. 133、37 CFR 1.134/1.136(a)：缩短的答复期限为 3 个月，可延长至 6 个月",
    "US.annuity": "35 U.S.C. 41(b)、37 CFR 1.20(e)-(g)：维持费于授权后 3.5 年、7.5 年和 11.5 年缴纳",
    "EP.oa": "《欧洲专利公约》第 94(3) 条、实施细则第 132 条：审查部指定的期限，通常为 4 个月",
    "EP.annuity": "《欧洲专利公约》第 86 条、实施细则第 51 条：自第 3 年起缴纳续展费，在申请日周年所在月末到期（授权后向各国缴纳）",
    "JP.oa": "日本特许厅审查基准：拒绝理由通知书答复期限 60 日（在外申请人为 3 个月）",
    "JP.annuity": "日本《特许法》第 107–108 条：第 1–3 年年费在登记时缴纳，其后每年于申请日周年缴纳",
    "KR.oa": "韩国特许厅：审查意见（驳回理由）通知书答复期限 2 个月，可延长",
    "KR.annuity": "韩国《专利法》第 79 条：第 1–3 年年费在登记时缴纳，其后每年于申请日周年前缴纳",
    "PCT.national": "PCT 第 22(1) 条、第 39(1) 条：自优先权日起 30 个月；《欧洲专利公约》实施细则第 159(1) 条：进入欧洲阶段为 31 个月",
}
NOTES: dict[str, tuple[str, str]] = {  # (English, Chinese)
    "priority_year": ("last day to file abroad claiming priority", "要求优先权向外国申请的最后期限"),
    "national_phase": ("national phase entry (CN, US, JP, KR)", "进入国家阶段（CN、US、JP、KR）"),
    "regional_phase": ("European phase entry", "进入欧洲阶段"),
    "oa_extendable": ("extendable to {n} months", "可延长至 {n} 个月"),
    "maintenance": ("maintenance fee at {n} years", "授权后第 {n} 年的维持费"),
    "annuity": ("annuity year {n}", "第 {n} 年年费"),
}
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def basis_code(kind: str, jurisdiction: str) -> str | None:
    """The rule a deadline follows (a key of :data:`BASES`)."""
    if kind == "priority_year":
        return "priority"
    if kind == "national_phase":
        return "PCT.national"
    if kind == "office_action":
        return f"{jurisdiction}.oa"
    if kind == "annuity":
        return f"{jurisdiction}.annuity"
    return None


def _english_basis(code: str) -> str | None:
    from ipai.manage.deadlines import PRIORITY_SOURCE

    if code == "priority":
        return PRIORITY_SOURCE
    j, _, part = code.partition(".")
    key = {"oa": "oa_source", "annuity": "annuity_source", "national": "national_source"}[part]
    return RULES.get(j, {}).get(key)


def basis(row: dict[str, Any], lang: str | None = "en") -> str:
    """The legal basis of a deadline in ``lang`` (the stored English text when it has no code)."""
    code = basis_code(str(row.get("kind")), str(row.get("jurisdiction")))
    if code is None or code not in BASES:
        return str(row.get("source") or "")
    return BASES[code] if lang == "zh" else (row.get("source") or _english_basis(code) or "")


def note_code(row: dict[str, Any]) -> str | None:
    """Which note a deadline carries (a key of :data:`NOTES`), from its kind and jurisdiction."""
    kind, j = str(row.get("kind")), str(row.get("jurisdiction"))
    if not row.get("note"):
        return None
    if kind == "priority_year":
        return "priority_year"
    if kind == "national_phase":
        return "regional_phase" if j == "EP" else "national_phase"
    if kind == "office_action":
        return "oa_extendable"
    if kind == "annuity":
        return "maintenance" if RULES.get(j, {}).get("annuity") == "us_maintenance" else "annuity"
    return None


def note(row: dict[str, Any], lang: str | None = "en") -> str:
    """A deadline's note in ``lang`` (its number taken from the stored note)."""
    code = note_code(row)
    if code is None:
        return str(row.get("note") or "")
    found = _NUMBER.search(str(row.get("note") or ""))
    return NOTES[code][1 if lang == "zh" else 0].format(n=found.group(0) if found else "")
