"""Concepts of a query and their forms in the other language (cross-lingual retrieval).

A query written with no operator (``drone battery``, ``无人机 电池``, ``无人机电池``) names
*concepts*; a document carries a concept when it has any of the concept's forms:

- the words as written (stemmed in English, German and French; Chinese runs segmented);
- **translations** from CC-CEDICT (:mod:`ipai.text.lexicon`), both ways: 无人机 → drone,
  unmanned aerial vehicle; ``neural networks`` → 神经网络 (English word sequences are matched
  against whole dictionary senses first, longest first, so a phrase is translated as one);
- **synonyms** found through the other language (drone → 无人机 → unmanned aerial vehicle);
- for a Chinese word the dictionary lacks, its parts (图像识别 → 图像 + 识别, each translated);
  when nothing is found, the closest words of the other script in the corpus's word space
  (飞行器 → aircraft), above a similarity floor.

Only forms the corpus has are kept (a form no document contains costs a clause and explains
nothing). Patent boilerplate (方法, 系统, method, device…) stays a ranking word but is never a
concept a document must carry. Each form says where it came from, so the interface can show
the translation and let the searcher edit it (as PATENTSCOPE's CLIR does).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as _field

from ipai.search.analysis import has_han, index_tokens
from ipai.text import chinese

# words every patent uses: ranked, never required, never translated
BOILERPLATE = frozenset(
    [
        "方法",
        "系统",
        "装置",
        "设备",
        "基于",
        "用于",
        "一种",
        "本发明",
        "本实用新型",
        "实用新型",
        "发明",
        "技术",
        "领域",
        "应用",
        "制备",
        "制备方法",
        "及其",
        "结构",
        "组件",
        "单元",
        "模块",
        "机构",
        "部件",
        "所述",
        "包括",
        "包含",
        "具有",
        "其特征",
        "特征",
        "实现",
        "提供",
        "method",
        "methods",
        "system",
        "systems",
        "device",
        "devices",
        "apparatus",
        "apparatuses",
        "means",
        "unit",
        "units",
        "assembly",
        "comprising",
        "comprise",
        "comprises",
        "having",
        "use",
        "using",
        "used",
        "based",
        "thereof",
        "process",
        "processes",
    ]
)
SOURCES = ("query", "cedict", "synonym", "wordspace", "parts")  # where a form comes from (shown to searchers)
_FUNCTION_WORDS = frozenset(
    ["a", "an", "the", "of", "to", "for", "in", "on", "with", "by", "from", "or", "and", "one's"]
)
MAX_TRANSLATIONS = 3
MAX_SYNONYMS = 2
RELATIVE_DF = 0.1  # a translation kept needs this share of the best translation's document frequency
WORDSPACE_FLOOR = 0.7  # cosine for a corpus word of the other script to stand in for a missing entry
W_TRANSLATION = 0.8
W_SYNONYM = 0.6


@dataclass
class Form:
    """One way a concept is written."""

    text: str  # as shown ("unmanned aerial vehicle", "无人机")
    lang: str
    tokens: list[str]  # index tokens: one = a term, several = a phrase
    source: str  # query | cedict | synonym | parts | wordspace
    weight: float = 1.0
    df: int = 0  # documents with the form (in the all-text field)
    kind: str = "auto"  # auto (a term, or a phrase of several tokens) | all (every token, any order) | prefix


@dataclass
class Concept:
    """A concept of the query: its forms; ``required`` False for boilerplate."""

    text: str
    lang: str
    field: str | None = None
    forms: list[Form] = _field(default_factory=list)
    required: bool = True
    parts: list[Concept] = _field(default_factory=list)  # a compound translated by its parts
    known: bool = False  # the corpus or the dictionary has the word (gibberish has neither)

    @property
    def df(self) -> int:
        """Documents with the most common form (a lower bound of the concept's matches)."""
        return max([f.df for f in self.forms] + [p.df for p in self.parts] + [0])

    def translations(self) -> list[Form]:
        """Forms in another language than the query's (what the interface shows as translated)."""
        return [f for f in self.forms if f.source != "query"]


DocFreq = Callable[[list[str]], int]  # index tokens → documents containing them (a phrase: its rarest token)
Neighbours = Callable[
    [str, str, int], list[tuple[str, float]]
]  # (word, other script, its documents) → words, cosines


class ConceptBuilder:
    """Splits query text into concepts and finds their forms; ``df`` counts documents in the index."""

    def __init__(self, df: DocFreq, neighbours: Neighbours | None = None) -> None:
        self.df = df
        self.neighbours = neighbours

    def concepts(
        self, text: str, *, field: str | None = None, phrase: bool = False, translate: bool = True
    ) -> list[Concept]:
        """Concepts of one query clause (a word, a Chinese run, a quoted phrase)."""
        if phrase:
            c = self._phrase(text, field)
            if translate:
                self._translate_phrase(c)
            c.known = c.df > 0 or all(_known(w) for w in text.split())
            return [c]
        if has_han(text):
            out = [self._zh_word(w, field) for w in _zh_units(text)]
        else:
            out = [Concept(text=text, lang="en", field=field, forms=[self._form(text, "en", "query")])]
        out = [c for c in out if c.forms and c.forms[0].tokens]  # stop words ("and", 的) are no concept
        for c in out:
            c.required = c.text.lower() not in BOILERPLATE
            if translate and c.required:
                self._translate(c)
            c.known = c.df > 0 or _known(c.text)
        return out

    def group_english(self, words: list[str]) -> list[tuple[int, int]]:
        """Spans (start, end) of consecutive English query words that are one dictionary sense
        (``neural networks``, ``unmanned aerial vehicle``), longest first, left to right."""
        from ipai.text.lexicon import lexicon

        lex = lexicon()
        spans, i = [], 0
        while i < len(words):
            for n in range(min(lex.max_en_words, len(words) - i), 1, -1):
                if lex.has_english(words[i : i + n]):
                    spans.append((i, i + n))
                    i += n
                    break
            else:
                i += 1
        return spans

    # ---- forms --------------------------------------------------------------------------------
    def _form(self, text: str, lang: str, source: str, weight: float = 1.0) -> Form:
        toks = index_tokens(text, "zh" if has_han(text) else lang)
        return Form(
            text=text,
            lang="zh" if has_han(text) else lang,
            tokens=toks,
            source=source,
            weight=weight,
            df=self.df(toks) if toks else 0,
        )

    def _zh_word(self, word: str, field: str | None) -> Concept:
        return Concept(text=word, lang="zh", field=field, forms=[self._form(word, "zh", "query")])

    def _phrase(self, text: str, field: str | None) -> Concept:
        lang = "zh" if has_han(text) else "en"
        return Concept(text=text, lang=lang, field=field, forms=[self._form(text, lang, "query")])

    def _translate(self, c: Concept) -> None:
        if c.lang == "zh":
            self._zh_to_en(c)
        else:
            self._en_to_zh(c, c.text.split())

    def _translate_phrase(self, c: Concept) -> None:
        if c.lang == "zh":
            self._zh_to_en(c)
        else:
            words = [w for w in c.text.split() if w]
            from ipai.text.lexicon import lexicon

            if lexicon().has_english(words):
                self._en_to_zh(c, words)

    def _zh_to_en(self, c: Concept) -> None:
        from ipai.text.lexicon import lexicon

        senses = [
            g
            for g in lexicon().glosses(chinese.to_simplified(c.text))
            if g.text not in BOILERPLATE and len(g.text.split()) <= 3
        ]
        main = [g for g in senses if g.rank < 2]  # the main senses (汽车: car, automobile — not bus)
        forms = [self._form(g.text, "en", "cedict", W_TRANSLATION) for g in main]
        forms += [self._form(g.acronym, "en", "cedict", W_TRANSLATION) for g in main if g.acronym]
        kept = _best(forms, MAX_TRANSLATIONS)
        if kept:
            c.forms += kept
            return
        if not senses and len(c.text) >= 3:  # a compound the dictionary lacks: its parts
            parts = [w for w in _fine(c.text) if w not in BOILERPLATE]
            if len(parts) >= 2:
                subs = []
                for w in parts:
                    sub = self._zh_word(w, c.field)
                    self._zh_to_en(sub)
                    subs.append(sub)
                if all(s.translations() for s in subs):
                    c.parts = subs
                    return
        c.forms += self._wordspace(c.text, "en")

    def _en_to_zh(self, c: Concept, words: list[str]) -> None:
        from ipai.text.lexicon import lexicon

        lex = lexicon()
        cands = [(w, g) for w, g in lex.chinese(words) if g.rank < 2]  # a main sense of the word
        if any(len(w) > 1 for w, _ in cands):  # a lone character is rarely a word of its own in patents
            cands = [(w, g) for w, g in cands if len(w) > 1]
        forms = _best(
            [self._form(w, "zh", "cedict", W_TRANSLATION) for w in dict.fromkeys(w for w, _ in cands)],
            MAX_TRANSLATIONS,
        )
        if not forms:
            c.forms += self._wordspace(c.text, "zh")
            return
        c.forms += forms
        own = {" ".join(c.forms[0].tokens)}
        syn: list[Form] = []
        for f in forms:  # same-language synonyms through the translation: drone → 无人机 → UAV
            for g in lex.glosses(f.text):
                if (
                    g.rank > 1
                    or g.text in BOILERPLATE
                    or len(g.text.split()) > 3
                    or _FUNCTION_WORDS & set(g.text.split())
                ):
                    continue
                s = self._form(g.text, "en", "synonym", W_SYNONYM)
                if " ".join(s.tokens) not in own:
                    own.add(" ".join(s.tokens))
                    syn.append(s)
        c.forms += _best(syn, MAX_SYNONYMS)

    def _wordspace(self, word: str, script: str) -> list[Form]:
        if self.neighbours is None:
            return []
        own = self.df(index_tokens(word, "zh" if has_han(word) else "en"))
        out = []
        for w, cos in self.neighbours(word, script, own):
            if cos < WORDSPACE_FLOOR:
                break
            f = self._form(w, script, "wordspace", W_TRANSLATION * cos)
            if f.df:
                out.append(f)
        return out[:2]


def _known(text: str) -> bool:
    """Whether a word (or each word of a phrase) is in the dictionary (English words by stem)."""
    from ipai.text.lexicon import lexicon

    lex = lexicon()
    if has_han(text):
        return lex.knows(chinese.to_simplified(text))
    return all(lex.knows(w) for w in text.split())


def _best(forms: list[Form], k: int) -> list[Form]:
    """Forms the corpus has, in the dictionary's order (main sense first), each with at least
    RELATIVE_DF of the commonest one's documents (drops rare or archaic senses)."""
    seen: set[str] = set()
    uniq = []
    for f in forms:
        key = " ".join(f.tokens)
        if f.tokens and f.df > 0 and key not in seen:
            seen.add(key)
            uniq.append(f)
    if not uniq:
        return []
    top = max(f.df for f in uniq)
    return [f for f in uniq if f.df >= RELATIVE_DF * top][:k]  # the dictionary's order: main sense first


def _zh_units(text: str) -> list[str]:
    """Words of a Chinese run, stop words dropped. A character the segmenter left on its own
    inside a longer run is not a word of the query (transliterated names: 利托那韦 → 利托/那/韦;
    gibberish): it is joined to the word before it (or after it, at the start) as one unit."""
    from ipai.search.analysis import ZH_STOP

    words = [w for w in chinese.segment(text) if has_han(w) and w not in ZH_STOP]
    if len(words) <= 1:
        return words
    units: list[str] = []
    pending = ""
    for w in words:
        if len(w) == 1:
            if units:
                units[-1] += w
            else:
                pending += w
            continue
        units.append(pending + w)
        pending = ""
    if pending:
        units.append(pending)
    return _dictionary_words(units)


def _dictionary_words(units: list[str]) -> list[str]:
    """Neighbouring words the dictionary knows as one word, joined (深度 学习 → 深度学习)."""
    from ipai.text.lexicon import lexicon

    lex = lexicon()
    out, i = [], 0
    while i < len(units):
        for n in (3, 2):
            if i + n <= len(units) and lex.glosses("".join(units[i : i + n])):
                out.append("".join(units[i : i + n]))
                i += n
                break
        else:
            out.append(units[i])
            i += 1
    return out


def _fine(word: str) -> list[str]:
    """The dictionary words inside a compound, left to right, without overlaps (图像识别 → 图像, 识别)."""
    import rjieba

    inner = [w for w in rjieba.cut_for_search(chinese.to_simplified(word)) if len(w) >= 2 and w != word]
    out, pos = [], 0
    for w in sorted(inner, key=lambda w: word.find(w)):
        at = word.find(w, pos)
        if at >= 0:
            out.append(w)
            pos = at + len(w)
    return out
