"""Helpers shared by the USPTO full-text readers (v4 XML, PAP XML, ST.32 SGML-XML, APS, BRS).

The XML formats come as bulk files that concatenate many complete documents, each with its
own ``<?xml …?>`` declaration and DOCTYPE. :func:`split_documents` cuts such a stream into
documents block by block (memory stays at one document), :func:`parse_xml` parses one with a
parser that never loads a DTD or touches the network, and :func:`resolve_entities` turns the
named character entities the USPTO DTDs would have defined (``&mdash;``, ``&lgr;``…) into
characters.
"""

from __future__ import annotations

import html.entities
import re
from collections.abc import Iterator
from typing import Any

from lxml import etree
from pydantic import ValidationError

from ipai.errors import RecordError
from ipai.ingest.base import Item, Source
from ipai.ingest.limits import HEAD_KEPT, Oversized, skip_until, too_large_message
from ipai.ingest.messages import say
from ipai.ingest.readers._claimranges import cancelled_claims, cancelled_range, is_cancelled
from ipai.ingest.util import validation_message
from ipai.model import (
    Party,
    PatentDocument,
    make_party,
    normalize_appno,
    parse_partial_date,
    try_parse_pubno,
)
from ipai.model.party import PartyKind
from ipai.text.claims import claim_refs

# ---- named entities --------------------------------------------------------------------
_ISO_GREEK = dict(
    zip(
        [
            "agr",
            "bgr",
            "ggr",
            "dgr",
            "egr",
            "zgr",
            "eegr",
            "thgr",
            "igr",
            "kgr",
            "lgr",
            "mgr",
            "ngr",
            "xgr",
            "ogr",
            "pgr",
            "rgr",
            "sgr",
            "sfgr",
            "tgr",
            "ugr",
            "phgr",
            "khgr",
            "psgr",
            "ohgr",
        ],
        "αβγδεζηθικλμνξοπρσςτυφχψω",
        strict=False,
    )
)
_ISO_GREEK.update(
    zip(
        [
            "Agr",
            "Bgr",
            "Ggr",
            "Dgr",
            "Egr",
            "Zgr",
            "EEgr",
            "THgr",
            "Igr",
            "Kgr",
            "Lgr",
            "Mgr",
            "Ngr",
            "Xgr",
            "Ogr",
            "Pgr",
            "Rgr",
            "Sgr",
            "Tgr",
            "Ugr",
            "PHgr",
            "KHgr",
            "PSgr",
            "OHgr",
        ],
        "ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ",
        strict=False,
    )
)
ENTITIES: dict[str, str] = {k[:-1]: v for k, v in html.entities.html5.items() if k.endswith(";")}
ENTITIES.update(_ISO_GREEK)
ENTITIES.update({"thgr": "θ", "Thgr": "Θ", "phis": "φ", "epsi": "ε", "b.Delta": "Δ"})


def make_parser() -> etree.XMLParser:
    """An lxml parser for untrusted office XML: no DTD loading, no network, no entity
    expansion, strict (``recover=False``) so that a truncated document is reported."""
    # (collect_ids=False would be faster, but with libxml2 2.14 it makes the parser try to load
    # the external DTD: a PAP file naming the XHTML DTD by URL then fails.)
    return etree.XMLParser(
        load_dtd=False,
        no_network=True,
        resolve_entities=False,
        recover=False,
        huge_tree=True,
        remove_pis=True,
        remove_comments=True,
    )


def parse_xml(data: bytes, parser: etree.XMLParser) -> Any:
    """Parse one document; named entities the DTD would define become characters."""
    root = etree.fromstring(data, parser)
    if len(parser.error_log):  # undeclared entities are warnings: resolve them in the tree
        resolve_entities(root)
    return root


def resolve_entities(root: Any) -> None:
    """Replace entity-reference nodes by their characters (unknown ones keep ``&name;``)."""
    ents = list(root.iter(etree.Entity))
    if not ents:
        return
    internal: dict[str, str] = {}
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None:
        for e in dtd.iterentities():
            if e.content:
                internal[e.name] = e.content
    for ent in ents:
        name = ent.name
        rep = internal.get(name) or ENTITIES.get(name) or f"&{name};"
        text = rep + (ent.tail or "")
        parent = ent.getparent()
        if parent is None:
            continue
        prev = ent.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + text
        else:
            parent.text = (parent.text or "") + text
        parent.remove(ent)


# ---- splitting concatenated XML --------------------------------------------------------
_DECL = b"<?xml"
_DECL_WS = re.compile(rb"<\?xml[ \t\r\n]")
_CHUNK = 1 << 20


def _next_decl(data: bytes) -> int | None:
    m = _DECL_WS.search(data)
    return m.start() if m else None


def split_documents(source: Source) -> Iterator[tuple[int, int, bytes | Oversized]]:
    """``(document number, first line, bytes)`` for each XML document of a bulk file.

    A document starts at each ``<?xml`` declaration (and at the top of the file, for files
    whose first document lacks one). The file is read in 1 MiB blocks and cut with
    ``bytes.find``, so memory holds one document plus one block. Whitespace-only chunks are not
    documents. A document over ``source.max_record`` bytes is dropped while it is read: it comes
    as :class:`~ipai.ingest.limits.Oversized` (its head and size).
    """
    limit = source.max_record
    buf = bytearray()
    n = 0
    line = 1
    scan = 1  # where to look for the next declaration (never at 0: that one starts the current document)
    with source.open() as fh:
        eof = False
        while not eof:
            block = fh.read(_CHUNK)
            eof = not block
            if n == 0 and not buf and block.startswith(b"\xef\xbb\xbf"):
                block = block[3:]  # a UTF-8 byte-order mark before the first declaration
            buf += block
            while True:
                pos = buf.find(_DECL, scan)
                if pos < 0 and not eof:
                    scan = max(1, len(buf) - len(_DECL))
                    break
                if pos >= 0 and pos + 5 < len(buf) and buf[pos + 5] not in b" \t\r\n":
                    scan = pos + 1  # <?xml-stylesheet and friends
                    continue
                if pos >= 0 and pos + 5 >= len(buf) and not eof:
                    scan = pos
                    break
                end = pos if pos >= 0 else len(buf)
                doc = bytes(buf[:end])
                del buf[:end]
                if doc.strip():
                    n += 1
                    yield n, line, doc if len(doc) <= limit else Oversized(doc[:HEAD_KEPT], len(doc))
                line += doc.count(b"\n")
                scan = 1
                if pos < 0:
                    break
            if len(buf) > limit and not eof:  # no declaration ahead within the limit: skip to the next
                head, tail = bytes(buf[:HEAD_KEPT]), bytes(buf[max(16, len(buf) - 16) :])
                dropped, lines, rest = skip_until(fh, tail, _next_decl)
                size = len(buf) - len(tail) + dropped
                n += 1
                yield n, line, Oversized(head, size)
                line += buf.count(b"\n", 0, len(buf) - len(tail)) + lines
                buf = bytearray(rest)
                scan = 1


def xml_items(source: Source, mapper: Any, number_rx: re.Pattern[bytes]) -> Iterator[Item]:
    """Parse every document of a bulk file and map it with ``mapper(root, source)``.

    A document that does not parse or map becomes an error item naming its position and,
    when it can be recovered from the raw text, its publication number; syntax errors give the
    line within the document (as libxml2 counts) and, for later documents, the file line.
    """
    parser = make_parser()
    for n, start, data in split_documents(source):
        if isinstance(data, Oversized):
            yield Item(
                doc_locator(n, raw_number(data.head, number_rx)),
                error=too_large_message(data.size, source.max_record, at_least=False),
            )
            continue
        try:
            root = parse_xml(data, parser)
        except etree.XMLSyntaxError as exc:
            line, col = exc.position if exc.position else (exc.lineno or 0, 0)
            msg = (exc.msg or str(exc)).split(", line ")[0]
            where = f"line {line}, column {col}" + (f" (file line {start + line - 1})" if start > 1 else "")
            where_zh = f"第 {line} 行第 {col} 列" + (f"（文件第 {start + line - 1} 行）" if start > 1 else "")
            yield Item(
                doc_locator(n, raw_number(data, number_rx)),
                error=say("xml.broken", where=where, detail=msg, where_zh=where_zh),
            )
            continue
        yield map_item(n, lambda: mapper(root, source), lambda: raw_number(data, number_rx))


def map_item(
    n: int | str, build: Any, label: Any, *, kind: str = "document", label_from_record: bool = True
) -> Item:
    """Run a record builder; errors become an error item for record ``n``.

    ``label()`` names the record from its raw text (``US08926509``, ``WKU 039373754``); a
    record that mapped is named by its publication number unless ``label_from_record`` is off.
    """
    try:
        rec = build()
    except ValidationError as exc:
        return Item(doc_locator(n, label(), kind), error=validation_message(exc))
    except RecordError as exc:
        return Item(doc_locator(n, label(), kind), error=str(exc))
    except (ValueError, TypeError, AttributeError, IndexError, KeyError) as exc:
        return Item(doc_locator(n, label(), kind), error=f"cannot map {kind}: {type(exc).__name__}: {exc}")
    return Item(doc_locator(n, display_number(rec) if label_from_record else label(), kind), record=rec)


def doc_locator(n: int | str, number: str | None, kind: str = "document") -> str:
    """``document 3 (US08926509)`` or ``document 3``."""
    return f"{kind} {n} ({number})" if number else f"{kind} {n}"


def display_number(rec: Any) -> str:
    """Publication number as the office writes it in file names: ``US08926509``."""
    p = rec.pubno
    num = p.number
    if num.isdigit() and len(num) < 8:
        num = num.zfill(8)
    elif num[:1].isalpha() and num[1:].isdigit() and len(num) < 8:
        num = num[0] + num[1:].zfill(7)
    return f"{p.country}{num}"


def raw_number(data: bytes, rx: re.Pattern[bytes]) -> str | None:
    """First publication number in a document's raw text (for naming broken documents)."""
    m = rx.search(data, 0, 20000)
    if not m:
        return None
    num = m.group(1).decode("utf-8", "replace").strip()
    return num if num.startswith("US") else f"US{num}"


# ---- small mapping helpers -------------------------------------------------------------
def fclean(text: str | None) -> str:
    """Collapse whitespace (same result as :func:`ipai.ingest.util.clean` for strings, faster)."""
    return " ".join(text.split()) if text else ""


_NORMALIZE_SPACE = etree.XPath("normalize-space()", smart_strings=False)


def ftext(el: Any) -> str:
    """All text inside an element, whitespace collapsed: the same result as
    :func:`ipai.ingest.util.itext`, computed in libxml2 (XPath ``normalize-space()`` folds
    XML whitespace; other Unicode spaces, rare, are folded after)."""
    if el is None:
        return ""
    s = _NORMALIZE_SPACE(el)
    return s if s.isascii() else " ".join(s.split())


def partial_date(raw: str | None) -> str | None:
    """``19820200`` → ``1982-02`` (fast path of :func:`ipai.model.parse_partial_date`)."""
    raw = raw.strip() if raw else raw
    if raw and len(raw) == 8 and raw.isdigit():
        y, m, d = raw[:4], raw[4:6], raw[6:]
        if d == "00" or m == "00":
            if m == "00" or not 1 <= int(m) <= 12:
                return y if y != "0000" else None
            return f"{y}-{m}"
    return parse_partial_date(raw)


_CC = re.compile(r"^[A-Z]{2}$")
_COUNTRY_MEMO: dict[str, str | None] = {}


def country(raw: str | None) -> str | None:
    """Two-letter country code or ``None`` (drops ``omitted``, ``unknown``, ``N/A``); APS
    three-letter codes like ``JPX`` become ``JP``."""
    if not raw:
        return None
    hit = _COUNTRY_MEMO.get(raw, "")
    if hit != "":
        return hit
    s = raw.strip().upper()
    if len(s) == 3 and s.endswith("X") and s[:2].isalpha():
        s = s[:2]
    res = s if _CC.match(s) else None
    if len(_COUNTRY_MEMO) < 4096:
        _COUNTRY_MEMO[raw] = res
    return res


def person(
    last: str, first: str = "", *, country_code: str | None = None, city: str | None = None
) -> Party | None:
    """A person written ``Last, First`` with both name parts kept."""
    last, first = fclean(last), fclean(first)
    if not last and not first:
        return None
    name = f"{last}, {first}" if last and first else (last or first)
    return make_party(
        name,
        kind="person",
        country=country_code,
        city=city or None,
        last_name=last or None,
        first_name=first or None,
    )


def organisation(name: str, *, country_code: str | None = None, city: str | None = None) -> Party | None:
    """An organisation party."""
    return make_party(fclean(name), kind="organisation", country=country_code, city=city or None)


def semicolon_name(
    raw: str, *, country_code: str | None = None, city: str | None = None, kind: PartyKind | None = None
) -> Party | None:
    """APS/BRS names: ``Last; First`` is a person, anything else an organisation or a guess."""
    raw = fclean(raw)
    if not raw or raw.upper() == "N/A":
        return None
    if ";" in raw and kind != "organisation":
        last, _, first = raw.partition(";")
        return person(last, first, country_code=country_code, city=city)
    return make_party(raw, kind=kind, country=country_code, city=city or None)


_CITED_BY = {
    "examiner": "examiner",
    "applicant": "applicant",
    "other": "unknown",
    "third party": "third-party",
    "third-party": "third-party",
}


def cited_by(text: str | None) -> str | None:
    """``cited by examiner`` → ``examiner`` (``cited by other`` → ``unknown``)."""
    if not text:
        return None
    t = text.strip().lower()
    if t.startswith("cited by "):
        t = t[9:].strip()
    return _CITED_BY.get(t)


def image(file: str, img_id: str | None, kind: str = "drawing") -> dict[str, Any]:
    """A drawing sheet (as model fields); ingest copies the file named beside the source
    (:mod:`ipai.ingest.drawings`)."""
    return {"file": file, "kind": kind, "id": img_id or None}


_LEAD_NUM = re.compile(r"^\s*\d{1,3}\s*[.)]\s*")


def strip_claim_number(text: str) -> str:
    """Claim text without the printed number (``1. A method`` → ``A method``)."""
    m = _LEAD_NUM.match(text)
    return text[m.end() :] if m else text


def dedupe(items: list[Any]) -> list[Any]:
    """Drop ``None`` and exact repeats, keep order (parties)."""
    seen: set[Any] = set()
    out = []
    for x in items:
        if x is not None and x not in seen:
            seen.add(x)
            out.append(x)
    return out


def dedupe_codes(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One classification per (scheme, code); a code flagged main anywhere stays main."""
    seen: dict[tuple[str, str], int] = {}
    out: list[dict[str, Any]] = []
    for c in items:
        key = (c["scheme"], c["code"])
        if key in seen:
            if c.get("main"):
                out[seen[key]]["main"] = True
            continue
        seen[key] = len(out)
        out.append(c)
    return out


_RANGE_TAIL = re.compile(r"^\s*(?:-|–|—|to|through|thru)\s*$")


def markup_refs(refs: list[tuple[int | None, str | None]], num: int) -> list[int]:
    """Claims a claim refers to by the office's markup: ``(target, text after the reference)``
    pairs in order; ``claims 1-3`` marked up as two references joined by ``-`` / ``to`` is the
    range 1…3."""
    out: set[int] = set()
    prev: int | None = None
    ranged = False
    for n, tail in refs:
        if n is None:
            continue
        if ranged and prev is not None and prev < n <= prev + 200:
            out.update(range(prev, n + 1))
        out.add(n)
        prev, ranged = n, bool(tail and _RANGE_TAIL.match(tail))
    return sorted(r for r in out if 0 < r < num)


def text_refs(text: str, num: int) -> list[int]:
    """Claims a claim refers to by its wording (:func:`ipai.text.claims.claim_refs`).

    Only the preamble up to shortly after its last mention of "claim" can hold a reference,
    so only that part is scanned (the same result, several times faster on long claims); a
    claim that never mentions a claim is independent without scanning at all.
    """
    head = text[:600]
    last = head.lower().rfind("claim")
    if last < 0:
        return []
    return claim_refs(head[: last + 150], num, "en")


_CLAIM_DIGITS = re.compile(r"(\d+)")


def claim_number(raw: str | None) -> int | None:
    """``00012`` / ``CLM-00012`` → 12."""
    m = _CLAIM_DIGITS.search(raw or "")
    return int(m.group(1)) if m else None


def marked_claims(
    parent: Any, claim_tag: str, id_attrs: tuple[str, ...], ref_tag: str, ref_attr: str
) -> list[dict[str, Any]]:
    """Claims of every USPTO XML generation: the number from the first id attribute that has
    one, dependencies from the office's reference markup (``claim-ref idref``, ``CLREF ID``,
    ``dependent-claim-reference depends_on``) or else from the claim's wording. Claims cancelled
    together (``num="01-18"``, ``1-18. (Cancelled)``) become each claim of the range, marked
    cancelled."""
    if parent is None:
        return []
    out = []
    for i, cl in enumerate(parent.iter(claim_tag), 1):
        raw = ftext(cl)
        rng = cancelled_range(next((cl.get(a) for a in id_attrs if cl.get(a)), None), raw)
        if rng:
            out.extend(cancelled_claims(*rng))
            continue
        num = next((n for n in (claim_number(cl.get(a)) for a in id_attrs) if n), i)
        text = strip_claim_number(raw)
        if not text:
            continue
        if is_cancelled(text):
            out.append(
                {
                    "num": num,
                    "text": text,
                    "lang": "en",
                    "independent": True,
                    "depends_on": [],
                    "cancelled": True,
                }
            )
            continue
        refs = [(claim_number(r.get(ref_attr)), r.tail) for r in cl.iter(ref_tag)]
        deps = markup_refs(refs, num) if refs else text_refs(text, num)
        out.append(claim(num, text, deps))
    return out


def claim(num: int, text: str, deps: list[int]) -> dict[str, Any]:
    """An English claim (as model fields)."""
    return {"num": num, "text": text, "lang": "en", "independent": not deps, "depends_on": deps}


def docref(cc: str | None, number: str, date: Any, kind: str | None = None) -> dict[str, Any]:
    """An application or priority reference (as model fields); the number without separators."""
    return {"country": cc, "number": normalize_appno(number), "kind": kind or None, "date": date}


def build(fields: dict[str, Any]) -> PatentDocument:
    """Validate the mapped fields into a :class:`PatentDocument` in one pass (nested parts are
    plain dicts: one pydantic validation per document instead of one per paragraph)."""
    return PatentDocument.model_validate(fields)


_KIND_PREFIX = re.compile(r"^([A-Z]\d?)-(\d.*)$")


def citation_patent(
    number: str, cc: str | None, kind: str | None, date: str | None, name: str | None, by: str | None
) -> dict[str, Any]:
    """A patent citation (as model fields); a number that does not parse is kept as text."""
    cc = country(cc)
    kind = (kind or "").strip().upper() or None
    pub: Any = None
    if cc:
        if "-" in number and cc != "US" and not kind:
            m = _KIND_PREFIX.match(number)
            if m:  # JP "A-6-143669": the kind written before the number
                kind, number = m.group(1), m.group(2)
        if cc == "US" and number.isdigit():  # the common cases, same result as parse_pubno
            pub = {"country": cc, "number": number.lstrip("0") or "0", "kind": kind or ""}
        elif cc == "US" and number[:1].isalpha() and number[1:].isdigit():  # D439981, D0439981
            pub = {"country": cc, "number": number[0] + (number[1:].lstrip("0") or "0"), "kind": kind or ""}
        else:
            pub = try_parse_pubno(number, cc, kind)
    text = None if pub else fclean(f"{cc or ''} {number} {kind or ''}")
    return {
        "kind": "patent",
        "pubno": pub,
        "text": text,
        "date": partial_date(date),
        "name": fclean(name) or None,
        "cited_by": by,
    }


def citation_npl(text: str, by: str | None) -> dict[str, Any]:
    """A non-patent citation (as model fields)."""
    return {"kind": "npl", "text": text, "cited_by": by}
