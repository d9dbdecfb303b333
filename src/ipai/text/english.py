"""English (and other Latin-script) tokenising and Snowball stemming."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

_WORD = re.compile(r"[0-9A-Za-z\u00c0-\u024f]+(?:[-'][0-9A-Za-z\u00c0-\u024f]+)*")

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "that",
        "the",
        "this",
        "to",
        "was",
        "were",
        "which",
        "with",
        "wherein",
        "said",
        "such",
    ]
)
_SNOWBALL = {
    "en": "english",
    "de": "german",
    "fr": "french",
    "es": "spanish",
    "it": "italian",
    "pt": "portuguese",
    "nl": "dutch",
    "sv": "swedish",
    "da": "danish",
    "fi": "finnish",
}


@lru_cache(maxsize=16)
def _stemmer(lang: str) -> Any:
    import Stemmer

    return Stemmer.Stemmer(_SNOWBALL.get(lang, "english"))


def tokenize(text: str) -> list[str]:
    """Lower-cased word tokens (hyphenated words kept whole)."""
    return [m.group(0).lower() for m in _WORD.finditer(text or "")]


def stem(words: list[str], lang: str = "en") -> list[str]:
    """Snowball stems of the given words."""
    return _stemmer(lang).stemWords(words)


def analyze(text: str, lang: str = "en", *, stopwords: bool = True) -> list[str]:
    """Tokens, stopwords dropped (English), stemmed."""
    toks = tokenize(text)
    if stopwords and lang == "en":
        toks = [t for t in toks if t not in STOPWORDS]
    return stem(toks, lang)
