"""The indicator model: a documented, label-free value score with a per-indicator explanation.

Each indicator's raw value (:mod:`ipai.value.indicators`) becomes a sub-score ``s`` in 0–1:

* counts (family size, jurisdictions, claims, CPC breadth, inventors, grant lag): the mid-rank
  percentile of the value in the reference population, ``(#below + #equal / 2) / n``;
* claim breadth: ``1 −`` the percentile of the shortest independent claim's word count among
  claims of the same language (shorter claim = broader = higher);
* forward citations, age-normalised: the percentile among documents of the same cohort
  (country × filing year; else filing year alone; else citations per year since filing over
  all), so a 2018 filing is compared with 2018 filings only;
* remaining term: ``min(years left / 20, 1)``; legal status and applicant type: fixed tables
  (STATUS_SCORE, OWNER_SCORE).

The score is ``100 · Σ wᵢ sᵢ / Σ wᵢ`` over the indicators the document has (WEIGHTS); a missing
indicator is left out and the others re-weighted, and the explanation says so. Contributions
``100 · wᵢ sᵢ / Σ wᵢ`` sum to the score. ``coverage`` is the share of the weight that had data.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from ipai.text.labels import lang_name
from ipai.value.indicators import Indicators
from ipai.value.texts import OWNER_TYPES, both, say
from ipai.value.texts import label as label_in

# documented weights (sum 1): citations and family dominate the literature's value correlates
# (Harhoff et al. 2003; Lanjouw & Schankerman 2004; OECD patent-quality indicators 2013)
WEIGHTS: dict[str, float] = {
    "forward_citations": 0.25,
    "family_size": 0.15,
    "jurisdictions": 0.10,
    "claim_count": 0.07,
    "claim_breadth_words": 0.08,
    "cpc_breadth": 0.07,
    "remaining_term": 0.10,
    "legal_status": 0.08,
    "grant_lag": 0.03,
    "applicant_type": 0.04,
    "inventors": 0.03,
}
PERCENTILE = ("family_size", "jurisdictions", "claim_count", "cpc_breadth", "inventors", "grant_lag")
# legal status (ipai.status): a right in force or granted scores full, a pending one on its chance of
# grant, a right that has ended nothing
STATUS_SCORE = {
    "in_force": 1.0,
    "granted": 1.0,
    "pending": 0.6,
    "lapsed": 0.0,
    "expired": 0.0,
    "withdrawn": 0.0,
    "refused": 0.0,
    "revoked": 0.0,
}
OWNER_SCORE = {
    "company": 0.7,
    "university": 0.6,
    "institute": 0.6,
    "government": 0.5,
    "individual": 0.3,
    "unknown": 0.5,
}
FULL_TERM = 20.0
# lists rank by the score shrunk toward 50 when less than FULL_COVERAGE of the weight had data
FULL_COVERAGE = 0.5
MIN_COHORT = 30  # documents a citation cohort needs before it is used

LABELS = {
    "forward_citations": "forward citations",
    "family_size": "family size",
    "jurisdictions": "jurisdictions",
    "claim_count": "claim count",
    "claim_breadth_words": "claim breadth",
    "cpc_breadth": "technology breadth",
    "remaining_term": "remaining term",
    "legal_status": "legal status",
    "grant_lag": "grant lag",
    "applicant_type": "applicant type",
    "inventors": "inventor team",
}


def _sorted(vals: list[Any]) -> np.ndarray:
    return np.sort(np.array([float(v) for v in vals if v is not None], dtype=np.float64))


def midrank(ref: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Mid-rank percentile of each ``x`` in the sorted reference (NaN stays NaN)."""
    if len(ref) == 0:
        return np.full(len(x), np.nan)
    lo = np.searchsorted(ref, x, side="left")
    hi = np.searchsorted(ref, x, side="right")
    out = (lo + hi) / (2.0 * len(ref))
    out[np.isnan(x)] = np.nan
    return out


@dataclass
class Reference:
    """Sorted reference values each percentile is taken in (a population of documents)."""

    values: dict[str, np.ndarray]
    breadth: dict[str, np.ndarray]  # shortest-independent-claim words per claim language
    cohorts: dict[tuple[str, int], np.ndarray]  # forward citations per (country, year)
    years: dict[int, np.ndarray]  # forward citations per year
    rates: np.ndarray  # forward citations per year of age, all documents
    as_of: dt.date
    size: int

    @classmethod
    def build(cls, inds: list[Indicators], as_of: dt.date) -> Reference:
        """Reference distributions of a population."""
        vals = {k: _sorted([i.values.get(k) for i in inds]) for k in PERCENTILE}
        langs: dict[str, list[float]] = defaultdict(list)
        cohorts: dict[tuple[str, int], list[float]] = defaultdict(list)
        years: dict[int, list[float]] = defaultdict(list)
        rates: list[float] = []
        for i in inds:
            w = i.values.get("claim_breadth_words")
            if w is not None:
                langs[i.lang].append(w)
            c = i.values.get("forward_citations")
            if c is not None and i.year is not None:
                cohorts[(i.country, i.year)].append(c)
                years[i.year].append(c)
                rates.append(c / max(as_of.year - i.year + 0.5, 1.0))
        return cls(
            vals,
            {k: _sorted(v) for k, v in langs.items()},
            {k: _sorted(v) for k, v in cohorts.items() if len(v) >= MIN_COHORT},
            {k: _sorted(v) for k, v in years.items() if len(v) >= MIN_COHORT},
            _sorted(rates),
            as_of,
            len(inds),
        )

    @classmethod
    def from_columns(cls, cols: dict[str, list[Any]], as_of: dt.date) -> Reference:
        """The reference :meth:`build` gives, from the population's columns (the store's brief
        facts: ``country``, ``year``, ``lang`` and one column per indicator, ``None`` = unknown)."""
        n = len(cols["country"])
        vals = {k: _sorted(cols[k]) for k in PERCENTILE}
        langs: dict[str, list[float]] = defaultdict(list)
        for lang, w in zip(cols["lang"], cols["claim_breadth_words"], strict=True):
            if w is not None:
                langs[lang or "en"].append(w)
        cohorts: dict[tuple[str, int], list[float]] = defaultdict(list)
        years: dict[int, list[float]] = defaultdict(list)
        rates: list[float] = []
        for country, year, c in zip(cols["country"], cols["year"], cols["forward_citations"], strict=True):
            if c is not None and year is not None:
                cohorts[(country, year)].append(c)
                years[year].append(c)
                rates.append(c / max(as_of.year - year + 0.5, 1.0))
        return cls(
            vals,
            {k: _sorted(v) for k, v in langs.items()},
            {k: _sorted(v) for k, v in cohorts.items() if len(v) >= MIN_COHORT},
            {k: _sorted(v) for k, v in years.items() if len(v) >= MIN_COHORT},
            _sorted(rates),
            as_of,
            n,
        )

    def save(self, path: Path) -> None:
        """Write the reference to an ``.npz`` file (plain arrays and one JSON index; no pickle),
        atomically."""
        import json

        arrays: dict[str, Any] = {"rates": self.rates}
        index: list[list[Any]] = []
        for kind, part in (("v", self.values), ("b", self.breadth), ("c", self.cohorts), ("y", self.years)):
            for key, arr in part.items():
                arrays[f"a{len(index)}"] = arr
                index.append([kind, list(key) if isinstance(key, tuple) else key])
        meta = {"as_of": self.as_of.isoformat(), "size": self.size, "index": index}
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp.npz")
        arrays["meta"] = np.array(json.dumps(meta))
        np.savez(tmp, **arrays)
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> Reference:
        """A reference written by :meth:`save`."""
        import json

        with np.load(path, allow_pickle=False) as z:
            meta = json.loads(str(z["meta"]))
            parts: dict[str, dict[Any, np.ndarray]] = {"v": {}, "b": {}, "c": {}, "y": {}}
            for n, (kind, key) in enumerate(meta["index"]):
                parts[kind][tuple(key) if kind == "c" else key] = z[f"a{n}"]
            return cls(
                parts["v"],
                parts["b"],
                parts["c"],
                parts["y"],
                z["rates"],
                dt.date.fromisoformat(meta["as_of"]),
                int(meta["size"]),
            )


@dataclass
class Valuation:
    """Scores of a set of documents and everything their explanations need."""

    inds: list[Indicators]
    sub: np.ndarray  # (n, k) sub-scores, NaN = missing
    names: tuple[str, ...]
    weights: np.ndarray  # (k,)
    scores: np.ndarray  # (n,) 0–100
    coverage: np.ndarray  # (n,) share of the weight with data
    cohort: list[Any]  # what each document's citations were compared with (a fact of ipai.value.texts)

    @cached_property
    def rank_scores(self) -> np.ndarray:
        """Scores for ranking: ``50 + (score − 50) · min(coverage / FULL_COVERAGE, 1)``, so a document
        known by one or two indicators cannot top a list on them alone."""
        return 50.0 + (np.nan_to_num(self.scores, nan=50.0) - 50.0) * np.minimum(
            self.coverage / FULL_COVERAGE, 1.0
        )

    def explain(self, j: int) -> dict[str, Any]:
        """Score, coverage and the per-indicator explanation of document ``j``."""
        ind = self.inds[j]
        have = ~np.isnan(self.sub[j])
        total_w = float(self.weights[have].sum())
        rows, missing = [], []
        for k, name in enumerate(self.names):
            raw = ind.values.get(name)
            if not have[k]:
                missing.append(name)
                fact = {
                    "code": "unknown_indicator",
                    "label": both(LABELS[name], label_in(name, "zh")),
                    "note": note_of(ind, name)
                    or both("field missing", say({"code": "n_field_missing"}, "zh")),
                }
                rows.append(
                    {
                        "indicator": name,
                        "label": LABELS[name],
                        "raw": raw,
                        "normalised": None,
                        "weight": self.weights[k],
                        "effective_weight": 0.0,
                        "contribution": 0.0,
                        "text": say(fact, "en"),
                        "fact": fact,
                    }
                )
                continue
            s = float(self.sub[j, k])
            ew = float(self.weights[k]) / total_w
            rows.append(
                {
                    "indicator": name,
                    "label": LABELS[name],
                    "raw": raw,
                    "normalised": round(s, 4),
                    "weight": float(self.weights[k]),
                    "effective_weight": round(ew, 4),
                    "contribution": round(100.0 * ew * s, 2),
                    "text": sentence(name, raw, s, ind, self.cohort[j]),
                    "fact": indicator_fact(name, raw, s, ind, self.cohort[j]),
                }
            )
        sc = float(self.scores[j])
        note = (
            {
                "code": "missing_note",
                "n": len(missing),
                "coverage": f"{100 * self.coverage[j]:.0f}",
                "labels": both(
                    ", ".join(LABELS[m] for m in missing), "、".join(label_in(m, "zh") for m in missing)
                ),
            }
            if missing
            else None
        )
        return {
            "id": ind.doc_id,
            "score": None if np.isnan(sc) else round(sc, 2),
            "rank_score": round(float(self.rank_scores[j]), 2),
            "coverage": round(float(self.coverage[j]), 3),
            "owner": ind.owner,
            "applicant_type": ind.values.get("applicant_type"),
            "indicators": rows,
            "missing": missing,
            "note": say(note, "en") if note else None,
            "note_fact": note,
        }


def _pct(s: float) -> str:
    return f"{int(100 * s)}%"  # floored: a mid-rank percentile never reaches 100 %


STATUS_TEXT = {  # legal status: (English, Chinese)
    "in_force": ("in force (legal events)", "有效（依据法律事件）"),
    "granted": (
        "granted right; no legal events, so maintenance is not known",
        "已授权；无法律事件数据，维持情况未知",
    ),
    "pending": (
        "application (not granted in the data): value depends on grant",
        "专利申请（数据中尚未授权）：价值取决于能否授权",
    ),
    "expired": ("term has ended: free for anyone to use", "保护期届满：任何人均可自由实施"),
    "lapsed": ("lapsed: no longer protected", "失效：不再受保护"),
    "withdrawn": ("application withdrawn: no right", "申请已撤回：无权利"),
    "refused": ("application refused: no right", "申请被驳回：无权利"),
    "revoked": ("revoked or invalidated", "被宣告无效或撤销"),
}


def note_of(ind: Indicators, name: str) -> dict[str, str] | None:
    """How ``name``'s value was obtained, in both languages (None when plain)."""
    facts = ind.note_facts.get(name)
    if not facts:
        return both(ind.notes[name], ind.notes[name]) if name in ind.notes else None
    return {lg: ("；" if lg == "zh" else "; ").join(say(f, lg) for f in facts) for lg in ("en", "zh")}


def indicator_fact(
    name: str, raw: Any, s: float, ind: Indicators, cohort: dict[str, Any] | str
) -> dict[str, Any]:
    """What a raw value means, as a fact (:func:`ipai.value.texts.say` writes it in either language)."""
    v = ind.values
    pct = _pct(s)
    if name == "forward_citations":
        return {"code": name, "raw": raw, "pct": pct, "cohort": cohort}
    if name in ("family_size", "jurisdictions", "cpc_breadth", "inventors", "grant_lag"):
        return {"code": name, "raw": raw, "pct": pct}
    if name == "claim_count":
        return {"code": name, "raw": raw, "pct": pct, "independent": v.get("independent_claims")}
    if name == "claim_breadth_words":
        return {"code": name, "raw": raw, "pct": pct, "lang": both(ind.lang, lang_name(ind.lang, "zh"))}
    if name == "remaining_term":
        return {"code": "remaining_term_none" if raw <= 0 else name, "raw": raw, "pct": pct}
    if name == "legal_status":
        en, zh = STATUS_TEXT.get(str(raw), (str(raw), str(raw)))
        note = note_of(ind, name)
        return {
            "code": name,
            "status": both(en, zh),
            "note": both("; " + note["en"], "；" + note["zh"]) if note else "",
        }
    if name == "applicant_type":
        en, zh = OWNER_TYPES.get(str(raw), (str(raw), str(raw)))
        return {
            "code": name,
            "owner_type": both(en, zh),
            "article": "an" if raw in ("institute", "individual") else "a",
            "owner": f" ({ind.owner})" if ind.owner else "",
        }
    return {"code": "legal_status", "status": both(f"{name}: {raw}", f"{name}：{raw}"), "note": ""}


def sentence(name: str, raw: Any, s: float, ind: Indicators, cohort: dict[str, Any] | str) -> str:
    """One sentence saying what a raw value means (English; :func:`indicator_fact` for the fact)."""
    return say(indicator_fact(name, raw, s, ind, cohort), "en")


def _cite_subscores(inds: list[Indicators], ref: Reference) -> tuple[np.ndarray, list[Any]]:
    """Age-normalised citation percentiles and the cohort each was compared with (a fact)."""
    out = np.full(len(inds), np.nan)
    where: list[Any] = [""] * len(inds)
    groups: dict[tuple[str, Any], list[int]] = defaultdict(list)
    for j, i in enumerate(inds):
        c = i.values.get("forward_citations")
        if c is None:
            continue
        if i.year is not None and (i.country, i.year) in ref.cohorts:
            groups[("cohort", (i.country, i.year))].append(j)
        elif i.year is not None and i.year in ref.years:
            groups[("year", i.year)].append(j)
        else:
            groups[("rate", None)].append(j)
    for (kind, key), js in groups.items():
        x = np.array([float(inds[j].values["forward_citations"]) for j in js])
        if kind == "cohort":
            out[js] = midrank(ref.cohorts[key], x)
            label: dict[str, Any] = {"code": "cohort", "country": key[0], "year": key[1]}
        elif kind == "year":
            out[js] = midrank(ref.years[key], x)
            label = {"code": "cohort_year", "year": key}
        else:
            age = np.array([max(ref.as_of.year - (inds[j].year or ref.as_of.year) + 0.5, 1.0) for j in js])
            out[js] = midrank(ref.rates, x / age)
            label = {"code": "cohort_rate"}
        for j in js:
            where[j] = label
    return out, where


def score(inds: list[Indicators], ref: Reference, *, exclude: tuple[str, ...] = ()) -> Valuation:
    """Sub-scores, scores and coverage of documents against a reference (``exclude`` leaves
    indicators out entirely, e.g. the one an evaluation's label is made of)."""
    names = tuple(k for k in WEIGHTS if k not in exclude)
    n = len(inds)
    sub = np.full((n, len(names)), np.nan)
    cohort: list[Any] = [""] * n
    for k, name in enumerate(names):
        if name in PERCENTILE:
            x = np.array([np.nan if i.values.get(name) is None else float(i.values[name]) for i in inds])
            sub[:, k] = midrank(ref.values[name], x)
        elif name == "forward_citations":
            sub[:, k], cohort = _cite_subscores(inds, ref)
        elif name == "claim_breadth_words":
            for lang in {i.lang for i in inds}:
                js = [j for j, i in enumerate(inds) if i.lang == lang]
                x = np.array(
                    [np.nan if inds[j].values.get(name) is None else float(inds[j].values[name]) for j in js]
                )
                sub[js, k] = 1.0 - midrank(ref.breadth.get(lang, np.array([])), x)
        elif name == "remaining_term":
            sub[:, k] = [
                np.nan if i.values.get(name) is None else min(i.values[name] / FULL_TERM, 1.0) for i in inds
            ]
        elif name == "legal_status":
            sub[:, k] = [STATUS_SCORE.get(i.values.get(name) or "", np.nan) for i in inds]
        elif name == "applicant_type":
            sub[:, k] = [OWNER_SCORE.get(i.values.get(name) or "", np.nan) for i in inds]
    w = np.array([WEIGHTS[k] for k in names])
    have = ~np.isnan(sub)
    wsum = (have * w).sum(axis=1)
    num = np.nansum(sub * w, axis=1)
    scores = np.where(wsum > 0, 100.0 * num / np.maximum(wsum, 1e-12), np.nan)
    return Valuation(inds, sub, names, w, scores, wsum / w.sum(), cohort)
