"""Per-language text analysis for the indexes.

Two token streams come out of a text:
- **index tokens** (keyword index): Chinese segmented with rjieba after traditional→simplified
  folding — documents also get the dictionary words inside each long word (神经网络 → 神经,
  网络, 神经网络: jieba's search mode, like Elasticsearch's ``ik_max_word``), so a query for 网络
  (or ``network``) finds 神经网络 while a query for 神经网络 stays precise; Latin-script words lower-cased and Snowball-stemmed in the text's language; English
  stopwords dropped. The same function analyses query words, so both sides always agree.
- **vector tokens** (semantic encoder): surface words (lower-cased, not stemmed: the encoder
  knows words, not stems) without stopwords; Chinese words from the same segmenter.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ipai.text import chinese
from ipai.text.english import _stemmer

_LATIN_WORD = re.compile(r"[0-9a-z\u00c0-\u024f]+(?:[-'.][0-9a-z\u00c0-\u024f]+)*")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_SPLIT = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)")
_STEM_LANGS = {"en", "de", "fr", "es", "it", "pt", "nl", "sv", "da", "fi"}

EN_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "being",
        "by",
        "for",
        "from",
        "has",
        "have",
        "having",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "that",
        "the",
        "their",
        "there",
        "these",
        "this",
        "those",
        "to",
        "was",
        "were",
        "which",
        "with",
        "wherein",
        "whereby",
        "said",
        "such",
        "than",
        "then",
        "thereof",
        "therein",
        "thereto",
        "via",
        "being",
        "each",
        "one",
        "more",
        "least",
    ]
)
ZH_STOP = frozenset(
    [
        "的",
        "了",
        "和",
        "与",
        "及",
        "或",
        "是",
        "在",
        "为",
        "对",
        "等",
        "其",
        "所述",
        "一种",
        "一个",
        "该",
        "由",
        "将",
        "于",
        "以",
        "中",
        "上",
        "下",
        "并",
        "且",
        "其中",
        "包括",
        "具有",
        "通过",
        "用于",
        "根据",
        "所",
        "之",
        "个",
        "种",
        "即",
        "可",
        "能",
        "被",
        "使",
        "从",
        "到",
        "向",
        "由于",
        "如",
        "如下",
        "以及",
        "或者",
    ]
)
DE_STOP = frozenset(
    [
        "der",
        "die",
        "das",
        "und",
        "oder",
        "ein",
        "eine",
        "einer",
        "eines",
        "einem",
        "einen",
        "mit",
        "von",
        "zu",
        "zum",
        "zur",
        "im",
        "in",
        "auf",
        "für",
        "ist",
        "sind",
        "wird",
        "werden",
        "dass",
        "des",
        "den",
        "dem",
        "als",
        "bei",
        "durch",
    ]
)
FR_STOP = frozenset(
    [
        "le",
        "la",
        "les",
        "un",
        "une",
        "des",
        "du",
        "de",
        "et",
        "ou",
        "à",
        "au",
        "aux",
        "en",
        "dans",
        "par",
        "pour",
        "sur",
        "est",
        "sont",
        "qui",
        "que",
        "avec",
        "ce",
        "cette",
        "ces",
        "selon",
    ]
)
_STOPS = {"en": EN_STOP, "de": DE_STOP, "fr": FR_STOP}
_PUNCT_ONLY = re.compile(r"^[\W_]+$")


def _latin_words(text: str) -> list[str]:
    return _LATIN_WORD.findall(text.lower())


@lru_cache(maxsize=200_000)
def _stem(word: str, lang: str) -> str:
    stem: str = _stemmer(lang).stemWord(word)
    return stem


def _han_words(run: str) -> list[str]:
    return [w for w in chinese.segment(run) if w.strip() and not _PUNCT_ONLY.match(w)]


@lru_cache(maxsize=100_000)
def _inner_words(word: str) -> tuple[str, ...]:
    """Dictionary words of two or more characters inside a longer word (before the word itself)."""
    import rjieba

    return tuple(w for w in rjieba.cut_for_search(word) if len(w) >= 2 and w != word)


def index_tokens(text: str, lang: str | None = "en", subwords: bool = False) -> list[str]:
    """Keyword-index tokens of a text in ``lang`` (Chinese runs are segmented whatever ``lang``);
    ``subwords``: also the words inside long Chinese words (documents, not queries)."""
    if not text:
        return []
    lang = lang if lang in _STEM_LANGS else ("en" if not lang or lang == "zh" else lang)
    stop = _STOPS.get(lang, frozenset())
    out: list[str] = []
    for i, part in enumerate(_SPLIT.split(text)):
        if not part:
            continue
        if i % 2:  # a run of Han characters
            for w in _han_words(part):
                if w in ZH_STOP:
                    continue
                if subwords and len(w) >= 3:
                    out.extend(_inner_words(w))
                out.append(w)
        else:
            for w in _latin_words(part):
                if w in stop:
                    continue
                out.append(_stem(w, lang) if lang in _STEM_LANGS and not w[0].isdigit() else w)
    return out


def surface_words(text: str, lang: str) -> dict[str, str]:
    """Index token → the first word of the text it came from (``batteri`` → ``batteries``)."""
    lang = lang if lang in _STEM_LANGS else "en"
    out: dict[str, str] = {}
    for i, part in enumerate(_SPLIT.split(text)):
        if not part or i % 2:
            continue
        for w in _latin_words(part):
            out.setdefault(_stem(w, lang) if not w[0].isdigit() else w, w)
    return out


def vector_tokens(text: str) -> list[str]:
    """Surface words for the semantic encoder (stopwords and bare numbers dropped)."""
    if not text:
        return []
    out: list[str] = []
    for i, part in enumerate(_SPLIT.split(text)):
        if not part:
            continue
        if i % 2:
            out.extend(w for w in _han_words(part) if w not in ZH_STOP)
        else:
            out.extend(
                w
                for w in _latin_words(part)
                if w not in EN_STOP
                and w not in DE_STOP
                and w not in FR_STOP
                and not w.replace(".", "").isdigit()
                and len(w) > 1
            )
    return out


def query_token_variants(word: str, langs: tuple[str, ...] = ("en", "de", "fr")) -> list[str]:
    """Index tokens a query word may have become: one per stemming language present in the
    index (a German query word is found in German text), deduplicated, in a stable order."""
    words = _latin_words(word)
    if not words:
        return index_tokens(word, "zh")
    w = words[0]
    if w[0].isdigit():
        return [w]
    seen: dict[str, None] = {}
    for lang in langs:
        if w in _STOPS.get(lang, ()):
            continue
        seen.setdefault(_stem(w, lang), None)
    return list(seen) or [w]


def has_han(text: str) -> bool:
    """True if the text holds Chinese characters."""
    return bool(_HAN.search(text or ""))
