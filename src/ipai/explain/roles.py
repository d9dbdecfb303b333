"""Sentence roles: which sentences state the technical problem, the solution and the effects.

A sentence's score for a role = its cue words (lists below in Chinese, English, German and French;
*strong* cues — 技术问题, "object of the invention", "drawback", Aufgabe … — count 1.5, the others 1,
at most 4) + a position prior from the part of the document it sits in: the abstract (its first
sentence states the solution), an independent claim, or a description section found from the
headings (``explain/sections.py``): a heading that names the part ("Problems to be Solved", 技术问题,
有益效果, "Advantageous Effects", Technisches Problem …) gives its sentences a strong prior for that
role; background favours the problem, summary the solution and effects. Boilerplate (priority
claims, incorporation by reference, "these and other objects will become apparent") and the
technical-field sentence are never problems or effects. The detailed description and the figure
captions are never candidates.

A sentence needs at least one cue for the problem and the effects. When no sentence has one and an
encoder is given (:func:`find_roles` ``similarity``), the candidates of the background and summary
parts are compared by meaning with a description of the role in the document's language
(multilingual e5); the closest is taken when it is close enough (:data:`SIMILAR_MIN`, set on the
dev split of ``evals/cases/explain.jsonl``). The solution falls back to the abstract's first
sentence, then the main claim.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ipai.explain.sections import Sentence

STRONG: dict[str, list[str]] = {
    "problem": [
        r"技术问题",
        r"要解决的问题",
        r"存在(?:的)?(?:问题|缺陷|不足)",
        r"缺陷",
        r"不足之处",
        r"缺点",
        r"目的在于",
        r"目的是",
        r"为了解决",
        r"为解决",
        r"解决了[^。]{0,60}问题",
        r"克服",
        r"亟需",
        r"亟待",
        r"\bproblems?\b",
        r"\bdrawbacks?\b",
        r"\bdisadvantages?\b",
        r"\bshortcomings?\b",
        r"\bdeficienc(?:y|ies)\b",
        r"\b(?:object|objective|purpose|aim)s? of (?:the|this) (?:present |claimed )?(?:invention|disclosure)\b",
        r"\bit is (?:therefore )?an? (?:\w+ )?(?:object|objective|aim)\b",
        r"\b(?:there is|there exists|remains) an? (?:\w+ )?need\b",
        r"\bneed (?:exists|for)\b",
        r"\bwhat is (?:desired|needed)\b",
        r"\bit (?:would|will) be (?:desirable|advantageous)\b",
        r"\bAufgabe\b",
        r"\bNachteil",
        r"\bproblème",
        r"\binconvénient",
        r"\bbut de (?:la présente|l')invention\b",
    ],
    "solution": [
        r"本发明(?:提供|提出|公开)",
        r"本实用新型(?:提供|提出|公开)",
        r"本申请(?:提供|提出|公开)",
        r"提供了?一种",
        r"公开了?一种",
        r"提出了?一种",
        r"技术方案",
        r"\b(?:the )?(?:present )?(?:invention|disclosure) (?:provides|relates to|is directed to|concerns)\b",
        r"\bthere is provided\b",
        r"\baccording to (?:the|this|one aspect of the) (?:present )?invention\b",
        r"\berfindungsgemä(?:ß|ss)",
        r"\bselon l'invention\b",
    ],
    "effect": [
        r"有益效果",
        r"技术效果",
        r"优点",
        r"\badvantages?\b",
        r"\badvantageous(?:ly)?\b",
        r"\bbenefits?\b",
        r"\bVorteil",
        r"\bavantage",
    ],
}
WEAK: dict[str, list[str]] = {
    "problem": [
        r"不足",
        r"难以",
        r"无法",
        r"不能",
        r"旨在",
        r"针对[^，。]{0,30}(?:问题|不足|缺陷|难题)",
        r"问题",
        r"导致",
        r"造成[^，。]{0,20}损失",
        r"繁琐",
        r"耗时",
        r"成本高",
        r"效率低",
        r"精度低",
        r"\bdifficult",
        r"\bsuffers?\b",
        r"\bhowever\b",
        r"\bunable\b",
        r"\bcannot\b",
        r"\bfail(?:s|ed|ure)? to\b",
        r"(?<!not )\blimit(?:s|ed|ations?)\b",
        r"\binsufficient\b",
        r"\binadequate\b",
        r"\bbulky\b",
        r"\bexpensive\b",
        r"\bcostly\b",
        r"\bcomplicated\b",
        r"\bcumbersome\b",
        r"\binefficient\b",
        r"\bunreliable\b",
        r"\bundesirabl",
        r"\bnot (?:been )?(?:possible|satisfactory|sufficient)",
        r"\bnachteilig",
        r"\bschwierig",
        r"\bnicht möglich\b",
        r"\bdifficile",
        r"\bne permet pas\b",
    ],
    "solution": [
        r"包括",
        r"包含",
        r"采用",
        r"通过",
        r"\bprovides?\b",
        r"\bprovided\b",
        r"\bcompris(?:es|ing)\b",
        r"\bincludes?\b",
        r"\bincluding\b",
        r"\bdisclosed\b",
        r"\bumfasst",
        r"\bcomprend",
    ],
    "effect": [
        r"从而",
        r"能够",
        r"可以",
        r"提高",
        r"提升",
        r"降低",
        r"减少",
        r"减小",
        r"使得",
        r"效果",
        r"避免",
        r"保证",
        r"确保",
        r"实现了",
        r"有效",
        r"\bthereby\b",
        r"\bimprov(?:es|ed|ing|ement)\b",
        r"\bso that\b",
        r"\benabl(?:es|ing)\b",
        r"\ballows?\b",
        r"\breduc(?:es|ed|ing|tion)\b",
        r"\bincreas(?:es|ed|ing)\b",
        r"\beffects?\b",
        r"\befficien(?:t|cy)\b",
        r"\bavoid(?:s|ing)?\b",
        r"\bprevent(?:s|ing)?\b",
        r"\bachiev(?:e|es|ed|ing)\b",
        r"\blow(?:er)? (?:cost|power)\b",
        r"\bhigh(?:er)? (?:efficiency|reliability|accuracy|yield)\b",
        r"\bermöglicht",
        r"\bverbessert",
        r"\bpermet\b",
        r"\baméliore",
    ],
}
CUES = {r: STRONG[r] + WEAK[r] for r in STRONG}  # every cue pattern of a role (documented list)
_STRONG = {r: [re.compile(p, re.IGNORECASE) for p in pats] for r, pats in STRONG.items()}
_WEAK = {r: [re.compile(p, re.IGNORECASE) for p in pats] for r, pats in WEAK.items()}
ROLES = ("problem", "solution", "effect")
_AIM = re.compile(
    r"\b(?:object|objective|purpose|aim)s? of (?:the|this) (?:present )?invention\b|\bit is an? (?:\w+ )?object\b|"
    r"目的在于|目的是|旨在|\bAufgabe\b",
    re.IGNORECASE,
)
_BOILER = re.compile(
    r"incorporated (?:herein )?by reference|claims? (?:the )?(?:benefit|priority)|continuation(?:-in-part)? of|"
    r"divisional (?:application )?of|will (?:no doubt )?(?:be|become) (?:more )?(?:readily )?(?:obvious|apparent)|"
    r"(?:vorteilhafte|bevorzugte) (?:und/oder bevorzugte )?ausführungsformen|preferred embodiments (?:are|will be)|"
    r"can be achieved independently in various embodiments|(?:is|are) not (?:intended|meant) to (?:limit|be limiting)|"
    r"(?:features|advantages)[^.]{0,80}(?:become apparent|apparent from|be realized by reference|understood (?:by|from|with) reference)|"
    r"a (?:further|better) understanding of|copyright|facsimile reproduction|patent documents? \d|^\s*(?:patent|non-patent) (?:document|literature)\s*\d",
    re.IGNORECASE,
)
_OWN = re.compile(
    r"\b(?:the|this) (?:present )?(?:invention|disclosure)\b|\bthe present (?:\w+ )?(?:method|process|device|system|"
    r"synthesis|apparatus)\b|erfindungsgemä|\bder Erfindung\b|selon l'invention|本(?:发明|实用新型|申请|公开)",
    re.IGNORECASE,
)
# not an effect: a wish ("it would be advantageous to …"), an aim ("it is another aspect … to provide"),
# a preferred embodiment announced ("An advantageous embodiment is …", "vorteilhafte Weiterbildung")
_NOT_EFFECT = re.compile(
    r"\bwould be (?:advantageous|desirable)\b|\bit is (?:an(?:other)?|a further) (?:aspect|object|objective)\b|"
    r"\b(?:advantageous|preferred) (?:embodiment|development)|vorteilhafte[nr]? (?:Weiterbildung|Ausgestaltung|Ausführung)",
    re.IGNORECASE,
)
_FIELD = re.compile(
    r"^(?:the |this )?(?:present )?(?:invention|disclosure|application) (?:generally )?relates|"
    r"^本(?:发明|实用新型|申请)(?:实施例)?涉及[^，。,]{0,40}(?:领域|技术)[。，]?$",
    re.IGNORECASE,
)
# section → role → prior (see module doc); a section missing here is no candidate
PRIORS: dict[str, dict[str, float]] = {
    "problem": {"problem": 3.0, "solution": -1.0, "effect": -1.0},
    "effects": {"problem": -1.0, "solution": -0.5, "effect": 3.0},
    "means": {"problem": -1.0, "solution": 1.5, "effect": 0.0},
    "background": {"problem": 1.0, "solution": -1.5, "effect": -1.5},
    "field": {"problem": -3.0, "solution": -1.0, "effect": -3.0},
    "summary": {"problem": 0.5, "solution": 1.0, "effect": 1.0},
    "early": {"problem": 0.5, "solution": 0.5, "effect": 0.5},
}
# a description of each role the candidates are compared with when no cue is found (e5, by meaning)
ROLE_TEXT = {
    "problem": {
        "en": "The problem with existing devices and methods: they are too slow, costly, unreliable or inefficient.",
        "zh": "现有技术存在的问题和缺陷：成本高、效率低、可靠性差。",
        "de": "Nachteil des Standes der Technik: zu langsam, zu teuer, unzuverlässig.",
        "fr": "Inconvénient de l'état de la technique : trop lent, coûteux, peu fiable.",
    },
    "effect": {
        "en": "As a result, the invention improves efficiency, reduces cost and increases reliability.",
        "zh": "本发明的有益效果是提高了效率、降低了成本、提升了可靠性。",
        "de": "Dadurch verbessert die Erfindung die Effizienz und senkt die Kosten.",
        "fr": "Ainsi, l'invention améliore l'efficacité et réduit le coût.",
    },
}
HEADED = {"problem": "problem", "effect": "effects", "solution": "means"}
MEANING_SECTIONS = {"problem": ("background", "problem", "early"), "effect": ("effects", "summary", "early")}
SIMILAR_MIN = {"problem": 0.80, "effect": 0.85}
Similarity = Callable[[str, list[str]], np.ndarray]  # (role text, candidate texts) → cosines


@dataclass
class Scored:
    """A sentence chosen for a role, with its score and the cues (or the meaning match) that chose it."""

    sentence: Sentence
    role: str
    score: float
    cues: list[str] = field(default_factory=list)
    by: str = "cues"  # cues | position (solution fallback) | meaning (e5)

    def to_json(self) -> dict[str, object]:
        """JSON form: the quote, its location and why it was picked."""
        s = self.sentence
        return {
            "text": s.text,
            "where": s.where,
            "source": s.source,
            "section": s.section,
            "score": round(self.score, 2),
            "cues": self.cues,
            "by": self.by,
        }


def cues_in(text: str, role: str) -> tuple[list[str], float]:
    """The cues of a role found in a text (as matched) and their weight (strong 1.5, weak 1)."""
    out: list[str] = []
    weight = 0.0
    for rxs, w in ((_STRONG[role], 1.5), (_WEAK[role], 1.0)):
        for rx in rxs:
            m = rx.search(text)
            if m and m.group(0).lower() not in out:
                out.append(m.group(0).lower())
                weight += w
    return out, weight


def prior(s: Sentence, role: str) -> float | None:
    """The position prior of a sentence for a role (see module doc); None: not a candidate."""
    if s.source == "abstract":
        return {"solution": 2.0 if s.index == 0 else 0.5, "problem": 0.5, "effect": 0.5 if s.index else 0.0}[
            role
        ]
    if s.source == "claim":
        return {"solution": 0.5 if s.index == 1 else 0.0, "problem": None, "effect": None}[role]
    table = PRIORS.get(s.section or "")
    if table is None:
        return None
    return table[role] - 0.01 * s.para  # earlier paragraphs first


def score(s: Sentence, role: str) -> Scored | None:
    """The sentence's score for a role, or None when it cannot take the role."""
    pr = prior(s, role)
    if pr is None:
        return None
    text = s.text[:1200]
    if role != "solution" and (_BOILER.search(text) or _FIELD.search(text.strip())):
        return None
    cues, weight = cues_in(text, role)
    length = len(s.text)
    penalty = 1.0 if length > 900 or length < 15 else 0.0
    if role == "effect" and _OWN.search(text):  # an effect of the invention, not of the prior art
        weight += 1.0
    if role == "effect" and _NOT_EFFECT.search(text[:300]):
        penalty += 3.0
    if role == "solution" and _AIM.search(text[:400]):  # "the object of the invention is to provide …"
        penalty += 2.0
    return Scored(s, role, min(weight, 4.0) + pr - penalty, cues)


def _by_meaning(cands: list[Scored], role: str, lang: str, similarity: Similarity) -> Scored | None:
    """The candidate closest in meaning to the role's description, if close enough."""
    pool = [
        c for c in cands if c.sentence.section in MEANING_SECTIONS[role] and 20 <= len(c.sentence.text) <= 600
    ][:60]
    if not pool:
        return None
    text = ROLE_TEXT[role].get(lang, ROLE_TEXT[role]["en"])
    sims = similarity(text, [c.sentence.text for c in pool])
    best = int(np.argmax(sims))
    if float(sims[best]) < SIMILAR_MIN[role]:
        return None
    c = pool[best]
    return Scored(c.sentence, role, round(float(sims[best]), 3), [], by="meaning")


def _best_role(s: Sentence, role: str) -> bool:
    """Whether ``s`` scores at least as well for ``role`` as for the roles chosen after it."""
    later = {"solution": ("problem", "effect"), "problem": ("effect",), "effect": ()}[role]
    mine = score(s, role)
    others = [o for o in (score(s, r) for r in later) if o is not None and o.cues]
    return mine is not None and all(mine.score >= o.score for o in others)


def find_roles(
    sents: list[Sentence], *, per_role: int = 2, lang: str = "en", similarity: Similarity | None = None
) -> dict[str, list[Scored]]:
    """The best sentences for each role; a sentence takes one role only (solution first, then
    problem, then effects); ``similarity`` enables the meaning fallback (see module doc)."""
    used: set[int] = set()
    out: dict[str, list[Scored]] = {}
    for role in ("solution", "problem", "effect"):
        cands = [c for i, s in enumerate(sents) if i not in used for c in [score(s, role)] if c is not None]
        # a sentence under a heading naming the role needs no cue word: the heading is the cue
        good = [
            c
            for c in cands
            if c.score > 0 and (role == "solution" or c.cues or c.sentence.section == HEADED[role])
        ]
        good.sort(key=lambda c: (-c.score, len(c.sentence.text)))
        if role == "solution" and not good:
            good = [
                Scored(c.sentence, role, c.score, c.cues, by="position")
                for c in cands
                if c.sentence.source in ("abstract", "claim")
            ][:1]
        if not good and similarity is not None:
            hit = _by_meaning(cands, role, lang, similarity)
            good = [hit] if hit else []
        # a second quote only when the sentence suits this role better than the roles still to come
        picked = good[:1] + [c for c in good[1:] if _best_role(c.sentence, role)][: per_role - 1]
        out[role] = picked
        ids = {id(c.sentence) for c in picked}
        used |= {i for i, s in enumerate(sents) if id(s) in ids}
    return out
