"""Shared machinery of the office XML readers (CNIPA, EPO DOCDB and OPS, JPO, WIPO ST.96).

* :func:`split_records` cuts a stream into its record elements (``exch:exchange-document``,
  ``business:PatentDocumentAndRelated``, ``PatentPublication``…) block by block: memory holds one
  record plus one block, whatever the file size. Namespace declarations of the wrapper (a DOCDB
  bulk file's ``exch:exchange-documents``) and the file's XML declaration (its encoding) go with
  each record, so it parses alone.
* :func:`parse_record` parses one record with a parser that loads no DTD, touches no network,
  expands no entity and keeps libxml2's size limits (``huge_tree`` off): XXE and entity bombs
  are refused. Two defects of real office files are repaired before giving up: named entities of
  an office DTD that is never loaded (``&SACUTE;`` in DOCDB, ``&nbsp;``) and namespace prefixes
  used without their declaration (a DOCDB record cut out of its bulk file).
* :func:`record_items` turns each record into an :class:`~ipai.ingest.base.Item`: a record, or an
  error naming the record and the line in the file.
* :func:`text` is the element text with whitespace collapsed the way CJK text needs it: a line
  break between two Chinese or Japanese characters is no word space (``添<br/>加量`` → ``添加量``).

Elements are found by local name (``{*}name`` paths): the same record comes with or without a
namespace prefix depending on the product (DOCDB ``exch:``, OPS default namespace).
"""

from __future__ import annotations

import html.entities
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import Any

from lxml import etree
from pydantic import ValidationError

from ipai.errors import RecordError
from ipai.ingest.base import Item, Source
from ipai.ingest.limits import HEAD_KEPT, Oversized, too_large_message
from ipai.ingest.messages import say
from ipai.ingest.readers.uspto_common import ENTITIES, resolve_entities
from ipai.ingest.util import validation_message
from ipai.model import PatentDocument

KNOWN_NS = {
    "exch": "http://www.epo.org/exchange",
    "ops": "http://ops.epo.org",
    "ftxt": "http://www.epo.org/fulltext",
    "reg": "http://www.epo.org/register",
    "xlink": "http://www.w3.org/1999/xlink",
    "business": "http://www.sipo.gov.cn/XMLSchema/business",
    "base": "http://www.sipo.gov.cn/XMLSchema/base",
    "m": "http://www.w3.org/1998/Math/MathML",
    "tbl": "http://oasis-open.org/specs/soextblx",
    "jp": "http://www.jpo.go.jp",
    "pat": "http://www.wipo.int/standards/XMLSchema/ST96/Patent",
    "com": "http://www.wipo.int/standards/XMLSchema/ST96/Common",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
_CHUNK = 1 << 20
_DECL = re.compile(rb"^\s*(<\?xml[^>]*\?>)")
_XMLNS = re.compile(rb"""\sxmlns(?::([\w.-]+))?\s*=\s*(["'])(.*?)\2""", re.S)
_PREFIX_USE = re.compile(rb"</?([A-Za-z_][\w.-]*):[A-Za-z_]|\s([A-Za-z_][\w.-]*):[A-Za-z_][\w.-]*\s*=")
_NAMED_ENT = re.compile(rb"&([A-Za-z][A-Za-z0-9._-]*);")
_XML_ENTITIES = {b"amp", b"lt", b"gt", b"quot", b"apos"}
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")
_WS = re.compile(r"\s+")


def make_parser() -> etree.XMLParser:
    """A parser for untrusted office XML: no DTD, no network, no entity expansion, libxml2's size
    limits kept (``huge_tree`` off), comments and processing instructions dropped."""
    return etree.XMLParser(
        load_dtd=False,
        no_network=True,
        resolve_entities=False,
        huge_tree=False,
        recover=False,
        remove_pis=True,
        remove_comments=True,
    )


# ---- splitting ----------------------------------------------------------------------------
def record_pattern(*local_names: str) -> re.Pattern[bytes]:
    """The start tag of any of the record elements (any or no namespace prefix)."""
    names = b"|".join(re.escape(n.encode()) for n in local_names)
    return re.compile(rb"<((?:[A-Za-z_][\w.-]*:)?(?:" + names + rb"))(?=[\s/>])")


def split_records(
    source: Source, start_rx: re.Pattern[bytes]
) -> Iterator[tuple[int, int, bytes | Oversized]]:
    """``(record number, first line, bytes)`` of every record element of a stream, in order.

    The stream is read in 1 MiB blocks; a record is cut from its start tag to the matching end
    tag of the same name (record elements never nest in themselves). Text between records (the
    wrapper's tags, other documents' prologs) is dropped after its namespace declarations are
    noted. A record over ``source.max_record`` bytes is read and dropped block by block and comes
    as :class:`~ipai.ingest.limits.Oversized`.
    """
    limit = source.max_record
    buf = bytearray()
    decl = b""
    ns: dict[bytes, bytes] = {}  # prefix (b"" = default) → URI declared by the wrappers
    line, n, first, eof = 1, 0, True, False
    with source.open() as fh:
        while True:
            m = start_rx.search(buf) if buf else None
            if m is None:
                if eof:
                    return
                keep = max(0, len(buf) - 256)  # a start tag may straddle the block edge
                _note_ns(buf[:keep], ns)
                line += buf.count(b"\n", 0, keep)
                del buf[:keep]
                block = fh.read(_CHUNK)
                eof = not block
                if first:
                    block = block[3:] if block.startswith(b"\xef\xbb\xbf") else block
                    dm = _DECL.match(block)
                    decl = dm.group(1) if dm else b""
                    first = False
                buf += block
                continue
            end_tag, at = b"</" + bytes(m.group(1)), m.start()  # (a match on a bytearray follows its edits)
            _note_ns(buf[:at], ns)
            line += buf.count(b"\n", 0, at)
            del buf[:at]
            n += 1
            cut, rest, dropped = _read_to_end(fh, buf, end_tag, limit)
            if dropped is not None:  # over the limit: read past it and dropped
                yield n, line, dropped
                buf, eof = bytearray(rest), False
                continue
            record = bytes(buf[:cut]) if cut is not None else bytes(buf)
            del buf[: len(record)]
            yield n, line, _with_context(record, decl, ns)
            line += record.count(b"\n")
            if cut is None:  # the stream ended inside the record (a truncated file)
                return


def _end_at(data: bytes | bytearray, end_tag: bytes, scan: int) -> int | None:
    """Where the end tag ``end_tag`` (followed by ``>`` or blanks) ends, from ``scan`` on."""
    while True:
        pos = data.find(end_tag, scan)
        if pos < 0:
            return None
        after = pos + len(end_tag)
        close = data.find(b">", after)
        if close < 0:
            return None
        if not data[after:close].strip():
            return close + 1
        scan = after


def _read_to_end(
    fh: Any, buf: bytearray, end_tag: bytes, limit: int
) -> tuple[int | None, bytes, Oversized | None]:
    """Extend ``buf`` until it holds the record's end: (cut position, b"", None); at the end of the
    stream (None, b"", None); for a record over ``limit``: (None, the bytes after it, its
    :class:`Oversized`), the record dropped block by block while it was read."""
    scan = 0
    while True:
        cut = _end_at(buf, end_tag, scan)
        if cut is not None:
            return cut, b"", None
        if len(buf) > limit:
            head, size = bytes(buf[:HEAD_KEPT]), len(buf)
            tail = bytes(buf[-len(end_tag) - 64 :])
            del buf[:]
            while True:
                block = fh.read(_CHUNK)
                if not block:
                    return None, b"", Oversized(head, size)
                data = tail + block
                cut = _end_at(data, end_tag, 0)
                if cut is not None:
                    return None, data[cut:], Oversized(head, size + cut - len(tail))
                size += len(block)
                tail = data[-len(end_tag) - 64 :]
        scan = max(0, len(buf) - len(end_tag) - 64)
        block = fh.read(_CHUNK)
        if not block:
            return None, b"", None
        buf += block


def _note_ns(text: bytes | bytearray, ns: dict[bytes, bytes]) -> None:
    if b"xmlns" in text:
        for m in _XMLNS.finditer(text):
            ns[m.group(1) or b""] = m.group(3)


def _with_context(record: bytes, decl: bytes, ns: dict[bytes, bytes]) -> bytes:
    """The record with the file's XML declaration and the wrappers' namespace declarations it lacks."""
    gt = record.find(b">")
    if ns and gt > 0:
        own = {m.group(1) or b"" for m in _XMLNS.finditer(record, 0, gt)}
        add = b"".join(
            (b' xmlns="' if not p else b" xmlns:" + p + b'="') + uri + b'"'
            for p, uri in ns.items()
            if p not in own
        )
        if add:
            at = gt - 1 if record[gt - 1 : gt] == b"/" else gt
            record = record[:at] + add + record[at:]
    return decl + record if decl else record


# ---- parsing ------------------------------------------------------------------------------
def parse_record(data: bytes, parser: etree.XMLParser | None = None) -> Any:
    """Parse one record; on failure repair undeclared prefixes and named entities and retry
    (the first error is raised when the repairs do not help)."""
    parser = parser or make_parser()
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as first:
        fixed = _declare_prefixes(_NAMED_ENT.sub(_entity_char, data))
        if fixed == data:
            raise
        try:
            root = etree.fromstring(fixed, parser)
        except etree.XMLSyntaxError:
            raise first from None
    if len(
        parser.error_log
    ):  # undeclared entities of a referenced DTD are warnings: resolve them in the tree
        resolve_entities(root)
    return root


def _entity_char(m: re.Match[bytes]) -> bytes:
    name = m.group(1)
    if name in _XML_ENTITIES:
        return m.group(0)
    text = name.decode("ascii", "replace")
    ch = ENTITIES.get(text) or ENTITIES.get(text[:1] + text[1:].lower()) or ENTITIES.get(text.lower())
    return ch.encode("utf-8") if ch else b"&amp;" + name + b";"


def _declare_prefixes(data: bytes) -> bytes:
    """Declare, on the root, known prefixes a record uses without declaring them."""
    used = {a or b for a, b in _PREFIX_USE.findall(data)}
    declared = {m.group(1) for m in _XMLNS.finditer(data) if m.group(1)}
    add = b"".join(
        b" xmlns:" + p + b'="' + KNOWN_NS[p.decode()].encode() + b'"'
        for p in sorted(used - declared - {b"xml", b"xmlns"})
        if p.decode() in KNOWN_NS
    )
    if not add:
        return data
    root = re.search(rb"<[A-Za-z_][\w.:-]*", data)
    if root is None:
        return data
    return data[: root.end()] + add + data[root.end() :]


def syntax_message(exc: etree.XMLSyntaxError, start_line: int) -> str:
    """A syntax error with its position as a line of the file."""
    msg = re.sub(r",? line \d+, column \d+.*$", "", str(exc.msg or exc)).strip()
    lno, col = exc.position if exc.position else (exc.lineno or 1, 0)
    return say("xml.syntax", detail=msg, line=start_line + max(lno, 1) - 1, column=col)


def record_items(
    source: Source,
    start_rx: re.Pattern[bytes],
    mapper: Callable[[Any], Iterable[dict[str, Any]]],
    label: Callable[[bytes], str | None],
) -> Iterator[Item]:
    """Every record of the source mapped with ``mapper(root)`` into model fields (one or more
    records: an OPS family lists several documents); errors name the record
    (``document 3 (CN113781974A)``) and the line in the file."""
    parser = make_parser()
    for n, line, data in split_records(source, start_rx):
        if isinstance(data, Oversized):
            yield Item(
                _loc(n, label(data.head)),
                error=too_large_message(data.size, source.max_record, at_least=False),
            )
            continue
        try:
            root = parse_record(data, parser)
        except etree.XMLSyntaxError as exc:
            yield Item(_loc(n, label(data)), error=syntax_message(exc, line))
            continue
        yield from mapped_items(n, partial(mapper, root), partial(label, data))


def mapped_items(
    n: int | str, mapper: Callable[[], Iterable[dict[str, Any]]], label: Callable[[], str | None]
) -> Iterator[Item]:
    """The records a mapper makes of record ``n``, validated one by one; a failure is an error item
    naming the record."""
    try:
        fields = list(mapper())
    except Exception as exc:  # noqa: BLE001 - the record's own error, by name; the file goes on
        yield Item(_loc(n, label()), error=_why(exc))
        return
    for i, f in enumerate(fields):
        sub = f"{n}.{i + 1}" if len(fields) > 1 else n
        try:
            rec = PatentDocument.model_validate(f)
        except Exception as exc:  # noqa: BLE001
            yield Item(_loc(sub, _field_label(f) or label()), error=_why(exc))
            continue
        p = rec.pubno
        yield Item(_loc(sub, f"{p.country}{p.number}{p.kind}"), record=rec)


def _why(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return validation_message(exc)
    if isinstance(exc, RecordError):
        return exc.message
    return say("rec.map", error=f"{type(exc).__name__}: {exc}")


def _field_label(f: dict[str, Any]) -> str | None:
    p = f.get("pubno")
    if isinstance(p, dict):
        return f"{p.get('country', '')}{p.get('number', '')}{p.get('kind', '')}" or None
    return f"{p.country}{p.number}{p.kind}" if p is not None else None


def _loc(n: int | str, number: str | None) -> str:
    return f"document {n} ({number})" if number else f"document {n}"


def raw_label(data: bytes, rx: re.Pattern[bytes]) -> str | None:
    """A record's name from its raw bytes (country, number, kind groups of ``rx``)."""
    m = rx.search(data, 0, HEAD_KEPT)
    if not m:
        return None
    return "".join(g.decode("utf-8", "replace").strip() for g in m.groups() if g)


# ---- element access -----------------------------------------------------------------------
_PATHS: dict[str, str] = {}


def q(path: str) -> str:
    """A path of local names as an any-namespace path: ``a/b`` → ``{*}a/{*}b``."""
    hit = _PATHS.get(path)
    if hit is None:
        hit = "/".join(
            p if p in (".", "..", "") or p.startswith(("{", "@")) or p == "*" else "{*}" + p
            for p in path.split("/")
        )
        _PATHS[path] = hit
    return hit


def find(el: Any, path: str) -> Any:
    """First element at a path of local names, or ``None``."""
    return el.find(q(path)) if el is not None else None


def findall(el: Any, path: str) -> list[Any]:
    """Every element at a path of local names."""
    return el.findall(q(path)) if el is not None else []


def local(el: Any) -> str:
    """An element's tag without its namespace."""
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def attr(el: Any, name: str) -> str:
    """An attribute by local name (with or without a namespace), ``''`` when absent."""
    if el is None:
        return ""
    v = el.get(name)
    if v is not None:
        return v.strip()
    for k, val in el.attrib.items():
        if k.rsplit("}", 1)[-1] == name:
            return val.strip()
    return ""


def text(el: Any) -> str:
    """All text inside an element, whitespace collapsed; a line break between CJK characters
    (or next to one) is dropped instead of becoming a space."""
    if el is None:
        return ""
    return collapse(_STRING(el) if len(el) else el.text or "")  # a leaf's text directly: most paragraphs


_STRING = etree.XPath("string()", smart_strings=False)  # all text inside, concatenated in libxml2


def collapse(raw: str) -> str:
    """Whitespace collapsed to single spaces, none at a line break next to a CJK character."""
    if raw.isascii():
        return " ".join(raw.split())
    if raw.isprintable() and "  " not in raw and raw[:1] != " " and raw[-1:] != " ":
        return raw  # no blank but single inner spaces (most CJK paragraphs): nothing to collapse
    return _WS.sub(_space, raw).strip()


def _space(m: re.Match[str]) -> str:
    s = m.string
    ws = m.group(0)
    before = s[m.start() - 1] if m.start() else ""
    after = s[m.end()] if m.end() < len(s) else ""
    if ("\n" in ws or "\r" in ws or "\t" in ws) and (_CJK.match(before or " ") or _CJK.match(after or " ")):
        return ""
    if _CJK.match(before or " ") and _CJK.match(after or " ") and "\u3000" in ws:
        return ""
    return " "


def ftext(el: Any, path: str) -> str:
    """:func:`text` of the first element at a path of local names."""
    return text(find(el, path))


def block_text(el: Any, blocks: tuple[str, ...] = ("p", "br", "Paragraphs", "ClaimText", "P", "Br")) -> str:
    """Text with the block children (paragraphs, line breaks) kept apart: ``<br/>`` in CJK text
    joins, in other text it is a space."""
    if el is None:
        return ""
    for b in el.iter():
        if isinstance(b.tag, str) and local(b) in blocks and b is not el:
            b.tail = "\n" + (b.tail or "")
    return text(el)


_FULL_WIDTH = {
    c: ord(unicodedata.normalize("NFKC", chr(c)))
    for c in range(0xFF10, 0xFF5B)
    if len(unicodedata.normalize("NFKC", chr(c))) == 1
}


def nfkc_digits(s: str) -> str:
    """Full-width digits and Latin letters as ASCII (``請求項１`` → ``請求項1``), other text kept."""
    return s.translate(_FULL_WIDTH)


def html_entity(name: str) -> str | None:
    """The character of an HTML entity name, if any."""
    return html.entities.html5.get(name + ";")
