"""Source text inside the interface's own sentences: a generated sentence that quotes a document
(a claim's preamble, a legal event's description) has the quote marked ``data-source`` (with its
language when known), and a record's location in its file (``row 12``, ``document 3 (EP…)``) is
said in the reader's language."""

from __future__ import annotations

import re
from collections.abc import Iterable

from markupsafe import Markup, escape

from ipai.web.i18n import Translator

# the locations the readers give a record (ipai.ingest.readers): "row 5", "line 7", "document 2 (EP…)",
# "record 3 (key)", "row 4 (sheet row 6)", "row 8 (row no 12)"
_RECORD = re.compile(r"^(row|line|document|record) (\d+)(?: \((.+)\))?$")
_INNER = re.compile(r"^(sheet row|row no) (\S+)$")


def source(text: object, lang: str | None = None) -> Markup:
    """Source text (a name, a title, words the user typed) as ``<span data-source>``, with its
    language when known."""
    attr = Markup(' lang="{}"').format(lang) if lang else Markup("")
    return Markup("<span data-source{}>{}</span>").format(attr, text)


def tm(t: Translator, key: str, **values: object) -> Markup:
    """A catalogue message as HTML with its values put in as they are given: a value built as
    HTML (source text marked by :func:`source`, ``<code>``) stays so, any other is escaped."""
    return Markup(escape(t.messages.get(key, key))).format(**values)


def mark(text: str, sources: str | Iterable[str | None] | None, lang: str | None = None) -> Markup:
    """``text`` (a sentence in the interface language) as HTML with each occurrence of each
    ``sources`` string (quoted source text) wrapped in ``<span data-source lang=…>``."""
    quotes = [sources] if isinstance(sources, str) else [s for s in (sources or []) if s]
    quotes = sorted({q for q in quotes if q and q in text}, key=len, reverse=True)
    if not quotes:
        return escape(text)
    attr = Markup(' lang="{}"').format(lang) if lang else Markup("")
    pattern = re.compile("|".join(re.escape(q) for q in quotes))
    out, at = [], 0
    for m in pattern.finditer(text):
        out.append(escape(text[at : m.start()]))
        out.append(Markup("<span data-source{}>{}</span>").format(attr, m.group(0)))
        at = m.end()
    out.append(escape(text[at:]))
    return Markup("").join(out)


def record_label(where: str | None, lang: str) -> Markup:
    """A record's location in its source file in the reader's language (``第 5 行`` / ``row 5``);
    the identifier in brackets (a publication number, a key) as code; an unknown form as code."""
    if not where:
        return Markup("")
    m = _RECORD.match(where.strip())
    if not m:
        return Markup("<code>{}</code>").format(where)
    t = Translator(lang)
    kind, n, inner = m.groups()
    out = escape(t(f"record.{kind}", n=n))
    if inner:
        im = _INNER.match(inner)
        said = (
            escape(t(f"record.{im.group(1).replace(' ', '_')}", n=im.group(2)))
            if im
            else Markup("<code>{}</code>").format(inner)
        )
        out += Markup(" ({})").format(said) if lang != "zh" else Markup("（{}）").format(said)
    return out
