"""Matching keys for applicant and inventor names, built on :func:`ipai.text.names.normalize_name`.

``org_core`` drops legal forms (``Corp.``, ``GmbH``, ``有限公司`` …) so that variants of one company
share a key; ``acronym`` gives the initials used to match ``IBM`` with ``International Business
Machines``; ``person_parts`` splits an inventor name into last name, first name and initials.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from ipai.text.chinese import has_han
from ipai.text.names import normalize_name

# canonical legal-form tokens (after normalize_name) and other non-distinctive tokens
LEGAL_TOKENS = frozenset(
    [
        "INC",
        "CORP",
        "CO",
        "LTD",
        "LLC",
        "LLP",
        "LP",
        "PLC",
        "GMBH",
        "AG",
        "KG",
        "KGAA",
        "SA",
        "SAS",
        "SARL",
        "SPA",
        "SRL",
        "BV",
        "NV",
        "AB",
        "AS",
        "ASA",
        "OY",
        "OYJ",
        "KK",
        "PTY",
        "PTE",
        "SDN",
        "BHD",
        "EV",
        "E",
        "V",
        "MBH",
        "CORPS",
        "CIE",
        "ET",
        "&",
        "AND",
        "OF",
        "THE",
        "DBA",
        "AKTIEBOLAG",
        "YK",
        "GK",
        "NA",
    ]
)
# the body that holds a university's patents is not another organisation: THE REGENTS OF THE
# UNIVERSITY OF CALIFORNIA = UNIV CALIFORNIA (the PatentsView benchmarks label them one entity)
GOVERNING_TOKENS = frozenset(["REGENTS", "REGENT", "REGEANTS", "REAGENTS", "TRUSTEES", "GOVERNORS"])
# spellings of one word that normalize_name leaves apart (offices' abbreviations, other languages)
ABBREVIATIONS = {
    "TECHN": "TECH",
    "TECHNOL": "TECH",
    "TECHNOLOGICAL": "TECH",
    "UNIVERSITAET": "UNIV",
    "UNIVERSITAT": "UNIV",
    "UNIVERSITE": "UNIV",
    "UNIVERSIDAD": "UNIV",
    "UNIVERSITA": "UNIV",
    "UNIVERSIDADE": "UNIV",
    "INSTITUT": "INST",
    "INSTITUTO": "INST",
    "INSTITUTES": "INST",
    "LABS": "LAB",
    "RES": "RESEARCH",
    "NAT": "NATIONAL",
    "NATL": "NATIONAL",
    "CENTRE": "CENTER",
}
# tokens dropped only at the end of a name (a trailing "INT" rarely distinguishes two companies)
_TRAILING = frozenset({"INT", "GROUP", "HOLDINGS", "HOLDING"})
# Chinese/Japanese organisation suffixes, longest first (already folded to simplified)
HAN_SUFFIXES = (
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "集团公司",
    "总公司",
    "分公司",
    "公司",
    "株式会社",
    "有限会社",
    "合同会社",
    "股ふん",
    "股份",
    "集团",
)
HAN_PREFIXES = (
    "株式会社",
    "一般财团法人",
    "公益财团法人",
    "国立大学法人",
    "学校法人",
    "独立行政法人",
    "国立研究开发法人",
)
_MOJIBAKE = re.compile("[ÃÂâ][\u0080-\u00ff\u0152-\u0192\u02c6-\u2122]")


def fix_mojibake(name: str) -> str:
    """Undo UTF-8 read as cp1252/latin-1 (``FÃƒÂ¶rderung`` → ``Förderung``), up to three layers."""
    for _ in range(3):
        if not _MOJIBAKE.search(name):
            break
        fixed = None
        for enc in ("cp1252", "latin-1"):
            try:
                fixed = name.encode(enc).decode("utf-8")
                break
            except (UnicodeEncodeError, UnicodeDecodeError):
                continue
        if fixed is None or fixed == name:
            break
        name = fixed
    return name


def org_tokens(name: str) -> list[str]:
    """Normalised word tokens of an organisation name with legal forms and ``THE``/``OF`` removed."""
    return list(_org_tokens(name))


@lru_cache(maxsize=1 << 18)  # landscapes resolve the same applicant names query after query
def _org_tokens(name: str) -> tuple[str, ...]:
    norm = normalize_name(fix_mojibake(name), kind="organisation")
    if has_han(norm):
        return (han_core(norm),)
    toks = [ABBREVIATIONS.get(t, t) for t in norm.split() if t not in LEGAL_TOKENS]
    if len(toks) > 1 and {"UNIV", "COLLEGE", "INST"} & set(toks):
        toks = [t for t in toks if t not in GOVERNING_TOKENS] or toks
    while len(toks) > 1 and toks[-1] in _TRAILING:
        toks.pop()
    return tuple(toks or norm.split())


def han_core(norm: str) -> str:
    """Chinese/Japanese name (normalised: simplified, no punctuation) without legal-form affixes."""
    s = norm
    changed = True
    while changed:
        changed = False
        for suf in HAN_SUFFIXES:
            if s.endswith(suf) and len(s) > len(suf) + 1:
                s, changed = s[: -len(suf)], True
        for pre in HAN_PREFIXES:
            if s.startswith(pre) and len(s) > len(pre) + 1:
                s, changed = s[len(pre) :], True
    return s


def org_core(name: str) -> str:
    """The key shared by variants of one organisation (tokens without legal forms, no spaces)."""
    return "".join(org_tokens(name))


def acronym(tokens: list[str]) -> str:
    """Initials of a multi-word name (``INTERNATIONAL BUSINESS MACHINES`` → ``IBM``); '' if < 3 words."""
    words = [t for t in tokens if t not in LEGAL_TOKENS and not t.isdigit()]
    return "".join(w[0] for w in words) if len(words) >= 3 else ""


@dataclass(frozen=True)
class PersonName:
    """An inventor name split for matching: last name, first given name, other initials."""

    last: str
    first: str
    initials: str

    @cached_property  # a frozen dataclass: computed once per name (resolvers ask it often)
    def full(self) -> str:
        """``LAST FIRST INITIALS`` (the exact-name key)."""
        return " ".join(x for x in (self.last, self.first, self.initials) if x)


def person_parts(name: str, first: str | None = None) -> PersonName:
    """Split ``Last; First`` / ``Last, First`` / ``First Middle Last`` (or given ``first`` + ``name`` as last)."""
    return _person_parts(name, first)


@lru_cache(maxsize=1 << 18)  # landscapes resolve the same inventor names query after query
def _person_parts(name: str, first: str | None) -> PersonName:
    if first is not None:
        last_s, first_s = name, first
    elif ";" in name or "," in name:
        last_s, _, first_s = name.replace(";", ",").partition(",")
    else:
        parts = name.split()
        if has_han(name):
            last_s, first_s = name[:1], name[1:]
        elif len(parts) == 1:
            last_s, first_s = parts[0], ""
        elif name.isupper() or len(parts[-1].rstrip(".")) == 1:
            # Lens style "BARAS BENOIT", "Buchanan Bob B.": last name first (no last name is an initial)
            last_s, first_s = parts[0], " ".join(parts[1:])
        else:
            last_s, first_s = parts[-1], " ".join(parts[:-1])
    last = normalize_name(fix_mojibake(last_s), kind="person").replace(" ", "")
    given = normalize_name(fix_mojibake(first_s).replace("-", ""), kind="person").split()
    given = [g for g in given if g not in {"JR", "SR", "II", "III", "IV", "DR"}]
    if has_han(last):
        return PersonName(last, "".join(given), "")
    head = given[0] if given else ""
    return PersonName(last, head, "".join(g[0] for g in given[1:]))
