"""Overseas early warning (海外维权预警): for a company going abroad, the foreign documents that
come closest to its products and patents in its target markets, and the service agencies (from a
directory the user loads) best placed to act there.

**Threats.** The company's own documents (applicant spellings merged by normal form) and an
optional product description give a profile: the mean of their semantic vectors. Candidates are
the documents of the target markets (jurisdiction filter) found by hybrid search of the product
text and the company's titles; the company's own documents are left out. Each candidate is scored
by the cosine of its vector to the profile (0.6), its share of the company's CPC/IPC subclasses
(0.25) and recency (0.15: filed in the last five years of the data), with the reasons, its legal
events where the source gives them (oppositions, lapses) and its applicant.

**Agencies.** A directory row has a name, the jurisdictions it acts in, technology fields (CPC
prefixes such as ``B64`` or words such as ``无人机``/``drone``), case types (infringement,
invalidation, opposition, customs, licensing …). Agencies that act in none of the target
jurisdictions are left out; the others score 0.4·(share of target jurisdictions covered) +
0.3·(field match with the company's classes or words) + 0.2·(case type match) + 0.1·(track
record: smoothed share of won cases among the user's past cases in those jurisdictions), each
with its reasons.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from ipai.errors import InputError

AGENCY_COLUMNS = {
    "name": ("name", "agency", "机构", "机构名称", "名称"),
    "jurisdictions": ("jurisdictions", "jurisdiction", "countries", "国家/地区", "法域", "国家"),
    "fields": ("fields", "technology", "tech_fields", "技术领域", "领域"),
    "case_types": ("case_types", "case types", "services", "案件类型", "业务类型"),
    "contact": ("contact", "联系方式", "联系人"),
}
CASE_COLUMNS = {
    "agency": ("agency", "机构", "代理机构"),
    "jurisdiction": ("jurisdiction", "country", "国家/地区", "法域"),
    "case_type": ("case_type", "case type", "type", "案件类型"),
    "field": ("field", "technology", "技术领域"),
    "outcome": ("outcome", "result", "结果"),
}
WON = {"won", "win", "success", "successful", "settled", "胜诉", "成功", "和解"}
_SPLIT = re.compile(r"[;,，；、/|]\s*")


def _read(path: Path) -> list[dict[str, Any]]:
    from ipai.transfer.demands import read_rows

    return read_rows(path)


def _mapped(
    rows: list[dict[str, Any]], columns: dict[str, tuple[str, ...]], need: tuple[str, ...], name: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    header = list(rows[0].keys()) if rows else []
    lookup = {a: f for f, al in columns.items() for a in al}
    mapping = {h: lookup[h.strip().lower()] for h in header if h and h.strip().lower() in lookup}
    missing = [f for f in need if f not in mapping.values()]
    if missing:
        raise InputError(
            f"{name}: missing column(s) {', '.join(missing)}",
            errors=[{"field": m, "message": "missing column"} for m in missing],
        )
    back = {f: h for h, f in mapping.items()}
    good: list[dict[str, Any]] = []
    bad: list[dict[str, Any]] = []
    for n, r in enumerate(rows, start=2):
        v = {f: str(r.get(h) if r.get(h) is not None else "").strip() for h, f in mapping.items()}
        empty = [f for f in need if not v.get(f)]
        if empty:
            bad.extend({"row": n, "column": back[f], "message": "empty"} for f in empty)
            continue
        good.append(v)
    return good, bad


def load_agencies(path: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Agencies from a CSV/XLSX directory; bad rows reported by row and column."""
    good, bad = _mapped(_read(path), AGENCY_COLUMNS, ("name", "jurisdictions"), path.name)
    out = []
    for a in good:
        out.append(
            {
                "name": a["name"],
                "jurisdictions": sorted({j.upper() for j in _SPLIT.split(a["jurisdictions"]) if j}),
                "fields": [f for f in _SPLIT.split(a.get("fields", "")) if f],
                "case_types": [c.lower() for c in _SPLIT.split(a.get("case_types", "")) if c],
                "contact": a.get("contact") or None,
            }
        )
    return out, bad


def load_cases(path: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Past disputes (agency, jurisdiction, case type, field, outcome) from CSV/XLSX."""
    good, bad = _mapped(_read(path), CASE_COLUMNS, ("agency", "jurisdiction", "outcome"), path.name)
    return [
        {**c, "jurisdiction": c["jurisdiction"].upper(), "case_type": c.get("case_type", "").lower()}
        for c in good
    ], bad


def _field_match(fields: list[str], classes: set[str], words: set[str]) -> list[str]:
    hit = []
    for f in fields:
        fu = f.upper().replace(" ", "")
        if (
            re.fullmatch(r"[A-HY]\d{0,2}[A-Z]?", fu)
            and any(c.startswith(fu) for c in classes)
            or f.lower() in words
        ):
            hit.append(f)
    return hit


def recommend_agencies(
    agencies: list[dict[str, Any]],
    *,
    markets: list[str],
    classes: set[str],
    words: set[str],
    case_type: str | None = None,
    cases: list[dict[str, Any]] | None = None,
    top: int = 10,
) -> list[dict[str, Any]]:
    """Agencies ranked for acting in ``markets`` on the company's technology (see module doc)."""
    markets = [m.upper() for m in markets]
    record: dict[str, Counter[str]] = {}
    for c in cases or []:
        if c["jurisdiction"] in markets:
            rec = record.setdefault(c["agency"].strip().lower(), Counter())
            rec["won" if c["outcome"].strip().lower() in WON else "other"] += 1
    out = []
    for a in agencies:
        covered = [m for m in markets if m in a["jurisdictions"]]
        if not covered:
            continue
        fields = _field_match(a["fields"], classes, words)
        type_ok = bool(case_type and case_type.lower() in a["case_types"])
        rec = record.get(a["name"].strip().lower(), Counter())
        n = rec["won"] + rec["other"]
        track = (rec["won"] + 1) / (n + 2)  # Laplace-smoothed share of won cases
        score = (
            0.4 * len(covered) / len(markets) + 0.3 * (1.0 if fields else 0.0) + 0.2 * type_ok + 0.1 * track
        )
        reasons = [
            f"acts in {', '.join(covered)}"
            + (
                f" (not {', '.join(m for m in markets if m not in covered)})"
                if len(covered) < len(markets)
                else ""
            )
        ]
        if fields:
            reasons.append("technology: " + ", ".join(fields[:5]))
        if type_ok:
            reasons.append(f"handles {case_type} cases")
        if n:
            reasons.append(f"{rec['won']} of {n} past case(s) in these markets won or settled")
        out.append(
            {
                **a,
                "score": round(score, 3),
                "reasons": reasons,
                "covered": covered,
                "field_match": fields,
                "past_cases": n,
            }
        )
    out.sort(key=lambda x: (-x["score"], x["name"]))
    return out[:top]


def rank_threats(
    profile: np.ndarray,
    cand_ids: list[str],
    cand_vecs: np.ndarray,
    facts: dict[str, Any],
    own_classes: set[str],
    last_year: int | None,
) -> list[dict[str, Any]]:
    """Candidates scored by cosine to the profile, class overlap and recency (see module doc)."""
    p = profile / max(float(np.linalg.norm(profile)), 1e-9)
    v = cand_vecs / np.maximum(np.linalg.norm(cand_vecs, axis=1, keepdims=True), 1e-9)
    cos = v @ p if len(cand_ids) else np.zeros(0)
    out = []
    for i, doc_id in enumerate(cand_ids):
        f = facts.get(doc_id)
        if f is None:
            continue
        shared = sorted(set(f.subclasses) & own_classes)
        overlap = len(shared) / max(len(set(f.subclasses)), 1)
        recent = 1.0 if (last_year and f.year and f.year > last_year - 5) else 0.0
        score = 0.6 * max(float(cos[i]), 0.0) + 0.25 * overlap + 0.15 * recent
        reasons = [f"similarity to the company's products/patents {float(cos[i]):.2f}"]
        if shared:
            reasons.append("same classes: " + ", ".join(shared[:5]))
        if recent:
            reasons.append(f"recent ({f.year})")
        out.append(
            {
                "id": doc_id,
                "country": f.country,
                "year": f.year,
                "applicants": f.applicants[:3],
                "score": round(score, 4),
                "similarity": round(float(cos[i]), 4),
                "shared_classes": shared,
                "reasons": reasons,
            }
        )
    out.sort(key=lambda x: -x["score"])
    return out


def words_of(text: str) -> set[str]:
    from ipai.search.analysis import vector_tokens

    return set(vector_tokens(text or ""))
