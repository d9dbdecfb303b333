"""Word-mark similarity: spelling, sound (an English phonetic key) and Chinese pronunciation (pinyin).

A query and a mark are compared three ways and the best counts, with the reason shown:

* ``spelling``: normalised Indel similarity of the case-folded letters and digits (rapidfuzz);
* ``sound``: the same on a phonetic key (vowels folded, similar consonants merged: ``ph``→``f``,
  ``ck``/``q``→``k``, doubled letters once), so ``Kwik`` meets ``Quick``;
* ``pinyin``: Chinese characters read as toneless pinyin (pypinyin), so ``华为`` meets ``Huawei`` and
  ``花为`` (a homophone with other characters) meets ``华为``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_KEEP = re.compile(r"[^0-9a-z\u3400-\u9fff\uf900-\ufaff]+")
_PHON: list[tuple[str, str | Callable[[re.Match[str]], str]]] = [
    (r"qu", "kw"),
    (r"ph", "f"),
    (r"ck", "k"),
    (r"c(?=[eiy])", "s"),
    (r"[cq]", "k"),
    (r"x", "ks"),
    (r"z", "s"),
    (r"dg", "j"),
    (r"gh", "g"),
    (r"^kn|^gn|^wr", lambda m: m.group(0)[1]),
    (r"y", "i"),
    (r"[aeiou]+", "a"),
    (r"(.)\1+", r"\1"),
]


def fold(text: str) -> str:
    """Lower-case letters, digits and Han characters only (accents removed)."""
    t = unicodedata.normalize("NFKD", text.lower())
    t = "".join(ch for ch in t if not unicodedata.combining(ch))
    return _KEEP.sub("", t)


@lru_cache(maxsize=100_000)
def pinyin(text: str) -> str:
    """Han characters as toneless pinyin, other characters folded (``华为 P40`` → ``huaweip40``)."""
    from pypinyin import lazy_pinyin

    return fold("".join(lazy_pinyin(text))) if _HAN.search(text) else fold(text)


@lru_cache(maxsize=100_000)
def sound(text: str) -> str:
    """A rough English phonetic key of the pinyin/latin form (vowel runs folded to ``a``)."""
    t = pinyin(text)
    for pat, rep in _PHON:
        t = re.sub(pat, rep, t)
    return t


@dataclass
class WordHit:
    """A similar word mark with its scores (0-1) and the way it is most similar."""

    id: str
    text: str
    score: float
    spelling: float
    sound: float
    pinyin: float
    reason: str

    def to_json(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "id": self.id,
            "text": self.text,
            "score": round(self.score, 4),
            "reason": self.reason,
            "spelling": round(self.spelling, 4),
            "sound": round(self.sound, 4),
            "pinyin": round(self.pinyin, 4),
        }


def compare(a: str, b: str) -> dict[str, float]:
    """Spelling, sound and pinyin similarity of two word marks (0-1 each)."""
    from rapidfuzz.fuzz import ratio

    fa, fb = fold(a), fold(b)
    spelling = ratio(fa, fb) / 100 if fa and fb else 0.0
    han = bool(_HAN.search(a) or _HAN.search(b))
    py = ratio(pinyin(a), pinyin(b)) / 100 if han and pinyin(a) and pinyin(b) else 0.0
    so = ratio(sound(a), sound(b)) / 100 if sound(a) and sound(b) else 0.0
    return {"spelling": spelling, "sound": so * 0.95, "pinyin": py}


def similar_words(
    query: str, marks: Iterable[tuple[str, str]], *, top: int = 20, threshold: float = 0.6
) -> list[WordHit]:
    """Marks ``(id, text)`` like ``query``, best first (score = best of spelling, sound, pinyin)."""
    from rapidfuzz import process
    from rapidfuzz.fuzz import ratio

    marks = [(i, t) for i, t in marks if t and t.strip()]
    keys = [(pinyin(t), sound(t)) for _, t in marks]
    qp, qs = pinyin(query), sound(query)
    # cheap prefilter on the pinyin/latin form and on the sound key, then the full comparison
    limit = max(top * 20, 200)
    cands = {i for _, _, i in process.extract(qp, [k[0] for k in keys], scorer=ratio, limit=limit)}
    cands |= {i for _, _, i in process.extract(qs, [k[1] for k in keys], scorer=ratio, limit=limit)}
    out = []
    for i in cands:
        mid, text = marks[i]
        sc = compare(query, text)
        reason = max(sc, key=lambda k: sc[k])
        if sc[reason] >= threshold:
            out.append(WordHit(mid, text, sc[reason], sc["spelling"], sc["sound"], sc["pinyin"], reason))
    out.sort(key=lambda h: (-h.score, h.text))
    return out[:top]
