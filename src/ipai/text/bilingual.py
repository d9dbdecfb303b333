"""Texts kept in both interface languages: tables of ``{"en": …, "zh": …}`` entries keyed by a
code, written out in the reader's language (generated explanations are built from such codes
and their values, never by translating English sentences)."""

from __future__ import annotations

from typing import Any


def ui_lang(lang: str | None) -> str:
    """``zh`` for Chinese, ``en`` for anything else."""
    return "zh" if lang == "zh" else "en"


def pick(
    table: dict[str, dict[str, str]], key: str, lang: str | None, default: str | None = None, /, **values: Any
) -> str:
    """The entry ``key`` of ``table`` in ``lang`` (English for any other language) filled with
    ``values``; ``default`` (else the key itself) when the table has no such entry."""
    entry = table.get(key)
    if entry is None:
        return default if default is not None else key
    text = entry.get(ui_lang(lang), entry["en"])
    return text.format(**values) if values else text
