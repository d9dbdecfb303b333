"""Text hygiene: repair mojibake and recognise text that stays garbled.

Mojibake is UTF-8 read in the wrong code page (``Ð‘Ð¸Ð¾`` for ``Био``, ``FÃ¼r`` for ``Für``,
``РџСЂРё`` for ``При``: Windows-1252, Latin-1, Windows-1251). ``ftfy`` undoes it when the bytes
survived. Some exports lost bytes on the way (a Mac Roman save turned ``Ð`` into ``_``; a
strict decode turned bytes into U+FFFD): ``_‘_¸___»`` cannot be undone, so it is recognised and
reported instead of being passed off as text in some language.

The measure (:func:`garble_marks`) counts, in a text, the characters that only damage produces:

* lost characters: runs of U+FFFD, and ``_`` runs touching a character mojibake is made of
  (``_¸``, ``ì_°``; ``数据_处理`` is clean), one mark per run;
* stray symbols: Latin-1 and Windows-1252 symbols (``¸ ‡ ‰ ™ §``…) or Windows-1251 letters
  that are not Russian (``Ђ џ ѓ``…) next to another character of that kind or to a lost one,
  and ``Р``/``С`` followed by such a character (UTF-8 Cyrillic read as Windows-1251);
* ftfy's own count of mojibake sequences (``ftfy.badness.badness``).

A text is mostly damage (:func:`mostly_damage`) when it has at least :data:`MIN_MARKS` marks
making up :data:`MAX_SHARE` or more of its non-blank characters (one lost ``ü`` in a German
title, or ``0.1 ����m`` in a claim, is damage, not garble). :func:`repair` runs ftfy only on
texts ``ftfy.badness.is_bad`` flags and reports a result that is still mostly damage as
unrepairable; :func:`looks_garbled` is true for a text that repair changes or cannot save.
Everything ASCII, and everything without a character mojibake is made of, is clean without a
further look (:func:`suspect`), so clean text costs one scan. Measured on the shared data in
``docs/text-hygiene.md``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import ftfy
from ftfy.badness import badness, is_bad

#: Windows-1252 characters outside Latin-1 that mojibake produces and clean text rarely uses
#: (typographic quotes and dashes are left out: clean text is full of them).
_CP1252_ODD = (
    "\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u201a\u201e"
    "\u2020\u2021\u2022\u2030\u2039\u203a\u20ac\u2122"
)
#: Windows-1251 letters that are not Russian (UTF-8 Cyrillic read as Windows-1251 is full of them).
_CP1251_ODD = "\u0402-\u040f\u0452-\u045f\u0490\u0491"
_MOJI = f"\x80-\xff{_CP1252_ODD}{_CP1251_ODD}\ufffd"  # what mojibake is made of
#: of those, the symbols and stray letters (no accented letters; no NBSP, soft hyphen, « » ¡ ¿,
#: which clean French and Spanish put next to accented letters)
_ODD = f"\x80-\x9f\xa2-\xaa\xac\xae-\xba\xbc-\xbe{_CP1252_ODD}{_CP1251_ODD}"
_SUSPECT = re.compile(f"[{_MOJI}\u0300-\u033f]")
_LOST = re.compile(f"\ufffd+|_+(?=[{_MOJI}])|(?<=[{_MOJI}])_+")
_FFFD_RUN = re.compile("\ufffd{2,}")
#: what every mojibake sequence ftfy can undo starts with: a UTF-8 lead byte read as Latin-1 /
#: Windows-1252 (or Mac Roman ``√``, ``‚``) followed by a continuation byte, a C1 control, or a
#: lead letter of Windows-1251 (below); ``ftfy.badness.is_bad`` runs only where one is found
_MAYBE_BAD = re.compile(
    f"[\xc2-\xf4\u221a\u201a][\x80-\xbf{_CP1252_ODD}\u2013\u2014\u2018-\u201d\u2026"
    "\u2260-\u2265\xc0-\xff]|[\x80-\x9f]|\ufffd\ufffd"
)
_MARKABLE = re.compile(f"[{_MOJI}\u2013\u2014\u2018-\u2026\u2116]")
_STRAY = re.compile(f"(?<=[{_MOJI}_])[{_ODD}]|[{_ODD}](?=[{_MOJI}_])")
#: ``Р``/``С`` (the Windows-1251 reading of the UTF-8 lead bytes of Cyrillic) followed by what a
#: continuation byte reads as: a symbol or a non-Russian letter (``РџСЂРёРІРµС‚``). Ukrainian
#: letters are left out (``Рівень`` is clean Ukrainian).
_CP1251_PAIR = re.compile(
    "[\u0420\u0421][\x80-\xbf\u2013\u2014\u2018-\u2026\u2030\u2039\u203a\u20ac"
    "\u2116\u2122\u0402\u0403\u0405\u0408-\u040f\u0452\u0453\u0455\u0458-\u045f]"
)

#: combining marks straight after an ASCII character: cp1252 mojibake (``Ã¶``) saved as Mac Roman
#: (``\xcc\xa6``) and read back as valid UTF-8 (U+0326): ``Flugk̦rper`` for ``Flugkörper``
#: (only marks U+0320–U+033F can come from there; legit marks that compose with their letter,
#: ``a`` + ogonek in decomposed Polish, are left alone)
_MAC_MARKS = re.compile("[\x21-\x7e][\u0320-\u033f]+")

#: the start of a UTF-8 sequence cut off at the end of a field (``АлександровиÑ``: the export
#: truncated the name inside ``ч``), after repaired non-Latin text: marked lost, not guessed
_CUT_END = re.compile(
    f"(?<=[^\\W\\d_\x00-\xff{_CP1252_ODD}])"
    f"(?:[\xc2-\xdf]|[\xe0-\xf4][\x80-\xbf{_CP1252_ODD}\u2018-\u201d\u2013\u2014\u2026]?)$"
)

MIN_MARKS = 2
MAX_SHARE = 0.1


@dataclass(frozen=True)
class Repaired:
    """A text after repair: ``changed`` when the repair altered it, ``unrepairable`` when it is
    still garbled (lost bytes: it must not be labelled as text in a language)."""

    text: str
    changed: bool = False
    unrepairable: bool = False


def suspect(text: str) -> bool:
    """Fast pre-check: could this text hold mojibake or lost characters at all?"""
    return not text.isascii() and _SUSPECT.search(text) is not None


def lost_chars(text: str) -> int:
    """Characters the text lost before it reached us (U+FFFD and ``_`` stand-ins)."""
    if not suspect(text):
        return 0
    return sum(len(m) for m in _LOST.findall(text))


def garble_marks(text: str, *, bad: bool | None = None) -> int:
    """Characters and sequences in ``text`` that only encoding damage produces (0 for clean text);
    ``bad=False`` says ``ftfy.badness.is_bad`` is already known false (its count is then 0)."""
    if not suspect(text):
        return 0
    # a run of lost characters counts once: ``������`` is one symbol read through two bad decodes
    marks = len(_LOST.findall(text)) + len(_STRAY.findall(text)) + len(_CP1251_PAIR.findall(text))
    return marks if bad is False else marks + badness(_FFFD_RUN.sub("\ufffd", text))


def mostly_damage(text: str | None, *, bad: bool | None = None) -> bool:
    """True when encoding damage makes up a tenth or more of the text (at least two marks)."""
    if not text or not suspect(text):
        return False
    needed = max(MIN_MARKS, MAX_SHARE * len("".join(text.split())))
    # without ftfy's count a mark needs a character of _MARKABLE (a lost run one on either side,
    # a stray or a pair one of its own): a long paragraph with a few "°" is settled by one scan
    if bad is False and 5 * len(_MARKABLE.findall(text)) < needed:
        return False
    return garble_marks(text, bad=bad) >= needed


def looks_garbled(text: str | None) -> bool:
    """True for mojibake that decodes (ftfy, where ``ftfy.badness.is_bad``) or text that is mostly damage."""
    if not text or not suspect(text):
        return False
    r = repair(text)
    return r.changed or r.unrepairable


def repair(text: str) -> Repaired:
    """Undo mojibake (ftfy, only on texts that look bad) and say whether the result is still garbled."""
    if not text or not suspect(text):
        return Repaired(text)
    fixed = _MAC_MARKS.sub(_unmac, text) if _MAC_MARKS.search(text) else text
    bad: bool | None = (
        _MAYBE_BAD.search(fixed) is not None or _CP1251_PAIR.search(fixed) is not None
    ) and is_bad(fixed)
    if bad:
        unbroken = ftfy.fix_encoding(fixed)
        if unbroken != fixed:
            fixed, bad = _CUT_END.sub("\ufffd", unbroken), None
    return Repaired(fixed, fixed != text, mostly_damage(fixed, bad=bad))


def _unmac(m: re.Match[str]) -> str:
    run = m.group(0)
    if unicodedata.normalize("NFC", run) != run:
        return run
    try:
        return run[0] + run[1:].encode("utf-8").decode("mac_roman").encode("cp1252").decode("utf-8")
    except UnicodeError:
        return run
