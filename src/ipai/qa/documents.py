"""Knowledge documents a user loads (guidelines, laws, FAQs): read txt / md / html (and PDF when
the ``pypdf`` package is installed), cut into passages that keep their section heading.

A passage is one paragraph, or a run of sentences up to :data:`MAX_CHARS` of a longer one; its
``where`` is the nearest heading (Markdown ``#``, HTML ``h1``-``h4``, a numbered article such as
``第十二条`` / ``Article 12``) and the paragraph number, so an answer can say where it came from.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from ipai.errors import InputError
from ipai.search.highlight import split_sentences

MAX_CHARS = 420
ARTICLE_CHARS = 900  # an article up to this long is one passage
FORMATS = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
}
_MD_HEAD = re.compile(r"^\s{0,3}(#{1,6})\s+(.+?)\s*#*\s*$")
_ARTICLE = re.compile(r"^\s*(第[一二三四五六七八九十百千零〇\d]+条|(?:Article|Section|Rule)\s+\d+\b)")
_PART = re.compile(r"^\s*第[一二三四五六七八九十百千零〇\d]+[章节编]\s")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_PARA_SPLIT = re.compile(r"\n\s*\n")


@dataclass
class KnowledgeDoc:
    """A loaded document: title, format, language and (where, text) passages."""

    title: str
    source: str
    format: str
    lang: str
    text: str
    passages: list[tuple[str, str]] = field(default_factory=list)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def knowledge_files(paths: list[Path]) -> list[Path]:
    """The loadable files among ``paths`` (folders are walked); unknown kinds in folders are skipped."""
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in FORMATS)
        elif p.is_file():
            if p.suffix.lower() not in FORMATS:
                raise InputError(
                    f"{p.name}: not a knowledge document (use .txt, .md, .html or .pdf)",
                    errors=[{"field": "paths", "message": str(p)}],
                )
            out.append(p)
        else:
            raise InputError(f"not found: {p}", errors=[{"field": "paths", "message": str(p)}])
    return out


def _decode(data: bytes) -> str:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def _html_blocks(raw: str) -> tuple[str | None, list[tuple[str | None, str]]]:
    """(title, [(heading or None, paragraph)]) of an HTML page."""
    import lxml.html

    root = lxml.html.fromstring(raw or "<html/>")
    for bad in root.xpath("//script|//style|//nav|//footer|//noscript"):
        bad.drop_tree()
    title = (root.findtext(".//title") or "").strip() or None
    blocks: list[tuple[str | None, str]] = []
    for el in root.iter("h1", "h2", "h3", "h4", "p", "li", "dt", "dd", "td", "pre", "blockquote"):
        text = " ".join(el.text_content().split())
        if not text:
            continue
        if el.tag in ("h1", "h2", "h3", "h4"):
            blocks.append((text, ""))
        else:
            blocks.append((None, text))
    return title, blocks


def _pdf_text(path: Path) -> str:
    try:
        from pypdf import PdfReader
    except ImportError:
        raise InputError(
            f"{path.name}: reading PDF needs the optional package pypdf: install it with "
            "pip install 'ipai[pdf]' (or save the document as text or HTML)"
        ) from None
    try:
        return "\n\n".join((page.extract_text() or "") for page in PdfReader(str(path)).pages)
    except Exception as exc:  # noqa: BLE001 - any parser failure is a bad file
        raise InputError(f"{path.name}: cannot read this PDF ({type(exc).__name__}: {exc})") from None


def _text_blocks(raw: str, markdown: bool) -> tuple[str | None, list[tuple[str | None, str]]]:
    title = None
    blocks: list[tuple[str | None, str]] = []
    raw = _COMMENT.sub("", raw) if markdown else raw
    for para in _PARA_SPLIT.split(raw.replace("\r\n", "\n").replace("\r", "\n")):
        lines = [ln.rstrip() for ln in para.split("\n") if ln.strip()]
        body: list[str] = []
        for ln in lines:
            m = _MD_HEAD.match(ln) if markdown else None
            if m:
                if body:
                    blocks.append((None, " ".join(body) if not _has_han("".join(body)) else "".join(body)))
                    body = []
                if title is None and len(m.group(1)) == 1:
                    title = m.group(2)
                blocks.append((m.group(2), ""))
            else:
                body.append(ln.strip().lstrip("-*> ").strip() if markdown else ln.strip())
        if body:
            joined = "".join(body) if _has_han("".join(body)) else " ".join(body)
            blocks.append((None, joined))
    return title, blocks


def _has_han(text: str) -> bool:
    from ipai.search.analysis import has_han

    return has_han(text)


def _pack(text: str, limit: int = MAX_CHARS) -> list[str]:
    """A paragraph as passages of whole sentences up to ``limit`` characters."""
    if len(text) <= limit:
        return [text]
    out, cur = [], ""
    for s in split_sentences(text):
        if cur and len(cur) + len(s) + 1 > limit:
            out.append(cur)
            cur = ""
        sep = "" if not cur or _has_han(cur[-1:]) else " "
        cur = f"{cur}{sep}{s}" if cur else s
        while len(cur) > limit * 2:  # a sentence with no end: cut it
            out.append(cur[:limit])
            cur = cur[limit:]
    if cur:
        out.append(cur)
    return out


def passages_of_blocks(blocks: list[tuple[str | None, str]]) -> list[tuple[str, str]]:
    """(where, text) passages: each keeps its heading; a short heading-less line that ends with
    a question mark (an FAQ question) is joined to the answer after it; an article (``第N条``,
    ``Article n``) runs over the paragraphs up to the next article or heading and is one passage
    (an article over :data:`ARTICLE_CHARS` keeps paragraph runs, each placed at the article)."""
    out: list[tuple[str, str]] = []
    heading: str | None = None
    pending_q: str | None = None
    article: tuple[str, list[str]] | None = None  # (where, paragraphs) of the open article
    n = 0

    def close() -> None:
        nonlocal article
        if article is not None:
            out.extend(_article_passages(*article))
            article = None

    for head, text in blocks:
        if head is None and len(text) <= 40 and _PART.match(text):  # 第二章 总则 in a plain text
            head, text = text, ""
        if head is not None and not text:
            close()
            heading, pending_q = head, None
            continue
        if article is not None and not _ARTICLE.match(text):
            article[1].append(text)
            continue
        if pending_q is not None:
            text = f"{pending_q} {text}"
            pending_q = None
        elif len(text) < 120 and text.rstrip().endswith(("?", "？")):
            pending_q = text
            continue
        n += 1
        art = _ARTICLE.match(text)
        where = " · ".join(x for x in (heading, art.group(1) if art else None) if x) or f"¶{n}"
        if heading or art:
            where = f"{where} (¶{n})"
        if art:
            close()
            article = (where, [text])
            continue
        for piece in _pack(text):
            out.append((where, piece))
    close()
    if pending_q is not None:
        out.append((heading or f"¶{n + 1}", pending_q))
    return out


def _article_passages(where: str, paragraphs: list[str]) -> list[tuple[str, str]]:
    """One article as one passage (paragraphs on their own lines), or runs of its paragraphs when long."""
    whole = "\n".join(paragraphs)
    if len(whole) <= ARTICLE_CHARS:
        return [(where, whole)]
    out, cur = [], ""
    for para in paragraphs:
        for piece in _pack(para):
            if cur and len(cur) + len(piece) + 1 > MAX_CHARS:
                out.append((where, cur))
                cur = ""
            cur = f"{cur}\n{piece}" if cur else piece
    if cur:
        out.append((where, cur))
    return out


def read_knowledge(path: Path, *, name: str | None = None) -> KnowledgeDoc:
    """Read one knowledge document; :class:`InputError` if it is not readable or holds no text."""
    from ipai.text.lang import detect

    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"{path.name}: not a knowledge document (use .txt, .md, .html or .pdf)")
    if fmt == "pdf":
        title, blocks = _text_blocks(_pdf_text(path), markdown=False)
    elif fmt == "html":
        title, blocks = _html_blocks(_decode(path.read_bytes()))
    else:
        title, blocks = _text_blocks(_decode(path.read_bytes()), markdown=fmt == "md")
    passages = passages_of_blocks(blocks)
    text = "\n\n".join(t for _, t in passages)
    if not text.strip():
        raise InputError(f"{path.name}: no text found", errors=[{"field": "file", "message": "empty"}])
    if title is None:  # the first short line of a plain text
        first = next((t for _, t in passages), "")
        title = first if len(first) <= 80 else (name or path.stem)
    return KnowledgeDoc(
        title=title.strip()[:500],
        source=name or path.name,
        format=fmt,
        lang=detect(text[:2000], default="en"),
        text=text,
        passages=passages,
    )
