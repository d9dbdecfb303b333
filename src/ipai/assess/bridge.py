"""The lexical signal across Chinese and English: a feature's key words translated with CC-CEDICT
(:mod:`ipai.text.lexicon`), so that 故障预测 is found in "predicting a failure" and "hinge" in
"铰链" — word by word, as an examiner reading a translation would.

- A Chinese key (a segmented word) is present in an English passage when one of its dictionary
  senses is (every stemmed word of the sense, in any order); a compound the dictionary lacks
  (预测器) is present when each of its dictionary parts (预测, 器 dropped as a single character) is.
- An English key (a stem) is present in a Chinese passage when a Chinese word having the surface
  word, or a two-word phrase it starts or ends, as a sense occurs in the passage.
"""

from __future__ import annotations

from functools import lru_cache

from ipai.search.analysis import has_han, index_tokens
from ipai.text import chinese

MAX_SENSES = 6  # senses of a Chinese word tried (the dictionary's order: main senses first)
MAX_ZH = 8  # Chinese words tried for one English word


@lru_cache(maxsize=20_000)
def _senses(word: str) -> tuple[frozenset[str], ...]:
    """Stemmed English forms of a Chinese word's senses (qualified senses after plain ones)."""
    from ipai.text.lexicon import lexicon

    glosses = sorted(lexicon().glosses(chinese.to_simplified(word)), key=lambda g: (g.qualified, g.rank))
    out = []
    for g in glosses[:MAX_SENSES]:
        stems = frozenset(index_tokens(g.text, "en"))
        if stems and stems not in out:
            out.append(stems)
    return tuple(out)


@lru_cache(maxsize=20_000)
def _zh_parts(word: str) -> tuple[tuple[frozenset[str], ...], ...]:
    """Senses of a Chinese key: one group for a dictionary word, one per part for a compound the
    dictionary lacks (each part must then be found)."""
    whole = _senses(word)
    if whole or len(word) < 3:
        return (whole,) if whole else ()
    from ipai.search.concepts import _fine

    parts = [p for p in _fine(word) if len(p) >= 2]
    groups = tuple(s for s in (_senses(p) for p in parts) if s)
    return groups if len(groups) == len(parts) and groups else ()


@lru_cache(maxsize=20_000)
def _zh_words(phrase: str) -> tuple[str, ...]:
    """Chinese words having an English word or phrase as a sense."""
    from ipai.text.lexicon import lexicon

    found = lexicon().chinese(phrase.split())
    return tuple(dict.fromkeys(w for w, g in found if len(w) >= 2))[:MAX_ZH]


class Bridge:
    """Per key of the features, how to find it in a passage of the other script."""

    def __init__(self, text_keys: list[tuple[str, list[str]]], lang: str) -> None:
        """``text_keys``: (feature text, its keys) pairs in the features' language ``lang``."""
        self.zh = lang == "zh"
        self.to_en: dict[str, tuple[tuple[frozenset[str], ...], ...]] = {}
        self.to_zh: dict[str, set[str]] = {}
        for text, keys in text_keys:
            if self.zh:
                for k in keys:
                    if k not in self.to_en and has_han(k) and len(k) >= 2:  # 后, 上: no technical sense
                        parts = _zh_parts(k)
                        if parts:
                            self.to_en[k] = parts
            else:
                self._english(text, set(keys))

    def _english(self, text: str, keys: set[str]) -> None:
        import re

        words = re.findall(r"[A-Za-z][A-Za-z-]+", text)
        stems = [(index_tokens(w, "en") or [""])[0] for w in words]
        for i, (w, k) in enumerate(zip(words, stems, strict=False)):
            if k not in keys:
                continue
            got = self.to_zh.setdefault(k, set())
            got.update(_zh_words(w.lower()))
            for j in (i - 1, i + 1):  # a two-word phrase: "neural network" → 神经网络 counts for both words
                if 0 <= j < len(words):
                    pair = f"{words[min(i, j)]} {words[max(i, j)]}".lower()
                    got.update(_zh_words(pair))

    def present(self, key: str, tokens: set[str], text: str) -> bool:
        """Whether ``key`` (a feature key) is in a passage of the other script (its index tokens
        and its text)."""
        if self.zh:
            parts = self.to_en.get(key)
            if not parts:
                return False
            return all(any(s <= tokens for s in senses) for senses in parts)
        return any(w in text for w in self.to_zh.get(key, ()))

    def translated(self, key: str) -> bool:
        """Whether the dictionary offers the key a form in the other script."""
        return bool(self.to_en.get(key) if self.zh else self.to_zh.get(key))
