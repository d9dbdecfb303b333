"""Names of organisations and persons: normalisation for matching, and kind guessing.

This is the light, deterministic normal form stored with every party at ingest. Entity
resolution across name variants (scored merges) builds on it in ``ipai.analytics``.
"""

from __future__ import annotations

import re
import unicodedata

from ipai.text.chinese import has_han, to_simplified

# legal-form variants → one canonical token (applied on upper-cased, punctuation-free text)
_LEGAL_FORMS: list[tuple[str, str]] = [
    (r"\bCORPORATION\b", "CORP"),
    (r"\bINCORPORATED\b", "INC"),
    (r"\bCOMPANY\b", "CO"),
    (r"\bLIMITED\b", "LTD"),
    (r"\bAKTIENGESELLSCHAFT\b", "AG"),
    (r"\bGESELLSCHAFT MIT BESCHRAENKTER HAFTUNG\b", "GMBH"),
    (r"\bSOCIETE ANONYME\b", "SA"),
    (r"\bKABUSHIKI KAISHA\b", "KK"),
    (r"\bUNIVERSITY\b", "UNIV"),
    (r"\bINSTITUTE\b", "INST"),
    (r"\bLABORATORIES\b", "LAB"),
    (r"\bLABORATORY\b", "LAB"),
    (r"\bLABS\b", "LAB"),
    (r"\bTECHNOLOGIES\b", "TECH"),
    (r"\bTECHNOLOGY\b", "TECH"),
    (r"\bINTERNATIONAL\b", "INT"),
    (r"\bINDUSTRIES\b", "IND"),
    (r"\bMANUFACTURING\b", "MFG"),
]
_LEGAL_RX = [(re.compile(a), b) for a, b in _LEGAL_FORMS]
_ORG_HINTS = re.compile(
    r"\b(INC|CORP|CO|LTD|LLC|LLP|LP|PLC|GMBH|AG|KG|SA|SAS|SARL|SPA|SRL|BV|NV|AB|AS|OY|KK|PTY|"
    r"UNIV|UNIVERSITY|UNIVERSITE|UNIVERSITAET|UNIVERSIDAD|INST|INSTITUTE|INSTITUT|COLLEGE|"
    r"FOUNDATION|FOUND|LAB|LABORATORIES|CORPORATION|COMPANY|LIMITED|TECH|TECHNOLOGIES|"
    r"SYSTEMS|INDUSTRIES|IND|GROUP|HOLDINGS|RES|RESEARCH|CENTER|CENTRE|HOSPITAL|"
    r"GOVERNMENT|MINISTRY|COUNCIL|ASSOCIATION|SOCIETY|BIOLOG|PHARMA|PHARMACEUTICALS|"
    r"ELECTRONICS|ENTERPRISES|SCIENCES|NAT|NATIONAL|DEPT|DEPARTMENT|AGENCY|GES|STIFTUNG)\b"
)
_ORG_HAN = re.compile(
    r"(公司|集团|大学|学院|研究院|研究所|研究中心|医院|实验室|中心|厂|局|部|委员会|协会|株式会社)"
)
_PUNCT = re.compile(r"[^\w\s&]+", re.UNICODE)
_SPACE = re.compile(r"\s+")


def _fold(text: str) -> str:
    if text.isascii():  # NFKC and accent removal leave ASCII as it is (most names: skip them)
        return text
    text = unicodedata.normalize("NFKC", text)
    text = (
        "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
        if not has_han(text)
        else text
    )
    return text


def normalize_name(name: str, kind: str = "unknown") -> str:
    """Normal form for matching: NFKC, accents and punctuation removed, upper case,
    legal forms canonicalised (``Corporation`` → ``CORP``), Chinese folded to simplified.

    Person names written ``Last; First`` or ``Last, First`` become ``LAST FIRST``.
    """
    if not name:
        return ""
    s = _fold(name)
    if has_han(s):
        s = to_simplified(s)
        return _SPACE.sub("", _PUNCT.sub("", s)).upper()
    s = s.upper().replace("&", " & ")
    s = _PUNCT.sub(" ", s)
    s = _SPACE.sub(" ", s).strip()
    if kind != "person":
        for rx, rep in _LEGAL_RX:
            s = rx.sub(rep, s)
    return s


def guess_party_kind(name: str) -> str:
    """``organisation`` if the name carries an organisation marker, ``person`` if it looks like
    a personal name (``Last; First``, two to four words), else ``unknown``."""
    if not name:
        return "unknown"
    if has_han(name):
        return "organisation" if _ORG_HAN.search(name) else ("person" if len(name) <= 4 else "unknown")
    up = _PUNCT.sub(" ", _fold(name).upper())
    if _ORG_HINTS.search(up):
        return "organisation"
    if ";" in name:
        return "person"
    words = up.split()
    if 2 <= len(words) <= 4 and all(w.isalpha() for w in words):
        return "person"
    return "unknown"
