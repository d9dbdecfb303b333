"""The extractive answer: the sentence(s) of the cited passage that answer the question.

Sentences (split at 。；！？ and line ends, and at English sentence ends) are scored by the
idf-weighted question terms they hold (the legal terms the question was mapped to included, a term
written verbatim counting in full); the best is quoted. A sentence that introduces a list (ends with
a colon) is quoted with the list's items; a very short one with the sentence after it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ipai.search.analysis import index_tokens

_SENT = re.compile(r"[^。；！？!?]+[。；！？!?]?")
_EN_SENT = re.compile(r"(?<=[.!?;])\s+(?=[A-Z(\"“])")
_ARTICLE_HEAD = re.compile(r"^第[一二三四五六七八九十百千零〇\d]+条\s*")
_ITEM = re.compile(r"^\s*[（(][一二三四五六七八九十\d]+[）)]")
MAX_ITEMS = 8
MAX_CHARS = 360
SHORT = 14
NEXT_SHARE = (
    0.35  # the next sentence of the same paragraph is quoted too when it scores this share of the best
)


def sentences(text: str) -> list[tuple[str, bool]]:
    """(sentence, starts a line) of a passage, in order; Chinese split at 。；！？, English at sentence ends."""
    out: list[tuple[str, bool]] = []
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        parts = [m.group(0).strip() for m in _SENT.finditer(line) if m.group(0).strip()]
        if len(parts) == 1 and not re.search(r"[\u4e00-\u9fff]", line):
            parts = [p.strip() for p in _EN_SENT.split(line) if p.strip()]
        for k, part in enumerate(parts):
            out.append((part, k == 0))
    return out


def best_sentences(
    text: str, terms: dict[str, float], phrases: list[str], idf: Callable[[str], float], lang: str = "zh"
) -> str:
    """The sentence(s) of ``text`` that best answer a question with these weighted terms and legal phrases."""
    sents = sentences(text)
    if not sents:
        return ""
    scores = []
    for s, _ in sents:
        toks = set(index_tokens(s, lang, subwords=True))
        score = sum(w * idf(t) for t, w in terms.items() if t in toks)
        score += sum(max(idf(t) for t in index_tokens(p, "zh") or [""]) for p in phrases if p in s)
        scores.append(score)
    best = max(range(len(sents)), key=lambda i: (scores[i], -i))
    picked = [sents[best][0]]
    j = best + 1
    if picked[0].endswith(("：", ":")):  # a list: its items
        while j < len(sents) and len(picked) <= MAX_ITEMS and _ITEM.match(sents[j][0]):
            picked.append(sents[j][0])
            j += 1
    elif (
        j < len(sents)
        and not sents[j][1]
        and (len(picked[0]) < SHORT or scores[j] >= NEXT_SHARE * scores[best] > 0)
    ):
        picked.append(sents[j][0])
    sep = "\n" if len(picked) > 1 and _ITEM.match(picked[-1]) else ("" if lang == "zh" else " ")
    out = _ARTICLE_HEAD.sub("", sep.join(picked), count=1)
    return out if len(out) <= MAX_CHARS else out[:MAX_CHARS].rstrip() + "…"
