"""EPO publication XML (``ep-patent-document``, DTD 1.0 … 1.5.1): EP A and B publications.

One file holds one document, or several concatenated ones (bulk products); documents are cut
apart while streaming (at ``<?xml`` declarations, ``</ep-patent-document>`` end tags and new
root start tags) and each is parsed alone with lxml (no DTD, no network), so memory stays flat.

Mapping (the office's SDOBI B-codes):

- pubno: root ``country``/``doc-number``/``kind`` (else B190/B110/B130); ``lang``: root/B260;
  dates: B140 publication, B220 filing, B450 grant mention (B documents), earliest B320 priority.
- application: B210 (``17171508.9`` → number ``17171508``, the check digit dropped) + B220;
  priorities: B310/B320/B330; PCT: B861 → ``ids["pct_application"]`` (``PCT/JP2001/007711``),
  B871 → ``ids["wo_publication"]`` (``WO2002020444``).
- titles: B541/B542 pairs; abstracts, claims (every ``<claims lang>`` block) and the description
  keep the language the file gives them. Claim dependencies: ``claim-ref`` markup when present,
  else :func:`claim_refs` in the block's language; the translated claims of a B document take
  the dependencies of the same-numbered claim in the language of the proceedings.
- classifications: IPC from B511 (main) / B512 / B513 old-style text and from
  ``B510EP/classification-ipcr`` (main = position flag ``F``); CPC from ``classification-cpc``.
- parties — the rule: B711 applicants → ``applicants``; B731 proprietors → ``assignees``
  (an A publication names applicants, a B publication names proprietors, never both);
  B721 → ``inventors``; B741 → ``agents``. Opponents (B781) become ``B781`` legal events.
- citations: B561/B562 (front page, the office's: ``cited_by="examiner"``); structured
  search-report citations (``search-report-data``/``ep-search-report`` ``citation`` with
  ``category``/``rel-claims``: ``phase="search"``); the reference list "cited in the
  description" (else the description's own ``patcit``/``nplcit``): ``cited_by="applicant"``.
  Cited numbers follow the store's spelling (``WO-A-03/008444`` → WO2003008444,
  ``US-A1- 2008 197 955`` → US20080197955); cited application numbers (``dnum-type="L"``)
  have no publication number and keep only their text.
- legal events: B241/B242/B243 exam/opposition dates, B450 grant, B475 lapses, B477, B781.
- images: drawings, embedded images (chemistry, maths, tables…) and search-report page images.

Two defects found in real EPO files are repaired before giving up: a bare ``&`` and a stray
``<`` in text; HTML named entities (``&auml;``) are resolved. Anything else that is not
well-formed is an error item naming the document and the lxml position (line in the file).
"""

from __future__ import annotations

import datetime as dt
import html.entities
import re
from collections.abc import Iterator
from typing import IO, Any

from lxml import etree
from pydantic import ValidationError

from ipai.errors import RecordError
from ipai.ingest.base import Item, Reader, Source
from ipai.ingest.limits import HEAD_KEPT, Oversized, skip_until, too_large_message
from ipai.ingest.util import to_int, validation_message
from ipai.model import (
    Citation,
    Claim,
    Classification,
    Description,
    DocRef,
    ImageRef,
    LegalEvent,
    Paragraph,
    Party,
    PatentDocument,
    PubNo,
    doc_type_for,
    make_party,
    normalize_appno,
    normalize_ipc,
    parse_date,
    parse_partial_date,
    parse_pubno,
)
from ipai.model.classification import Scheme
from ipai.model.party import PartyKind
from ipai.model.patent import CitedBy
from ipai.text.claims import claim_refs

_ROOT = b"<ep-patent-document"
_END = b"</ep-patent-document>"
_DECL = b"<?xml"
_CHUNK = 1 << 20
_BLOCK = (
    "p",
    "heading",
    "li",
    "dt",
    "dd",
    "entry",
    "row",
    "claim-text",
    "br",
    "title",
    "ul",
    "ol",
    "dl",
    "tables",
    "table",
    "maths",
    "chemistry",
    "B542",
)
_LEADING_WS = re.compile(rb"\s*")
_DECL_RX = re.compile(rb"<\?xml\s")
_XML_ENTITIES = {b"amp", b"lt", b"gt", b"quot", b"apos"}
_BARE_AMP = re.compile(rb"&(?!#\d+;|#x[0-9a-fA-F]+;|[A-Za-z][\w.-]*;)")
_STRAY_LT = re.compile(rb"<(?![!?/])(?=[^<>]*<)")
_NAMED_ENT = re.compile(rb"&([A-Za-z][A-Za-z0-9]*);")
_CITED = re.compile(r"^\s*([A-Z]{2})\s*-\s*([A-Z]\d?)\s*-\s*(.+?)\s*$")
_IPCR_FLAGS = re.compile(r"\d{8}\s?[ACS]?\s?([FL])[IAN]")
_CLAIM_NO = re.compile(r"^\s*(\d{1,3})\s*(?:\.\s*\)|\)|\.(?=\s|[^\W\d_]))\s*")
_POSTCODE_HEAD = re.compile(r"^(?:[A-Z]{1,3}\s*-\s*)?\d[\d ]{1,7}\d?\s+(?=\D)")
_POSTCODE_TAIL = re.compile(r"(?:\s+[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}|\s+\d[\d-]*|\s+[A-Z]{2})$")


class EpoXml(Reader):
    """EPO ``ep-patent-document`` publication XML (A and B documents, one or many per file)."""

    name = "epo-xml"
    description = "EPO publication XML (ep-patent-document, DTD 1.0–1.5.1; EP A1/A2/B1/B2)"
    priority = 100

    def sniff(self, source: Source) -> int:
        """95 when the head holds an ``<ep-patent-document`` root."""
        return 95 if _ROOT in source.head() else 0

    def read(self, source: Source) -> Iterator[Item]:
        """One item per document, in file order."""
        with source.open() as fh:
            for n, (line, data) in enumerate(_documents(fh, source.max_record), 1):
                if isinstance(data, Oversized):
                    pn = _root_pubno(_root_attrs(data.head))
                    loc = f"document {n} ({pn.country}{pn.number}{pn.kind})" if pn else f"document {n}"
                    yield Item(loc, error=too_large_message(data.size, source.max_record, at_least=False))
                    continue
                yield _read_document(data, n, line)


# ---- splitting a stream into documents ----------------------------------------------------
def _documents(fh: IO[bytes], limit: int) -> Iterator[tuple[int, bytes | Oversized]]:
    """Raw bytes of each document with the file line it starts on; junk between them dropped.
    A document over ``limit`` bytes is dropped while it is read (:class:`Oversized`)."""
    buf = bytearray()
    line, scan = 1, 0
    while True:
        chunk = fh.read(_CHUNK)
        if chunk:
            buf += chunk
        while (cut := _boundary(buf, scan)) is not None:
            data = bytes(buf[:cut])
            del buf[:cut]
            scan = 0
            yield from _keep(line, data, limit)
            line += data.count(b"\n")
        scan = max(0, len(buf) - len(_END))
        if not chunk:
            break
        if len(buf) > limit:  # no end within the limit: drop the document up to the next boundary
            tail = bytes(buf[max(64, len(buf) - 64) :])
            dropped, lines, rest = skip_until(fh, tail, _next_boundary)
            yield line, Oversized(bytes(buf[:HEAD_KEPT]), len(buf) - len(tail) + dropped)
            line += buf.count(b"\n", 0, len(buf) - len(tail)) + lines
            buf, scan = bytearray(rest), 0
    yield from _keep(line, bytes(buf), limit)


def _next_boundary(data: bytes) -> int | None:
    """Where the document being skipped ends: after its end tag, or where the next one starts."""
    cands = [m.start() for m in (_DECL_RX.search(data),) if m]
    if (end := data.find(_END)) >= 0:
        cands.append(end + len(_END))
    if (root := data.find(_ROOT)) >= 0:
        cands.append(root)
    return min(cands) if cands else None


def _keep(line: int, data: bytes, limit: int) -> Iterator[tuple[int, bytes | Oversized]]:
    """A document's bytes from its first non-blank line; blank or closing-wrapper junk dropped."""
    body = data.lstrip()
    if _ROOT in body or _DECL in body or b"<!DOCTYPE" in body:
        start = line + data[: len(data) - len(body)].count(b"\n")
        yield start, body if len(body) <= limit else Oversized(body[:HEAD_KEPT], len(body))


def _boundary(buf: bytearray, scan: int) -> int | None:
    """Where the first document in ``buf`` ends, if its end is already buffered."""
    lead = _LEADING_WS.match(buf)
    start = lead.end() if lead else 0
    cands = []
    end = buf.find(_END, scan)
    if end >= 0:
        cands.append(end + len(_END))
    decl = _DECL_RX.search(buf, max(scan, start + 1))
    if decl:
        cands.append(decl.start())
    first = buf.find(_ROOT, start)
    if first >= 0:
        second = buf.find(_ROOT, max(scan, first + 1))
        if second >= 0:
            cands.append(second)
    return min(cands) if cands else None


# ---- one document -------------------------------------------------------------------------
def _read_document(data: bytes, n: int, line: int) -> Item:
    attrs = _root_attrs(data)
    loc = f"document {n}"
    pn = _root_pubno(attrs)
    if pn:
        loc = f"document {n} ({pn.country}{pn.number}{pn.kind})"
    if _ROOT not in data:
        return Item(loc, error="no <ep-patent-document> element (file truncated or not EPO XML)")
    data = _trim_prolog(data)
    try:
        root = _parse(data)
    except etree.XMLSyntaxError as exc:
        return Item(loc, error=_syntax_message(exc, line))
    try:
        doc = _map(root)
    except RecordError as exc:
        return Item(loc, error=exc.message)
    except ValidationError as exc:
        return Item(loc, error=validation_message(exc))
    except Exception as exc:  # a structure no sample showed: report it, keep reading the file
        return Item(loc, error=f"cannot map document: {type(exc).__name__}: {exc}")
    return Item(f"document {n} ({doc.pubno.country}{doc.pubno.number}{doc.pubno.kind})", record=doc)


def _root_attrs(data: bytes) -> dict[str, str]:
    """Attributes of the root start tag (works on truncated or broken documents)."""
    i = data.find(_ROOT)
    j = data.find(b">", i) if i >= 0 else -1
    if j < 0:
        return {}
    pp = etree.XMLPullParser(events=("start",), load_dtd=False, no_network=True, resolve_entities=False)
    try:
        pp.feed(data[i : j + 1])
        for _, el in pp.read_events():
            return dict(el.attrib)
    except etree.XMLSyntaxError:
        pass
    return {}


def _root_pubno(attrs: dict[str, str]) -> PubNo | None:
    try:
        return parse_pubno(attrs["doc-number"], attrs.get("country") or "EP", attrs.get("kind"))
    except (KeyError, RecordError):
        return None


def _trim_prolog(data: bytes) -> bytes:
    """Drop anything before the root that is not a prolog (a wrapper element's start tag)."""
    i = data.find(_ROOT)
    head = data[:i]
    if re.search(rb"<[A-Za-z/]", re.sub(rb"<!--.*?-->|<!DOCTYPE[^>]*>|<\?.*?\?>", b"", head, flags=re.S)):
        decl = re.match(rb"\s*<\?xml.*?\?>", head, flags=re.S)
        return (decl.group(0) if decl else b"") + data[i:]
    return data


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        load_dtd=False,
        no_network=True,
        resolve_entities=False,
        remove_comments=True,
        remove_pis=True,
        huge_tree=True,
    )


def _parse(data: bytes) -> Any:
    """Parse strictly; on failure repair the known defects and retry (raising the first error)."""
    try:
        return etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as first:
        fixed = _NAMED_ENT.sub(_entity_char, _STRAY_LT.sub(b"&lt;", _BARE_AMP.sub(b"&amp;", data)))
        if fixed == data:
            raise
        try:
            return etree.fromstring(fixed, _parser())
        except etree.XMLSyntaxError:
            raise first from None


def _entity_char(m: re.Match[bytes]) -> bytes:
    name = m.group(1)
    if name in _XML_ENTITIES:
        return m.group(0)
    ch = html.entities.html5.get(name.decode("ascii") + ";")
    return ch.encode("utf-8") if ch else b"&amp;" + name + b";"


def _syntax_message(exc: etree.XMLSyntaxError, line: int) -> str:
    msg = re.sub(r",? line \d+, column \d+.*$", "", str(exc.msg or exc)).strip()
    lno, col = exc.position if exc.position else (0, 0)
    return f"not well-formed XML: {msg} (line {line + max(lno, 1) - 1}, column {col})"


# ---- mapping ------------------------------------------------------------------------------
def _prepare(root: Any) -> None:
    """Resolve undeclared entities and space out block elements so text never runs together."""
    for ent in list(root.iter(etree.Entity)):
        ch = html.entities.html5.get(ent.name + ";", f"&{ent.name};")
        parent, prev = ent.getparent(), ent.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + ch + (ent.tail or "")
        else:
            parent.text = (parent.text or "") + ch + (ent.tail or "")
        parent.remove(ent)
    for el in root.iter(*_BLOCK):
        el.tail = " " + (el.tail or "")
        el.text = " " + (el.text or "")


def _text(el: Any) -> str:
    """All text inside an element, whitespace collapsed (str.split: faster than a regex)."""
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def _ft(el: Any, path: str) -> str:
    return _text(el.find(path)) if el is not None else ""


def _map(root: Any) -> PatentDocument:
    _prepare(root)
    b = root.find("SDOBI")
    if b is None:
        b = etree.Element("SDOBI")
    cc = root.get("country") or _ft(b, "B100/B190") or "EP"
    num = root.get("doc-number") or _ft(b, "B100/B110")
    kind = root.get("kind") or _ft(b, "B100/B130")
    if not num:
        raise RecordError("no publication number (doc-number / B110)")
    pubno = parse_pubno(num, cc, kind)
    lang = (root.get("lang") or _ft(b, "B200/B260") or b.get("lang") or "").lower() or None
    priorities = _priorities(b)
    pdates = [p.date for p in priorities if p.date]
    doc = PatentDocument(
        pubno=pubno,
        doc_type=doc_type_for(pubno),
        lang=lang,
        application=_application(b),
        priorities=priorities,
        filing_date=parse_date(_ft(b, "B200/B220/date")),
        publication_date=parse_date(_ft(b, "B100/B140/date") or root.get("date-publ")),
        grant_date=parse_date(_ft(b, "B400/B450/date")) if pubno.kind_letter == "B" else None,
        priority_date=min(pdates) if pdates else None,
        titles=_titles(b),
        abstracts=_abstracts(root, lang),
        claims=_claims(root, lang),
        description=_description(root, lang),
        classifications=_classifications(b),
        applicants=_parties(b, "B700/B710/B711"),
        assignees=_parties(b, "B700/B730/B731"),
        inventors=_parties(b, "B700/B720/B721", person=True),
        agents=_parties(b, "B700/B740/B741"),
        citations=_dedupe(_front_citations(b) + _srep_citations(root) + _applicant_citations(root)),
        legal_events=_legal_events(b),
        images=_images(root),
        designated_states=[c for c in (_text(x) for x in b.iterfind("B800/B840/ctry")) if c],
        ids=_pct_ids(b),
    )
    return doc


def _application(b: Any) -> DocRef | None:
    raw = _ft(b, "B200/B210")
    if not raw:
        return None
    number = raw.split(".")[0].replace(" ", "") if re.fullmatch(r"[\d ]+\.\d", raw) else normalize_appno(raw)
    return DocRef(country="EP", number=number, date=parse_date(_ft(b, "B200/B220/date")))


def _priorities(b: Any) -> list[DocRef]:
    out: list[DocRef] = []
    for grp in b.iterfind("B300"):
        cur: dict[str, Any] = {}
        for el in grp:  # B310, B320, B330 repeat in order, one triple per priority
            if el.tag == "B310":
                if cur.get("number"):
                    out.append(DocRef(**cur))
                cur = {"number": normalize_appno(_text(el))}
            elif el.tag == "B320":
                cur["date"] = parse_date(_ft(el, "date"))
            elif el.tag == "B330":
                cur["country"] = _ft(el, "ctry").upper() or None
        if cur.get("number"):
            out.append(DocRef(**cur))
    return out


def _titles(b: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    lang = None
    for el in b.iterfind("B500/B540/*"):
        if el.tag == "B541":
            lang = _text(el).lower()
        elif el.tag == "B542" and lang and _text(el):
            out.setdefault(lang, _text(el))
    return out


def _abstracts(root: Any, lang: str | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for ab in root.iterfind("abstract"):
        lg = (ab.get("lang") or lang or "en").lower()
        paras = [t for t in (_text(p) for p in ab.iterfind("p")) if t] or [_text(ab)]
        txt = "\n".join(t for t in paras if t)
        if txt:
            out[lg] = f"{out[lg]}\n{txt}" if lg in out else txt
    return out


def _claims(root: Any, lang: str | None) -> list[Claim]:
    out: list[Claim] = []
    for block in root.iterfind("claims"):
        lg = (block.get("lang") or lang or "en").lower()
        claims = list(block.iterfind("claim"))
        nums: dict[str, int] = {}
        for i, cl in enumerate(claims, 1):
            m = re.search(r"(\d+)$", cl.get("id") or "")
            n = to_int(cl.get("num")) or (int(m.group(1)) if m else None) or i
            nums[cl.get("id") or f"#{i}"] = n
        for i, cl in enumerate(claims, 1):
            n = nums[cl.get("id") or f"#{i}"]
            text = _text(cl)
            m = _CLAIM_NO.match(text)
            if m and int(m.group(1)) == n:
                text = text[m.end() :]
            refs = claim_refs(text, n, lg)
            marked = {nums[r.get("idref")] for r in cl.iter("claim-ref") if r.get("idref") in nums}
            marked = {r for r in marked if r < n}
            if marked and not marked <= set(refs):
                refs = sorted(marked)  # the office's markup wins; ranges come from the text
            out.append(Claim(num=n, text=text, lang=lg, independent=not refs, depends_on=refs))
    return _align_translations(out, lang)


def _align_translations(claims: list[Claim], lang: str | None) -> list[Claim]:
    """Translations (B documents) take their dependencies from the same-numbered claim in the
    language of the proceedings: the translations are faithful, the phrasing varies."""
    main = {c.num: c for c in claims if c.lang == lang}
    if not main:
        return claims
    by_lang: dict[str, set[int]] = {}
    for c in claims:
        by_lang.setdefault(c.lang, set()).add(c.num)
    out = []
    for c in claims:
        if c.lang != lang and by_lang[c.lang] == set(main) and c.depends_on != main[c.num].depends_on:
            src = main[c.num]
            c = c.model_copy(update={"depends_on": list(src.depends_on), "independent": src.independent})
        out.append(c)
    return out


def _description(root: Any, lang: str | None) -> Description | None:
    descs = list(root.iterfind("description"))
    if not descs:
        return None
    d = next((x for x in descs if (x.get("lang") or "").lower() == lang), descs[0])
    paras: list[Paragraph] = []
    for el in d:
        if el.tag not in ("p", "heading"):
            continue
        txt = _text(el)
        if txt:
            paras.append(Paragraph(text=txt, num=el.get("num") or None, heading=el.tag == "heading"))
    return Description(lang=(d.get("lang") or lang or "en").lower(), paragraphs=paras)


def _classifications(b: Any) -> list[Classification]:
    found: list[tuple[Scheme, str, bool]] = []
    for tag in ("B511", "B512", "B513"):
        for el in b.iterfind(f"B500/B510/{tag}"):
            found.append(("ipc", _text(el), tag == "B511"))
    for el in b.iterfind("B500/B510/B517EP"):
        for part in re.split(r"[,;]", _text(el).lstrip("/ ")):
            if "/" in part:
                found.append(("ipc", part, False))
    paths: tuple[tuple[Scheme, str], ...] = (
        ("ipc", "B500/B510EP/classification-ipcr"),
        ("cpc", ".//classifications-cpc/classification-cpc"),
    )
    for scheme, path in paths:
        rows = [_text(el.find("text")) or _text(el) for el in b.iterfind(path)]
        flags = [_IPCR_FLAGS.search(t) for t in rows]
        any_flag = any(flags)
        for i, (t, f) in enumerate(zip(rows, flags, strict=False)):
            found.append((scheme, t, (f is not None and f.group(1) == "F") if any_flag else i == 0))
    out: dict[tuple[str, str], Classification] = {}
    for scheme, raw, main in found:
        code = normalize_ipc(raw)
        if not code:
            continue
        key = (scheme, code)
        if key not in out or (main and not out[key].main):
            out[key] = Classification(scheme=scheme, code=code, main=main)
    return list(out.values())


def _parties(b: Any, path: str, *, person: bool = False) -> list[Party]:
    out: list[Party] = []
    for el in b.iterfind(path):
        p = _party(el, person=person)
        if p and all(p.name != q.name for q in out):
            out.append(p)
    return out


def _party(el: Any, *, person: bool = False) -> Party | None:
    name = _ft(el, "snm")
    if _ft(el, "fnm"):
        name = f"{name}, {_ft(el, 'fnm')}"
    name = re.sub(r"\s+c/o\s.*$", "", name, flags=re.I)
    if not name:
        return None
    probe = make_party(name)
    kind: PartyKind
    if person or (probe and probe.kind != "organisation" and "," in name and "&" not in name):
        kind = "person"
    else:
        kind = "organisation"
    parts = [x.strip() for x in name.split(",")]
    city_raw = _ft(el, "adr/city")
    address = ", ".join(x for x in (_ft(el, "adr/str"), city_raw) if x) or None
    return make_party(
        name,
        kind=kind,
        country=_ft(el, "adr/ctry") or None,
        city=_city(city_raw),
        address=address,
        last_name=parts[0] if kind == "person" and len(parts) > 1 else None,
        first_name=parts[1] if kind == "person" and len(parts) > 1 else None,
    )


def _city(raw: str) -> str | None:
    """``50374 Erftstadt`` → ``Erftstadt``; ``Redwood City, CA 94063`` → ``Redwood City``."""
    s = _POSTCODE_HEAD.sub("", raw.split(",")[0].strip())
    for _ in range(2):
        s = _POSTCODE_TAIL.sub("", s).strip() or s
    return s or None


# ---- citations ----------------------------------------------------------------------------
def cited_pubno(text: str) -> PubNo | None:
    """Parse EPO front-page citation spellings: ``EP-A1- 3 109 871``, ``WO-A-03/008444``,
    ``US-A1- 2008 197 955`` (→ ``US20080197955``), ``US-E- R E36 154``."""
    m = _CITED.match(text or "")
    if m:
        cc, kind, number = m.groups()
    else:
        cc, kind, number = "", "", (text or "").strip()
    return _pubno(cc, number, kind)


def _pubno(cc: str, number: str, kind: str | None = None) -> PubNo | None:
    """A cited publication number in the store's conventions (WO year, US publication digits)."""
    number = (number or "").strip().upper()
    cc = (cc or "").strip().upper()
    if not cc and len(number) > 2 and number[:2].isalpha():
        cc, number = number[:2], number[2:]
    if cc != "WO":  # WO numbers keep their "03/8444" form: parse_pubno widens it
        number = re.sub(r"[\s.,/]", "", number)
    if cc == "US" and re.fullmatch(r"(19|20)\d{8}(?:[A-Z]\d?)?", number) and (kind or "A")[0] == "A":
        number = number[:4] + "0" + number[4:]  # EPO writes 2008 197 955 for US 2008/0197955
    try:
        return parse_pubno(number, cc or None, kind or None)
    except RecordError:
        return None


def _front_citations(b: Any) -> list[Citation]:
    out: list[Citation] = []
    for el in b.iterfind("B500/B560/*"):
        if el.tag == "B561":
            pc = el.find(".//patcit")
            if pc is not None:
                c = _patcit(pc, "examiner", None)
            else:
                txt = _text(el)
                c = Citation(kind="patent", pubno=cited_pubno(txt), text=txt, cited_by="examiner")
            if c and (c.pubno or c.text):
                out.append(c)
        elif el.tag == "B562" and _text(el):
            out.append(Citation(kind="npl", text=_text(el), cited_by="examiner"))
    return out


def _patcit(el: Any, cited_by: CitedBy, phase: str | None, **extra: Any) -> Citation | None:
    """A ``patcit``: ``document-id`` parts if present, else the ``dnum`` attribute."""
    did = el.find("document-id")
    date = None
    if did is not None:
        cc, num, kind = _ft(did, "country"), _ft(did, "doc-number"), _ft(did, "kind")
        date = parse_partial_date(_ft(did, "date")) or None
        text = label = f"{cc}{num}{kind}"
    else:
        cc, num, kind = "", el.get("dnum") or "", ""
        label = num
        text = _text(el) or label
    if el.get("dnum-type") == "L":  # an application number, not a publication
        return Citation(
            kind="patent",
            text=f"application {label}".strip(),
            date=date,
            cited_by=cited_by,
            phase=phase,
            **extra,
        )
    pn = _pubno(cc, num, kind)
    if pn is None and not text:
        return None
    return Citation(
        kind="patent",
        pubno=pn,
        text=text if pn is None or text != label else None,
        date=date,
        cited_by=cited_by,
        phase=phase,
        **extra,
    )


def _nplcit(el: Any, cited_by: CitedBy, phase: str | None = None, **extra: Any) -> Citation | None:
    """An ``nplcit``: its ``text``, or the structured article/book parts written out."""
    authors = [_text(a) for a in el.iterfind(".//author") if _text(a)]
    raw_date = _ft(el, ".//sdate") or next((_text(p) for p in el.iter("pubdate") if not len(p)), "")
    if el.find("text") is not None:
        text = _ft(el, "text")
    else:
        pages = "-".join(t for t in (_ft(el, ".//ppf"), _ft(el, ".//ppl")) if t)
        parts = [
            _ft(el, ".//atl"),
            _ft(el, ".//sertitle") or _ft(el, ".//book-title"),
            _ft(el, ".//imprint/name"),
            raw_date[:4] if raw_date[:4].strip("0") else "",
            f"vol. {_ft(el, './/vid')}" if _ft(el, ".//vid") else "",
            f"no. {_ft(el, './/ino')}" if _ft(el, ".//ino") else "",
            f"pages {pages}" if pages else "",
        ]
        text = ", ".join(p for p in parts if p)
        text = f"{'; '.join(authors)}: {text}" if authors and text else ("; ".join(authors) or text)
    if not text:
        return None
    return Citation(
        kind="npl",
        text=text,
        date=parse_partial_date(raw_date) if raw_date else None,
        name=authors[0] if authors else None,
        cited_by=cited_by,
        phase=phase,
        **extra,
    )


def _srep_citations(root: Any) -> list[Citation]:
    """Structured search-report citations (``citation`` with ``category``/``rel-claims``)."""
    out: list[Citation] = []
    reports = list(root.iterfind("search-report-data")) + list(root.iterfind("ep-search-report"))
    for cit in (c for r in reports for c in r.iter("citation")):
        cats: list[str] = []
        for c in cit.iter("category"):
            cats += [x for x in re.split(r"[\s,;/]+", _text(c).upper()) if x]
        rel = ", ".join(t for t in (_text(r) for r in cit.iter("rel-claims")) if t) or None
        extra = {"categories": list(dict.fromkeys(cats)), "claims": rel}
        pc, nc = cit.find(".//patcit"), cit.find(".//nplcit")
        if pc is not None:
            c = _patcit(pc, "examiner", "search", **extra)
        elif nc is not None:
            c = _nplcit(nc, "examiner", "search", **extra)
        else:
            c = None
        if c:
            out.append(c)
    return out


def _applicant_citations(root: Any) -> list[Citation]:
    """References cited in the description: the reference list if present, else the text."""
    scope = root.find("ep-reference-list")
    if scope is None:
        scope = root.find("description")
    if scope is None:
        return []
    out: list[Citation] = []
    for el in scope.iter("patcit", "nplcit"):
        c = _patcit(el, "applicant", None) if el.tag == "patcit" else _nplcit(el, "applicant")
        if c:
            out.append(c)
    return out


def _dedupe(cits: list[Citation]) -> list[Citation]:
    seen: set[tuple[Any, ...]] = set()
    out: list[Citation] = []
    for c in cits:
        key = (c.cited_by, c.phase, c.doc_id or c.text)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


# ---- other parts --------------------------------------------------------------------------
def _legal_events(b: Any) -> list[LegalEvent]:
    out: list[LegalEvent] = []

    def add(code: str, date: dt.date | None, text: str, country: str | None = None) -> None:
        if date:
            out.append(LegalEvent(code=code, date=date, description=text, country=country))

    for tag, text in (
        ("B241", "request for examination"),
        ("B242", "first examination report"),
        ("B243", "patent maintained as amended"),
    ):
        add(tag, parse_date(_ft(b, f"B200/B240/{tag}/date")), text)
    add("B450", parse_date(_ft(b, "B400/B450/date")), "mention of the grant")
    for grp in b.iterfind("B400/B472/B475"):
        date = None
        for el in grp:
            if el.tag == "date":
                date = parse_date(_text(el))
            elif el.tag == "ctry":
                add("B475", date, "lapse in a contracting state", _text(el) or None)
    add("B477", parse_date(_ft(b, "B400/B477/date")), "mention of the decision on opposition")
    for el in b.iterfind("B700/B780/B781"):
        add(
            "B781",
            parse_date(_ft(el, "date")),
            f"opposition filed by {_ft(el, 'snm')}".strip(),
            _ft(el, "adr/ctry") or None,
        )
    return out


def _pct_ids(b: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    anum = _ft(b, "B800/B860/B861/dnum/anum").replace(" ", "").upper()
    m = re.fullmatch(r"([A-Z]{2})(\d{2}|\d{4})(\d{5,6})", anum)
    if m:
        year = m.group(2) if len(m.group(2)) == 4 else ("19" if int(m.group(2)) >= 78 else "20") + m.group(2)
        out["pct_application"] = f"PCT/{m.group(1)}{year}/{m.group(3).zfill(6)}"
    elif anum:
        out["pct_application"] = anum
    pnum = _ft(b, "B800/B870/B871/dnum/pnum").replace(" ", "").upper()
    if pnum:
        pn = _pubno("WO", pnum[2:] if pnum.startswith("WO") else pnum)
        out["wo_publication"] = f"WO{pn.number}" if pn else pnum
    return out


_IMG_KIND = {"chem": "chemistry", "math": "math", "table": "table", "drawing": "drawing"}


def _images(root: Any) -> list[ImageRef]:
    out: list[ImageRef] = []
    seen: set[str] = set()
    for el in root.iter("img", "doc-page"):
        f = el.get("file")
        if not f or f in seen:
            continue
        seen.add(f)
        if el.tag == "doc-page":
            kind = "search-report"
        elif any(a.tag == "drawings" for a in el.iterancestors()):
            kind = "drawing"
        else:
            kind = _IMG_KIND.get(el.get("img-content") or "", el.get("img-content") or "image")
        out.append(ImageRef(file=f, kind=kind, id=el.get("id")))
    return out
