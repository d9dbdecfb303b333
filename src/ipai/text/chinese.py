"""Chinese text: traditional→simplified folding (OpenCC) and word segmentation (rjieba)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")  # one CJK ideograph
_HAN = HAN


def has_han(text: str) -> bool:
    """True if the text contains at least one CJK ideograph."""
    return bool(_HAN.search(text or ""))


@lru_cache(maxsize=1)
def _converter() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Fold traditional Chinese characters to simplified (no-op on text without Han)."""
    if not text or not has_han(text):
        return text
    return _converter().convert(text)


def segment(text: str) -> list[str]:
    """Segment Chinese text into words (traditional folded to simplified first)."""
    import rjieba

    return [w for w in rjieba.cut(to_simplified(text)) if w.strip()]


def add_words(words: list[str]) -> None:
    """Add domain terms (a user dictionary) to the segmenter."""
    import rjieba

    for w in words:
        if w.strip():
            rjieba.add_word(w.strip(), None, None)  # freq and tag: jieba's defaults
