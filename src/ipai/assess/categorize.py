"""Search-report categories and the novelty / inventive-step indicators, with their reasons.

- **X**: one document supports every feature (support ≥ ``covered``): novelty is at risk.
- **Y**: two documents that are not X but together support every feature, each adding something;
  the motivation to combine them is shown (classes they share, terms they share).
- **A**: the other retrieved documents (technological background).
``covered`` and ``partial`` are fitted on labelled cases (:mod:`ipai.assess.calibration`), not set
by hand. The indicators are never a bare verdict: each comes with the documents and features
behind it, as structured facts written in the reader's language (:mod:`ipai.assess.messages`),
and the features no document supports are listed as the candidate distinguishing features.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from ipai.assess.calibration import params
from ipai.assess.features import Feature
from ipai.assess.mapping import Support
from ipai.assess.messages import render
from ipai.model import PatentDocument

MAX_Y = 3


def thresholds() -> dict[str, float]:
    """The fitted support thresholds of the report: ``covered`` (disclosed) and ``partial``."""
    p = params()
    return {"covered": p.covered, "partial": p.partial}


@dataclass
class Assessed:
    """One prior-art document with its support per feature and its category."""

    doc: PatentDocument
    rank: int
    search_score: float
    supports: list[Support]
    category: str = "A"
    combined_with: list[str] = field(default_factory=list)
    threshold: float = field(default_factory=lambda: params().covered)

    @property
    def covered(self) -> list[str]:
        """Features this document discloses."""
        return [s.feature for s in self.supports if s.score >= self.threshold]

    @property
    def coverage(self) -> float:
        """Mean support over all features."""
        return sum(s.score for s in self.supports) / max(len(self.supports), 1)


def _subclasses(doc: PatentDocument) -> set[str]:
    return {c.code.replace(" ", "")[:4] for c in doc.classifications if c.code}


def _groups(doc: PatentDocument) -> set[str]:
    return {c.code.replace(" ", "").split("/")[0] for c in doc.classifications if c.code and "/" in c.code}


def surface_words(f: Feature) -> dict[str, str]:
    """The feature's words as written, by matching key (``batteri`` → ``battery``): reasons quote
    words, not the index's stems."""
    import re

    from ipai.search.analysis import index_tokens

    out: dict[str, str] = {}
    for word in re.findall(r"[^\W_]+(?:[-'][^\W_]+)*", f.text):
        for key in index_tokens(word, f.lang or "en"):
            out.setdefault(key, word if len(index_tokens(word, f.lang or "en")) == 1 else key)
    return out


def motivation(a: Assessed, b: Assessed, features: list[Feature], lang: str = "en") -> dict[str, Any]:
    """Why a skilled person would combine two documents: shared classes and vocabulary."""
    partial = params().partial
    groups = sorted(_groups(a.doc) & _groups(b.doc))
    subclasses = sorted(_subclasses(a.doc) & _subclasses(b.doc))
    terms: list[str] = []
    words: list[str] = []
    sa = {s.feature: s for s in a.supports}
    sb = {s.feature: s for s in b.supports}
    for f in features:  # terms of features both documents address
        if sa[f.id].score >= partial and sb[f.id].score >= partial:
            surface = surface_words(f)
            for k in f.keys:
                if k not in terms:
                    terms.append(k)
                    if surface.get(k, k).lower() not in (w.lower() for w in words):
                        words.append(surface.get(k, k))
    facts: list[dict[str, Any]] = []
    if groups:
        facts.append({"code": "mot_groups", "groups": groups[:4]})
    elif subclasses:
        facts.append({"code": "mot_subclasses", "subclasses": subclasses[:4]})
    if terms:
        facts.append({"code": "mot_terms", "terms": words[:6]})
    facts = facts or [{"code": "mot_weak"}]
    return {
        "shared_groups": groups,
        "shared_subclasses": subclasses,
        "shared_terms": terms[:10],
        "facts": facts,
        "reasons": [render(f, lang) for f in facts],
        "strength": (2 if groups else 1 if subclasses else 0) + (1 if terms else 0),
    }


def categorize(features: list[Feature], docs: list[Assessed], lang: str = "en") -> dict[str, Any]:
    """Assign X/Y/A, find the best Y combinations, the uncovered features and the indicators
    (reasons written in ``lang``)."""
    covered = params().covered
    all_ids = [f.id for f in features]
    for d in docs:
        d.threshold = covered
        d.category = "X" if set(d.covered) >= set(all_ids) and all_ids else "A"
    xs = [d for d in docs if d.category == "X"]
    pairs = []
    rest = [d for d in docs if d.category != "X" and d.covered]
    for a, b in combinations(rest, 2):
        ca, cb = set(a.covered), set(b.covered)
        if ca | cb >= set(all_ids) and ca - cb and cb - ca:
            mot = motivation(a, b, features, lang)
            pairs.append((mot["strength"], a.coverage + b.coverage, a, b, mot))
    pairs.sort(key=lambda p: (-p[0], -p[1]))
    ys = []
    for _strength, _, a, b, mot in pairs[:MAX_Y]:
        for d, other in ((a, b), (b, a)):
            d.category = "Y"
            if other.doc.id not in d.combined_with:
                d.combined_with.append(other.doc.id)
        ys.append(
            {
                "documents": [a.doc.id, b.doc.id],
                "features": {a.doc.id: a.covered, b.doc.id: b.covered},
                "motivation": mot,
            }
        )
    best = {
        f.id: max(
            (s for d in docs for s in d.supports if s.feature == f.id), key=lambda s: s.score, default=None
        )
        for f in features
    }
    uncovered = [f for f in features if (bs := best[f.id]) is None or bs.score < covered]
    return {
        "combinations": ys,
        "distinguishing": [
            {
                "feature": f.id,
                "text": f.text,
                "best_support": round(bs.score, 3) if (bs := best[f.id]) else 0.0,
            }
            for f in uncovered
        ],
        "indicators": indicators(features, docs, xs, ys, uncovered, lang),
    }


def indicators(
    features: list[Feature],
    docs: list[Assessed],
    xs: list[Assessed],
    ys: list[dict[str, Any]],
    uncovered: list[Feature],
    lang: str = "en",
) -> dict[str, Any]:
    """Novelty and inventive-step levels with their reasons (facts, and sentences in ``lang``)."""
    closest = max(docs, key=lambda d: (len(d.covered), d.coverage), default=None)
    novelty: tuple[str, list[dict[str, Any]]]
    inventive: tuple[str, list[dict[str, Any]]]
    if xs:
        novelty = (
            "at risk",
            [{"code": "x_document", "doc": d.doc.id, "features": d.covered} for d in xs[:3]],
        )
    elif closest is not None:
        missing = [f.id for f in features if f.id not in closest.covered]
        novelty = (
            "likely novel",
            [{"code": "closest_lacks", "n": len(features), "doc": closest.doc.id, "features": missing}],
        )
    else:
        novelty = ("unknown", [{"code": "no_prior_art"}])
    if xs:
        inventive = ("at risk", [{"code": "x_anticipates"}])
    elif ys:
        inventive = (
            "at risk",
            [{"code": "y_pair", "docs": y["documents"], "motivation": y["motivation"]["facts"]} for y in ys],
        )
    elif uncovered:
        inventive = ("arguable", [{"code": "distinguishing", "features": [f.id for f in uncovered]}])
    else:
        inventive = ("uncertain", [{"code": "scattered"}])
    out: dict[str, Any] = {}
    for key, (level, facts) in (("novelty", novelty), ("inventive_step", inventive)):
        out[key] = {"level": level, "facts": facts, "reasons": [render(f, lang) for f in facts]}
    out["note"] = render({"code": "note"}, lang)
    return out
