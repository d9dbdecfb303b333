"""Explainable pairwise scores: each returns ``(score in [0, 1], reasons)``.

Organisations are compared on their legal-form-free keys (exact, initials, character similarity);
inventors on last name, first name, middle initials and shared context (co-inventors, locations,
assignees, classes).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import cast

from rapidfuzz.distance import Indel

from ipai.analytics.entities.keys import PersonName, acronym

ORG_THRESHOLD = 0.92
PERSON_THRESHOLD = 0.8
WORD_TYPO_SIM = 0.88
MIN_FUZZY_LEN = 10  # shorter keys must match exactly (``SONY`` vs ``SONG`` are different companies)
_DIGITS = re.compile(r"\d+")
# words naming different compass directions are different names, however close their spelling
# (NORTHWESTERN / NORTHEASTERN, SOUTHEAST / SOUTHWEST)
_DIRECTIONS = re.compile(r"NORTH|SOUTH|EAST|WEST")


def directions_differ(a: str, b: str) -> bool:
    """``a`` and ``b`` name different compass directions."""
    return set(_DIRECTIONS.findall(a)) != set(_DIRECTIONS.findall(b))


def org_similarity(a: str, b: str) -> float:
    """Character similarity of two organisation keys (normalised Indel, 0-1)."""
    return Indel.normalized_similarity(a, b)


def fuzzy_allowed(a: str, b: str) -> bool:
    """Keys may merge on similarity alone: both long enough and carrying the same numbers."""
    return min(len(a), len(b)) >= MIN_FUZZY_LEN and _DIGITS.findall(a) == _DIGITS.findall(b)


def words_typo_close(tokens_a: list[str], tokens_b: list[str], min_sim: float = WORD_TYPO_SIM) -> bool:
    """Every word found in only one name is a typo of a word of the other (``NAVY`` vs ``ARMY``: no),
    or a piece of a run-together word (``OFAMERICA``)."""
    only_a = set(tokens_a) - set(tokens_b)
    only_b = set(tokens_b) - set(tokens_a)
    if not only_a and not only_b:
        return True
    for mine, other, other_all in ((only_a, only_b, tokens_b), (only_b, only_a, tokens_a)):
        joined = "".join(other_all)
        for t in mine:
            if t in joined and len(t) >= 2 and t not in other_all:
                continue
            if not other:
                return False
            best = max(other, key=lambda o: Indel.normalized_similarity(t, o))
            if Indel.normalized_similarity(t, best) < min_sim or directions_differ(t, best):
                return False
    return True


def org_score(tokens_a: list[str], tokens_b: list[str]) -> tuple[float, list[str]]:
    """Score two organisation names given their :func:`org_tokens`."""
    ka, kb = "".join(tokens_a), "".join(tokens_b)
    if ka == kb:
        return 1.0, [f"same name once legal forms and punctuation are removed: {' '.join(tokens_a)!r}"]
    for short, long_ in ((tokens_a, tokens_b), (tokens_b, tokens_a)):
        ac = acronym(long_)
        if len(short) == 1 and ac and short[0] == ac:
            return 0.9, [f"{short[0]!r} is the initials of {' '.join(long_)!r}"]
    sim = org_similarity(ka, kb)
    reasons = [f"character similarity {sim:.2f} of {' '.join(tokens_a)!r} and {' '.join(tokens_b)!r}"]
    if not fuzzy_allowed(ka, kb):
        reasons.append("names too short or with different numbers to merge on similarity alone")
        return min(sim, ORG_THRESHOLD - 0.01), reasons
    only_a = set(tokens_a) - set(tokens_b)
    only_b = set(tokens_b) - set(tokens_a)
    if only_a or only_b:
        reasons.append(f"words only in one name: {sorted(only_a)} / {sorted(only_b)}")
    if not words_typo_close(tokens_a, tokens_b):
        if directions_differ(" ".join(sorted(only_a)), " ".join(sorted(only_b))):
            reasons.append("the differing words name different directions")
        reasons.append("a differing word is not a misspelling of the other name's words")
        return min(sim, ORG_THRESHOLD - 0.01), reasons
    return sim, reasons


@dataclass
class PersonContext:
    """Aggregated context of one inventor name: co-inventors, locations, assignees, classes."""

    coinventors: set[str] = field(default_factory=set)
    locations: set[str] = field(default_factory=set)
    assignees: set[str] = field(default_factory=set)
    classes: set[str] = field(default_factory=set)
    documents: set[str] = field(default_factory=set)

    def update(self, ctx: dict | None) -> None:
        """Add one mention's context (keys ``coinventors``, ``location(s)``, ``assignee(s)``,
        ``classes``, ``documents``)."""
        if not ctx:
            return
        for key, into in (
            ("documents", self.documents),
            ("coinventors", self.coinventors),
            ("locations", self.locations),
            ("location", self.locations),
            ("assignees", self.assignees),
            ("assignee", self.assignees),
            ("classes", self.classes),
        ):
            v = ctx.get(key)
            if v:
                into.update(_as_set(v))


def _as_set(v: object) -> set[str]:
    if not v:
        return set()
    items = [v] if isinstance(v, str) else list(cast("Iterable[object]", v))
    return {_upper_key(x if isinstance(x, str) else str(x)) for x in items if x and str(x).strip()}


@lru_cache(maxsize=1 << 18)  # context values (co-inventors, assignees) recur across mentions
def _upper_key(s: str) -> str:
    return " ".join(s.upper().split())


def shared_context(ca: PersonContext | None, cb: PersonContext | None) -> list[str]:
    """What two name variants share besides the name: documents, co-inventors, assignees."""
    if ca is None or cb is None:
        return []
    out = []
    for attr, label in (
        ("documents", "same documents"),
        ("coinventors", "shared co-inventors"),
        ("assignees", "shared assignees"),
    ):
        common = getattr(ca, attr) & getattr(cb, attr)
        if common:
            out.append(f"{label}: {sorted(common)[:3]}")
    return out


def first_names_compatible(a: str, b: str) -> bool:
    """Given names agree: equal, one missing, or one an initial/prefix of the other."""
    if not a or not b or a == b:
        return True
    s, lg = (a, b) if len(a) <= len(b) else (b, a)
    return lg.startswith(s) and (len(s) == 1 or len(s) >= 3)


def person_score(
    a: PersonName, b: PersonName, ca: PersonContext | None = None, cb: PersonContext | None = None
) -> tuple[float, list[str]]:
    """Score two inventor names (and their contexts)."""
    reasons: list[str] = []
    if a.last != b.last:
        sim = Indel.normalized_similarity(a.last, b.last)
        if sim < 0.85 or min(len(a.last), len(b.last)) < 5:
            return 0.0, [f"different last names {a.last!r} / {b.last!r}"]
        score = 0.15
        reasons.append(f"last names {a.last!r} / {b.last!r} differ by a typo (similarity {sim:.2f})")
    else:
        score = 0.3
        reasons.append(f"same last name {a.last!r}")
    if a.first == b.first and a.first:
        score += 0.6
        reasons.append(f"same first name {a.first!r}")
    elif not first_names_compatible(a.first, b.first):
        return 0.0, reasons + [f"different first names {a.first!r} / {b.first!r}"]
    elif not a.first or not b.first:
        score += 0.2
        reasons.append("first name missing on one side")
    else:
        score += 0.35
        reasons.append(f"first names {a.first!r} / {b.first!r}: one abbreviates the other")
    if a.initials and b.initials:
        if a.initials == b.initials:
            score += 0.15
            reasons.append(f"same middle initials {a.initials!r}")
        elif not (a.initials.startswith(b.initials) or b.initials.startswith(a.initials)):
            score -= 0.3
            reasons.append(f"different middle initials {a.initials!r} / {b.initials!r}")
    if ca is not None and cb is not None:
        for attr, weight, label in (
            ("coinventors", 0.3, "shared co-inventors"),
            ("assignees", 0.2, "shared assignees"),
            ("locations", 0.15, "shared locations"),
            ("classes", 0.1, "shared classes"),
        ):
            common = getattr(ca, attr) & getattr(cb, attr)
            if common:
                score += weight
                reasons.append(f"{label}: {sorted(common)[:3]}")
    return max(0.0, min(1.0, score)), reasons
