"""Sentence roles: which sentences state the technical problem, the solution and the effects.

A sentence's score for a role = its cue words (Chinese and English lists below, each cue counted
once) + a position prior (the abstract's first sentence states the solution; background and summary
paragraphs state the problem; summary paragraphs and the abstract's later sentences the effects);
sentences from the detailed description and the figure captions are not candidates. A sentence
needs at least one cue for the problem and the effects; the solution falls back to the abstract's
first sentence, then the main claim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ipai.explain.sections import Sentence

CUES: dict[str, list[str]] = {
    "problem": [
        r"技术问题", r"要解决的问题", r"存在(?:的)?(?:问题|缺陷|不足)", r"缺陷", r"不足", r"难以", r"无法", r"不能",
        r"目的在于", r"目的是", r"旨在", r"为了解决", r"为解决", r"克服", r"问题",
        r"\bproblems?\b", r"\bdrawbacks?\b", r"\bdisadvantages?\b", r"\bshortcomings?\b", r"\bdifficult",
        r"\b(?:object|purpose|aim) of (?:the|this) (?:present )?invention\b", r"\bobjects? of the invention\b", r"\bit is an? (?:\w+ )?object\b",
        r"\bneed (?:for|to|exists)\b", r"\bsuffers?\b", r"\bhowever\b", r"\bunable\b", r"\bcannot\b",
        r"\blimitations?\b", r"\binsufficient\b", r"\bAufgabe\b", r"\bNachteil", r"\binconvénient", r"\bproblème",
    ],
    "solution": [
        r"本发明(?:提供|提出|公开)", r"本实用新型(?:提供|提出|公开)", r"提供了?一种", r"公开了?一种", r"提出了?一种", r"技术方案",
        r"包括", r"包含", r"采用", r"通过",
        r"\b(?:the )?(?:present )?invention (?:provides|relates to|is directed to|concerns)\b", r"\bthere is provided\b",
        r"\bprovides?\b", r"\bprovided\b", r"\bcompris(?:es|ing)\b", r"\bincludes?\b", r"\bincluding\b",
        r"\baccording to (?:the|this|one aspect of the) (?:present )?invention\b", r"\bdisclosed\b",
        r"\berfindungsgemä(?:ß|ss)", r"\bumfasst", r"\bselon l'invention\b", r"\bcomprend",
    ],
    "effect": [
        r"有益效果", r"从而", r"能够", r"可以", r"提高", r"提升", r"降低", r"减少", r"减小", r"使得", r"效果", r"优点",
        r"避免", r"保证", r"确保", r"实现了", r"有效",
        r"\badvantages?\b", r"\badvantageous(?:ly)?\b", r"\bthereby\b", r"\bimprov(?:es|ed|ing|ement)\b", r"\bso that\b",
        r"\benabl(?:es|ing)\b", r"\ballows?\b", r"\breduc(?:es|ed|ing|tion)\b", r"\bincreas(?:es|ed|ing)\b",
        r"\beffects?\b", r"\befficien(?:t|cy)\b", r"\bbenefits?\b", r"\bavoid(?:s|ing)?\b", r"\bprevent(?:s|ing)?\b",
        r"\bVorteil", r"\bavantage",
    ],
}
_COMPILED = {role: [re.compile(p, re.IGNORECASE) for p in pats] for role, pats in CUES.items()}
ROLES = ("problem", "solution", "effect")
_AIM = re.compile(r"\b(?:object|purpose|aim)s? of (?:the|this) (?:present )?invention\b|\bit is an? (?:\w+ )?object\b|"
                  r"目的在于|目的是|旨在", re.IGNORECASE)


@dataclass
class Scored:
    """A sentence chosen for a role, with its score and the cues that matched."""

    sentence: Sentence
    role: str
    score: float
    cues: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        """JSON form: the quote, its location and why it was picked."""
        s = self.sentence
        return {"text": s.text, "where": s.where, "source": s.source, "section": s.section,
                "score": round(self.score, 2), "cues": self.cues}


def cues_in(text: str, role: str) -> list[str]:
    """The cue patterns of a role found in a text (as matched)."""
    out = []
    for rx in _COMPILED[role]:
        m = rx.search(text)
        if m and m.group(0).lower() not in out:
            out.append(m.group(0).lower())
    return out


def prior(s: Sentence, role: str) -> float:
    """The position prior of a sentence for a role (see module doc)."""
    if s.source == "abstract":
        return {"solution": 2.0 if s.index == 0 else 0.5, "problem": 0.5, "effect": 0.5 if s.index else 0.0}[role]
    if s.source == "claim":
        return {"solution": 0.5 if s.index == 1 else 0.0, "problem": -5.0, "effect": -5.0}[role]
    sec = s.section
    if sec in ("detailed", "drawings", None):
        return -10.0
    table = {"background": {"problem": 1.0, "solution": -1.0, "effect": -0.5},
             "summary": {"problem": 0.5, "solution": 1.0, "effect": 1.0},
             "early": {"problem": 0.5, "solution": 0.5, "effect": 0.5}}
    return table.get(sec, {}).get(role, 0.0) - 0.01 * s.para  # earlier paragraphs first


def score(s: Sentence, role: str) -> Scored:
    """The sentence's score for a role."""
    cues = cues_in(s.text[:1200], role)
    length = len(s.text)
    penalty = 1.0 if length > 900 or length < 15 else 0.0
    if role == "solution" and _AIM.search(s.text[:400]):  # "the object of the invention is to provide …"
        penalty += 2.0
    return Scored(s, role, min(len(cues), 4) + prior(s, role) - penalty, cues)


def find_roles(sents: list[Sentence], *, per_role: int = 2) -> dict[str, list[Scored]]:
    """The best sentences for each role; a sentence takes one role only (solution first, then
    problem, then effects)."""
    used: set[int] = set()
    out: dict[str, list[Scored]] = {}
    for role in ("solution", "problem", "effect"):
        cands = [score(s, role) for i, s in enumerate(sents) if i not in used]
        need = 0 if role == "solution" else 1
        good = [c for c in cands if len(c.cues) >= need and c.score > 0]
        good.sort(key=lambda c: -c.score)
        if role == "solution" and not good:
            good = [c for c in cands if c.sentence.source in ("abstract", "claim")][:1]
        picked = good[:per_role]
        out[role] = picked
        ids = {id(c.sentence) for c in picked}
        used |= {i for i, s in enumerate(sents) if id(s) in ids}
    return out
