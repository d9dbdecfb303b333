"""Search-report categories and the novelty / inventive-step indicators, with their reasons.

- **X**: one document supports every feature (support ≥ ``COVERED``): novelty is at risk.
- **Y**: two documents that are not X but together support every feature, each adding something;
  the motivation to combine them is shown (classes they share, terms they share).
- **A**: the other retrieved documents that support some features (technological background).
The indicators are never a bare verdict: each comes with the documents and features behind it,
and the features no document supports are listed as the candidate distinguishing features.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from ipai.assess.features import Feature
from ipai.assess.mapping import Support
from ipai.model import PatentDocument

COVERED = 0.6  # a feature counts as disclosed by a passage scoring at least this
PARTIAL = 0.35
MAX_Y = 3


@dataclass
class Assessed:
    """One prior-art document with its support per feature and its category."""

    doc: PatentDocument
    rank: int
    search_score: float
    supports: list[Support]
    category: str = "A"
    combined_with: list[str] = field(default_factory=list)

    @property
    def covered(self) -> list[str]:
        """Features this document discloses."""
        return [s.feature for s in self.supports if s.score >= COVERED]

    @property
    def coverage(self) -> float:
        """Mean support over all features."""
        return sum(s.score for s in self.supports) / max(len(self.supports), 1)


def _subclasses(doc: PatentDocument) -> set[str]:
    return {c.code.replace(" ", "")[:4] for c in doc.classifications if c.code}


def _groups(doc: PatentDocument) -> set[str]:
    return {c.code.replace(" ", "").split("/")[0] for c in doc.classifications if c.code and "/" in c.code}


def motivation(a: Assessed, b: Assessed, features: list[Feature]) -> dict[str, Any]:
    """Why a skilled person would combine two documents: shared classes and vocabulary."""
    groups = sorted(_groups(a.doc) & _groups(b.doc))
    subclasses = sorted(_subclasses(a.doc) & _subclasses(b.doc))
    terms: list[str] = []
    sa = {s.feature: s for s in a.supports}
    sb = {s.feature: s for s in b.supports}
    for f in features:  # terms of features both documents address
        if sa[f.id].score >= PARTIAL and sb[f.id].score >= PARTIAL:
            terms += [k for k in f.keys if k not in terms]
    reasons = []
    if groups:
        reasons.append(f"same classification groups {', '.join(groups[:4])}")
    elif subclasses:
        reasons.append(f"same technical field (subclasses {', '.join(subclasses[:4])})")
    if terms:
        reasons.append(f"both address {', '.join(terms[:6])}")
    return {"shared_groups": groups, "shared_subclasses": subclasses, "shared_terms": terms[:10],
            "reasons": reasons or ["no shared class or vocabulary: the combination is weak"],
            "strength": (2 if groups else 1 if subclasses else 0) + (1 if terms else 0)}


def categorize(features: list[Feature], docs: list[Assessed]) -> dict[str, Any]:
    """Assign X/Y/A, find the best Y combinations, the uncovered features and the indicators."""
    all_ids = [f.id for f in features]
    for d in docs:
        d.category = "X" if set(d.covered) >= set(all_ids) and all_ids else "A"
    xs = [d for d in docs if d.category == "X"]
    pairs = []
    rest = [d for d in docs if d.category != "X" and d.covered]
    for a, b in combinations(rest, 2):
        ca, cb = set(a.covered), set(b.covered)
        if ca | cb >= set(all_ids) and ca - cb and cb - ca:
            mot = motivation(a, b, features)
            pairs.append((mot["strength"], a.coverage + b.coverage, a, b, mot))
    pairs.sort(key=lambda p: (-p[0], -p[1]))
    ys = []
    for strength, _, a, b, mot in pairs[:MAX_Y]:
        for d, other in ((a, b), (b, a)):
            d.category = "Y"
            if other.doc.id not in d.combined_with:
                d.combined_with.append(other.doc.id)
        ys.append({"documents": [a.doc.id, b.doc.id],
                   "features": {a.doc.id: a.covered, b.doc.id: b.covered}, "motivation": mot})
    best = {f.id: max((s for d in docs for s in d.supports if s.feature == f.id),
                      key=lambda s: s.score, default=None) for f in features}
    uncovered = [f for f in features if best[f.id] is None or best[f.id].score < COVERED]
    return {"combinations": ys, "distinguishing": [
        {"feature": f.id, "text": f.text, "best_support": round(best[f.id].score, 3) if best[f.id] else 0.0}
        for f in uncovered], "indicators": _indicators(features, docs, xs, ys, uncovered)}


def _indicators(features: list[Feature], docs: list[Assessed], xs: list[Assessed],
                ys: list[dict[str, Any]], uncovered: list[Feature]) -> dict[str, Any]:
    closest = max(docs, key=lambda d: (len(d.covered), d.coverage), default=None)
    if xs:
        novelty = {"level": "at risk", "reasons": [
            f"{d.doc.id} discloses every feature ({', '.join(d.covered)})" for d in xs[:3]]}
    elif closest is not None:
        missing = [f.id for f in features if f.id not in closest.covered]
        novelty = {"level": "likely novel", "reasons": [
            f"no retrieved document discloses all {len(features)} features; the closest, {closest.doc.id}, "
            f"lacks {', '.join(missing)}"]}
    else:
        novelty = {"level": "unknown", "reasons": ["no prior art was retrieved"]}
    if xs:
        inventive = {"level": "at risk", "reasons": ["an X document anticipates the claim"]}
    elif ys:
        inventive = {"level": "at risk", "reasons": [
            f"{' + '.join(y['documents'])} together disclose every feature; "
            f"motivation: {'; '.join(y['motivation']['reasons'])}" for y in ys]}
    elif uncovered:
        inventive = {"level": "arguable", "reasons": [
            f"no document or pair of documents discloses {', '.join(f.id for f in uncovered)}: "
            "these are the candidate distinguishing features"]}
    else:
        inventive = {"level": "uncertain", "reasons": [
            "every feature is disclosed somewhere, but no pair of retrieved documents covers all of them"]}
    return {"novelty": novelty, "inventive_step": inventive,
            "note": "indicators from the retrieved documents only; a search of other collections may change them"}
