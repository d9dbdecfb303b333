"""The on-topic judgement of the demand set (``evals/cases/demands.tsv``): a rule written with each
demand *before* any tuning, read like a searcher's Boolean query that the engine never sees.

A rule is groups separated by ``;``, every group must hold; a group is alternatives separated by
``|``. A plain group holds when the patent's text (titles, abstracts, first claims, every
language, case-folded) contains one of its alternatives: a Latin-script alternative as whole
words (``bat`` is not ``batting``), or as a word prefix when it ends in ``*`` (``vibrat*`` covers
vibration and vibrating); a Chinese one as a substring. A ``cls:`` group holds when one of the
patent's CPC/IPC codes starts with one of its alternatives (``cls:H01M|H02J``). ``-`` is the rule
of a demand no stored patent answers (an unrelated need): no patent is on topic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ipai.errors import InputError


@dataclass(frozen=True)
class Rule:
    """A parsed on-topic rule: text groups and classification groups (all must hold)."""

    text_groups: tuple[tuple[str, ...], ...] = ()
    class_groups: tuple[tuple[str, ...], ...] = ()

    @property
    def answerable(self) -> bool:
        """Whether some patent can be on topic (``-`` rules: none)."""
        return bool(self.text_groups or self.class_groups)

    def holds(self, text: str, classes: list[str]) -> bool:
        """Whether a patent with this text and these classification codes is on topic."""
        if not self.answerable:
            return False
        low = text.lower()
        codes = [c.replace(" ", "").upper() for c in classes]
        return all(_pattern(g).search(low) for g in self.text_groups) and all(
            any(c.startswith(a) for c in codes for a in g) for g in self.class_groups
        )


@lru_cache(maxsize=4096)
def _pattern(alternatives: tuple[str, ...]) -> re.Pattern[str]:
    """One regular expression for a group: Chinese as substrings, Latin words bounded."""
    parts = []
    for a in alternatives:
        prefix = a.endswith("*")
        core = re.escape(a.rstrip("*"))
        if re.search(r"[\u3400-\u9fff]", a):
            parts.append(core)
        else:
            parts.append(r"(?<![a-z0-9])" + core + ("" if prefix else r"(?![a-z0-9])"))
    return re.compile("|".join(parts))


def parse_rule(rule: str, *, where: str = "rule") -> Rule:
    """A :class:`Rule` from its written form; :class:`InputError` naming ``where`` when malformed."""
    rule = (rule or "").strip()
    if rule in ("-", ""):
        return Rule()
    texts: list[tuple[str, ...]] = []
    classes: list[tuple[str, ...]] = []
    for raw in rule.split(";"):
        g = raw.strip()
        if not g:
            continue
        is_cls = g.lower().startswith("cls:")
        alts = tuple(a.strip() for a in (g[4:] if is_cls else g).split("|") if a.strip())
        if not alts:
            raise InputError(
                f"{where}: empty group in {rule!r}", errors=[{"field": where, "message": "empty group"}]
            )
        if is_cls:
            classes.append(tuple(a.replace(" ", "").upper() for a in alts))
        else:
            texts.append(tuple(a.lower() for a in alts))
    return Rule(tuple(texts), tuple(classes))


def patent_text(fields: dict[str, Any]) -> str:
    """What a rule reads of a stored patent: titles, abstracts, the first three claims."""
    parts = [*(fields.get("titles") or {}).values(), *(fields.get("abstracts") or {}).values()]
    parts += [c.get("text", "") for c in (fields.get("claims") or [])[:3]]
    return " ".join(parts)


def patent_classes(fields: dict[str, Any]) -> list[str]:
    """The CPC/IPC codes of a stored patent."""
    return [c.get("code") or "" for c in fields.get("classifications") or [] if c.get("code")]
