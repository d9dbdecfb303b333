"""The lexicon's tables compiled into a SQLite file, so that a process reads the entries it looks
up (a few milliseconds) instead of cleaning and indexing all of CC-CEDICT (~3 s, ~200 MB).

The file lives in the cache folder (:mod:`ipai.text.cachefiles`), named by a hash of the
dictionary file and of the code that cleans it (:mod:`ipai.text.lexicon`, :mod:`ipai.text.english`):
a new wheel or new rules make a new file. Where nothing can be written the tables are built in
memory, as before.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ipai.text.cachefiles import cache_file, written
from ipai.text.lexicon import Gloss, Tables

FORMAT = 1  # of the file's tables
_MISS = object()
_MEMO_MAX = 100_000  # answers kept per table (a long-running server looks up a bounded vocabulary)
_SCHEMA = """
CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
CREATE TABLE zh (k TEXT PRIMARY KEY, v TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE en (k TEXT PRIMARY KEY, v TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE bag (k TEXT PRIMARY KEY, v TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE stem (k TEXT PRIMARY KEY, v TEXT NOT NULL) WITHOUT ROWID;
"""
SEP = "\x1f"  # joins the stems of a key


def compiled_tables(source: Path) -> Any:
    """The lexicon's tables of ``source``: from the compiled file, made now when missing."""
    here = Path(__file__).parent
    target = cache_file(
        "cedict", [source, here / "lexicon.py", here / "english.py", Path(__file__)], "sqlite"
    )
    if target.is_file():
        try:
            return CompiledTables(target)
        except sqlite3.Error:  # damaged or foreign: made again below
            pass
    tables = Tables(source)
    with contextlib.suppress(sqlite3.Error):  # (an unwritable cache: in memory only)
        written(target, lambda tmp: write(tables, tmp))
    return tables


def _gloss(g: Gloss) -> list[Any]:
    return [g.text, g.rank, g.qualified, g.acronym, g.note]


def write(tables: Tables, path: Path) -> None:
    """Compile ``tables`` into a new SQLite file."""
    dump = json.dumps
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.executescript(_SCHEMA)
        db.execute(
            "INSERT INTO meta VALUES ('format', ?), ('max_en_words', ?)", (FORMAT, tables.max_en_words)
        )
        rows: Any = ((w, dump([_gloss(g) for g in gs], ensure_ascii=False)) for w, gs in tables.zh.items())
        db.executemany("INSERT INTO zh VALUES (?, ?)", rows)
        rows = (
            (SEP.join(k), dump([[w, *_gloss(g)] for w, g in v], ensure_ascii=False))
            for k, v in tables._en.items()
        )
        db.executemany("INSERT INTO en VALUES (?, ?)", rows)
        rows = (
            (SEP.join(sorted(k)), dump([[w, *_gloss(g), sorted(x)] for w, g, x in v], ensure_ascii=False))
            for k, v in tables._bags.items()
        )
        db.executemany("INSERT INTO bag VALUES (?, ?)", rows)
        db.executemany("INSERT INTO stem VALUES (?, '')", ((s,) for s in tables.english))
        db.commit()


class CompiledTables:
    """The lookups of :class:`ipai.text.lexicon.Tables`, answered from the compiled file (each
    answer kept once read)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self._lock = threading.Lock()
        meta = dict(self._db.execute("SELECT k, v FROM meta").fetchall())
        if meta.get("format") != str(FORMAT):
            self._db.close()
            raise sqlite3.DatabaseError(f"{path}: compiled lexicon of another format")
        self.max_en_words = int(meta["max_en_words"])
        self._memo: dict[str, dict[str, Any]] = {t: {} for t in ("zh", "en", "bag", "stem")}

    def _get(self, table: str, key: str, parse: Callable[[str], Any]) -> Any:
        memo = self._memo[table]
        hit = memo.get(key, _MISS)
        if hit is _MISS:
            with self._lock:
                row = self._db.execute(f"SELECT v FROM {table} WHERE k = ?", (key,)).fetchone()
            hit = None if row is None else parse(row[0])
            if len(memo) >= _MEMO_MAX:
                memo.clear()
            memo[key] = hit
        return hit

    def senses(self, word: str) -> list[Gloss]:
        """Senses of a Chinese word."""
        found = self._get("zh", word, _senses)
        return found if found is not None else []

    def has(self, word: str) -> bool:
        """Whether a Chinese word is a headword."""
        return self._get("zh", word, _senses) is not None

    def by_stems(self, stems: tuple[str, ...]) -> list[tuple[str, Gloss]]:
        """(word, sense) of the senses that are exactly these stems."""
        found = self._get("en", SEP.join(stems), _pairs)
        return found if found is not None else []

    def by_bag(self, bag: frozenset[str]) -> list[tuple[str, Gloss, frozenset[str]]]:
        """(word, sense, note stems) of the senses whose words (function words aside) are ``bag``."""
        found = self._get("bag", SEP.join(sorted(bag)), _bagged)
        return found if found is not None else []

    def is_english(self, stem: str) -> bool:
        """Whether a stem is a word of some sense."""
        return bool(self._get("stem", stem, lambda v: True))


def _senses(v: str) -> list[Gloss]:
    return [Gloss(*g) for g in json.loads(v)]


def _pairs(v: str) -> list[tuple[str, Gloss]]:
    return [(r[0], Gloss(*r[1:6])) for r in json.loads(v)]


def _bagged(v: str) -> list[tuple[str, Gloss, frozenset[str]]]:
    return [(r[0], Gloss(*r[1:6]), frozenset(r[6])) for r in json.loads(v)]
