"""Value indicators of one patent document, read from its canonical-JSON fields.

Every indicator is a raw, explainable fact about the document; ``None`` means "not known from
the stored data" (never a guess). The indicator model (:mod:`ipai.value.model`) turns the raw
values into 0–1 sub-scores; the table below is what each raw value is.

==========================  ===============================================================
indicator                   raw value
==========================  ===============================================================
forward_citations           ``cited_by_count`` (a snapshot; age-normalised in the model)
family_size                 ``family_size``, else ``len(family_members) + 1``
jurisdictions               distinct countries among the publication, its priorities, its
                            family members and (EP) designated states
claim_count                 number of claims (``None`` when fewer than two claims are stored:
                            sources such as claims-with-CPC CSVs carry claim 1 only)
independent_claims          number of independent claims (same condition)
claim_breadth_words         words in the shortest independent claim (CJK: characters / 1.5);
                            fewer words = broader claim
cpc_breadth                 distinct IPC/CPC subclasses
remaining_term              years from ``as_of`` to the end of the term (:mod:`ipai.status.term`);
                            0 when the right has ended (lapsed, withdrawn, refused, revoked)
legal_status                the status of :mod:`ipai.status` on ``as_of`` (events, else kind code):
                            pending | granted | in_force | lapsed | expired | withdrawn | refused
                            | revoked
grant_lag                   years from filing to grant (granted documents with both dates)
applicant_type              university | institute | government | company | individual
inventors                   number of inventors
==========================  ===============================================================
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from ipai.status import legal_status
from ipai.text.chinese import HAN

# the fields the indicators need: the first group is in the store's compact brief
BRIEF = (
    "pubno",
    "doc_type",
    "priority_date",
    "filing_date",
    "publication_date",
    "grant_date",
    "priorities",
    "classifications",
    "applicants",
    "assignees",
    "inventors",
    "cited_by_count",
    "family_size",
)
EXTRA = (
    "extended_family_size",
    "family_members",
    "designated_states",
    "claims",
    "legal_events",
    "application",
    "term_extension_days",
)
FIELDS = BRIEF + EXTRA

NAMES = (
    "forward_citations",
    "family_size",
    "jurisdictions",
    "claim_count",
    "independent_claims",
    "claim_breadth_words",
    "cpc_breadth",
    "remaining_term",
    "legal_status",
    "grant_lag",
    "applicant_type",
    "inventors",
)
# the citation cohort's year estimated from publication when no filing or priority date is stored
PUBLICATION_LAG_YEARS = 1.5

_UNIV = re.compile(
    r"\b(UNIV|UNIVERSITY|UNIVERSITIES|UNIVERSITE|UNIVERSITAET|UNIVERSITAT|UNIVERSIDAD|UNIVERSIDADE|UNIVERSITA|"
    r"UNIVERSITEIT|UNIVERSITETET|UNIWERSYTET|COLLEGE|HOCHSCHULE|FACHHOCHSCHULE|POLYTECHNIC|POLITECNICO|"
    r"REGENTS|ECOLE|SCHOOL|HARVARD|EPFL|KAIST|POSTECH|ACADEMIC)\b"
)
_INST = re.compile(
    r"\b(INST|INSTITUTE|INSTITUTES|INSTITUT|INSTITUTO|INSTITUUT|ISTITUTO|CNRS|INSERM|INRA|INRIA|CEA|"
    r"FRAUNHOFER|MAX PLANCK|CSIC|CSIR|CSIRO|TNO|RIKEN|AIST|ETRI|KIST|A STAR|CENTRE NAT RECH SCIENT|"
    r"COMMISSARIAT|RESEARCH COUNCIL|NAT RES COUNCIL|CENTRE NATIONAL|HOSPITAL|KLINIKUM|CLINIC|"
    r"ACADEMY|ACAD|ACADEMIE|AKADEMIE)\b"
)
_GOV = re.compile(
    r"\b(GOVERNMENT|GOVT|SECRETARY|MINISTRY|MINISTER|MINISTERE|DEPARTMENT OF|DEPT OF|STATE OF|"
    r"UNITED STATES OF AMERICA|REPUBLIC|NAVY|ARMY|AIR FORCE|NASA|AGENCY|BUNDESREPUBLIK|COMMONWEALTH)\b"
)
_COMPANY = re.compile(
    r"\b(INC|CORP|CORPORATION|CO|COMPANY|LTD|LIMITED|LLC|LLP|LP|PLC|GMBH|AG|KG|SA|SAS|SARL|SPA|SRL|BV|NV|AB|"
    r"AS|OY|KK|PTY|HOLDING|HOLDINGS|GROUP|INDUSTRIES|IND|TECHNOLOGIES|SYSTEMS|ENTERPRISES|MFG|LAB|LABS|LABORATORIES)\b"
)
_HAN_UNIV = re.compile(r"(大学|大學|高校|大学校)")
_HAN_COLLEGE = re.compile(r"(学院|學院)")  # after the institutes: 科学院 is an academy of sciences
_HAN_INST = re.compile(r"(研究所|研究院|科学院|科學院|研究中心|实验室|實驗室|医院|醫院|研究會|中心$)")
_HAN_GOV = re.compile(r"(政府|^国家.*局|局$|部$|委员会$|管理局)")
_HAN_COMPANY = re.compile(r"(公司|集团|株式会社|有限|厂$|会社)")
_WORD = re.compile(r"[A-Za-z0-9\u00c0-\u024f]+")
_PUNCT = re.compile(r"[^\w\s&]+")


def owner_type(name: str, kind: str | None = None) -> str:
    """Owner type of one applicant name: university, institute, government, company, individual or
    unknown. Checked in that order, so ``UNIV UTRECHT HOLDING BV`` is a university and ``DANA
    FARBER CANCER INST INC`` an institute; whole words only (UNIVERSAL, INSTRUMENTS do not match)."""
    if not name or not name.strip():
        return "unknown"
    if HAN.search(name):
        for rx, t in (
            (_HAN_UNIV, "university"),
            (_HAN_INST, "institute"),
            (_HAN_COLLEGE, "university"),
            (_HAN_COMPANY, "company"),
            (_HAN_GOV, "government"),
        ):
            if rx.search(name):
                return t
        return "individual" if kind == "person" or len(name.strip()) <= 4 else "unknown"
    up = " ".join(_PUNCT.sub(" ", name.upper()).split())
    if any(_misspelt_university(w) for w in up.split()):
        return "university"
    for rx, t in ((_UNIV, "university"), (_INST, "institute"), (_GOV, "government"), (_COMPANY, "company")):
        if rx.search(up):
            return t
    if kind == "person":
        return "individual"
    return "company" if kind == "organisation" else "unknown"


def _misspelt_university(word: str) -> bool:
    """A misspelt or run-together UNIVERSITY (UNVERSITY, UNIVERISTY, QUEENUNIVERSITY); never
    UNIVERSAL or UNIVERSE."""
    if len(word) < 8 or "UNIVERSAL" in word or word.startswith("UNIVERSE") or word in ("UNIVERSITY", "UNIV"):
        return False
    if word.endswith(("UNIVERSITY", "UNIVERSITE")):
        return True
    if not word.startswith("UN") or len(word) > 13:
        return False
    return SequenceMatcher(None, word, "UNIVERSITY").ratio() >= 0.8


# when several owners differ, the document's type is the first of this order present
_TYPE_ORDER = ("university", "institute", "government", "company", "individual")


def applicant_type(parties: list[dict[str, Any]]) -> str | None:
    """The document's owner type from its applicants (or assignees); ``None`` when no owner is stored."""
    types = {owner_type(p.get("name") or "", p.get("kind")) for p in parties}
    return next((t for t in _TYPE_ORDER if t in types), "unknown" if types else None)


def _date(v: Any) -> dt.date | None:
    if not v:
        return None
    try:
        s = str(v)
        return (
            dt.date(int(s[:4]), int(s[5:7] or 1), int(s[8:10] or 1))
            if len(s) >= 10
            else dt.date(int(s[:4]), 7, 1)
        )
    except ValueError:
        return None


def _years(a: dt.date, b: dt.date) -> float:
    return (b - a).days / 365.25


def claim_words(text: str) -> float:
    """Length of a claim in words; CJK characters count 1/1.5 word each (a Chinese word is ~1.5 characters)."""
    han = len(HAN.findall(text))
    return len(_WORD.findall(text)) + han / 1.5


@dataclass
class Indicators:
    """Raw indicators of one document plus what the model needs to normalise them."""

    doc_id: str
    country: str
    year: int | None  # filing (else priority, else publication) year: the citation cohort
    values: dict[str, Any] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)  # how a value was obtained, when not plain
    note_facts: dict[str, list[dict[str, Any]]] = field(
        default_factory=dict
    )  # the same as facts (ipai.value.texts)
    lang: str = "en"  # language of the claims (breadth is compared within a language)
    owner: str | None = None  # the first applicant's name
    pub_year: int | None = None  # publication (else grant) year: how recent the data is


def extract(doc_id: str, f: dict[str, Any], as_of: dt.date) -> Indicators:
    """Indicators of one document from its fields (see the module table); ``as_of`` is the date
    remaining term is counted from."""
    pn = f.get("pubno") or {}
    country = pn.get("country") or "??"
    doc_type = f.get("doc_type") or "application"
    filing, prio, pub, grant = (
        _date(f.get(k)) for k in ("filing_date", "priority_date", "publication_date", "grant_date")
    )
    base = filing or prio or (pub and pub - dt.timedelta(days=int(PUBLICATION_LAG_YEARS * 365.25)))
    ind = Indicators(doc_id, country, base.year if base else None)
    latest = pub or grant
    ind.pub_year = latest.year if latest else None
    v, notes = ind.values, ind.notes
    v["forward_citations"] = f.get("cited_by_count")
    fam = f.get("family_size")
    if fam is None and f.get("family_members"):
        fam = len(f["family_members"]) + 1
        notes["family_size"] = "counted from the listed family members"
        ind.note_facts["family_size"] = [{"code": "n_family_listed"}]
    v["family_size"] = fam
    # jurisdictions: only when the document says something about its family or priorities
    ctry = {country}
    ctry.update((p.get("country") or "") for p in f.get("priorities") or [])
    ctry.update(str(m)[:2] for m in f.get("family_members") or [])
    if country == "EP":  # EP designations are validations; a PCT designates every state, so says nothing
        ctry.update(f.get("designated_states") or [])
    ctry -= {"", "WO"}  # a PCT filing is not a jurisdiction of its own
    has_family_info = bool(f.get("priorities") or f.get("family_members") or f.get("designated_states"))
    v["jurisdictions"] = max(len(ctry), 1) if has_family_info else None
    claims = [c for c in f.get("claims") or [] if c.get("text")]
    indep = [c for c in claims if c.get("independent", True)]
    if len(claims) >= 2 and doc_type != "design":
        v["claim_count"] = len(claims)
        v["independent_claims"] = max(len(indep), 1)
    else:
        v["claim_count"] = v["independent_claims"] = None
        if len(claims) == 1:
            notes["claim_count"] = "only one claim stored (the source carries claim 1 only): count not known"
            ind.note_facts["claim_count"] = [{"code": "n_one_claim"}]
    if indep and doc_type != "design":
        words = [claim_words(c["text"]) for c in indep]
        v["claim_breadth_words"] = round(min(words), 1)
        ind.lang = next((c.get("lang") or "en" for c in indep), "en")
    else:
        v["claim_breadth_words"] = None
    subs = {
        str(c.get("code") or "")[:4]
        for c in f.get("classifications") or []
        if c.get("scheme") in ("ipc", "cpc") and len(str(c.get("code") or "")) >= 4
    }
    v["cpc_breadth"] = len(subs) or None
    # legal status and term (ipai.status: legal events, else the kind code; the term by law): a right
    # that has ended (lapsed, expired, withdrawn, refused, revoked) has no term left
    st = legal_status(f, as_of)
    end = st.expiry
    if st.term.estimated and st.alive:
        notes["remaining_term"] = "filing date estimated from the " + (
            "priority date (12 months after it)" if st.term.estimated == "priority" else "publication date"
        )
        ind.note_facts["remaining_term"] = [
            {"code": "n_term_priority" if st.term.estimated == "priority" else "n_term_publication"}
        ]
    if not st.alive:
        v["remaining_term"] = 0.0
        if st.status != "expired":
            notes["remaining_term"] = f"no term left: the right is {st.label('en').lower()}"
            ind.note_facts["remaining_term"] = [
                {"code": "n_no_term", "status": {"en": st.label("en").lower(), "zh": st.label("zh")}}
            ]
    else:
        v["remaining_term"] = round(max(_years(as_of, end), 0.0), 2) if end else None
    v["legal_status"] = st.status
    if st.states and st.states["lapsed"]:
        notes["legal_status"] = f"lapsed in {len(st.states['lapsed'])} designated state(s)"
        ind.note_facts["legal_status"] = [{"code": "n_lapsed_states", "n": len(st.states["lapsed"])}]
    if st.basis == "events" or st.status not in ("granted", "pending"):
        notes["legal_status"] = "; ".join(x for x in (st.reason_text("en"), notes.get("legal_status")) if x)
        if st.reason_text("en"):
            ind.note_facts["legal_status"] = [
                {
                    "code": "n_status_reason",
                    "reason": {"en": st.reason_text("en"), "zh": st.reason_text("zh")},
                },
                *ind.note_facts.get("legal_status", []),
            ]
    v["grant_lag"] = round(_years(filing, grant), 2) if grant and filing and grant >= filing else None
    owners = f.get("applicants") or f.get("assignees") or []
    v["applicant_type"] = applicant_type(owners)
    ind.owner = owners[0].get("name") if owners else None
    inv = f.get("inventors") or []
    v["inventors"] = len(inv) or None
    return ind


def extract_many(rows: dict[str, dict[str, Any]], as_of: dt.date) -> list[Indicators]:
    """Indicators of several documents (``rows``: id → fields, e.g. from ``store.get_fields``)."""
    return [extract(doc_id, f, as_of) for doc_id, f in rows.items()]
