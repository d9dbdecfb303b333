"""JPO gazette XML (``jp-official-gazette``, the JPO's ST.36 variant with ``jp:`` extensions).

Mapping: pubno from ``publication-reference`` (country JP) with the ST.16 kind of the root's
``kind-of-st16`` (the document's own ``kind`` is the gazette name, 公開特許公報(A));
application, priorities (``priority-claims``), IPC (``classification-ipc``: main / further, the
position flag in the text) and the JPO's FI (``classification-national``) and F-terms
(``jp:f-term``); parties from ``jp:applicants-agents`` (applicants, agents) and ``inventors``
(Japanese names as written, a prefecture at the start of an address gives the country JP);
the gazette's own abstract, claims and description (root children only: the amended texts of a
``jp:written-amendment`` are not the publication's), description sections given the headings
the gazette prints (【技術分野】…); drawings. Claim dependencies come from the Japanese wording
(``請求項１記載の``, ``請求項１～３のいずれか``); patent literature cited in the description
(``特許第６１５１５５７号公報``, ``特開２００３－１２３４５６号公報``) becomes applicant citations.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ipai.errors import RecordError
from ipai.ingest.base import Item, Reader, Source
from ipai.ingest.messages import say
from ipai.ingest.readers import _officexml as ox
from ipai.ingest.readers._officecommon import claim_fields, date_of, office_pubno, party
from ipai.ingest.readers.epo_xml import _IPCR_FLAGS
from ipai.model import doc_type_for, normalize_ipc
from ipai.model.party import PartyKind

_START = ox.record_pattern("jp-official-gazette")
_LABEL = re.compile(rb"<doc-number>\s*(\d{6,})\s*</doc-number>")
_HEADINGS = {
    "technical-field": "技術分野",
    "background-art": "背景技術",
    "citation-list": "先行技術文献",
    "patent-literature": "特許文献",
    "non-patent-literature": "非特許文献",
    "summary-of-invention": "発明の概要",
    "tech-problem": "発明が解決しようとする課題",
    "tech-solution": "課題を解決するための手段",
    "advantageous-effects": "発明の効果",
    "description-of-drawings": "図面の簡単な説明",
    "description-of-embodiments": "発明を実施するための形態",
    "mode-for-invention": "発明を実施するための形態",
    "reference-signs-list": "符号の説明",
    "industrial-applicability": "産業上の利用可能性",
    "disclosure": "発明の開示",
    "best-mode": "発明を実施するための最良の形態",
}
_JA_ORG = re.compile(
    r"株式会社|有限会社|合同会社|法人|大学|研究所|協会|組合|リミテッド|カンパニー|コーポレ[ー]?ション|"
    r"インコーポレ[イ]?テッド|エルエルシー|ゲーエムベーハー|ゲゼルシャフト|ソシエテ|アクチ|エス\.?エー|"
    r"ビー\.?ブイ|エルティーディー|ホールディングス|コーポレイテッド|インク|工業|製作所|商事|電機|化学"
)
_PREFECTURE = re.compile(r"^(?:日本国?)?(?:東京都|北海道|京都府|大阪府|[\u4e00-\u9fff]{2,3}県)")
_JP_CITE = [
    (re.compile(r"特許第\s*(\d{6,8})\s*号"), lambda m: ("JP", m.group(1), "B")),
    (
        re.compile(r"特開\s*((?:19|20)\d{2})\s*[-－ー]\s*(\d{1,6})\s*号"),
        lambda m: ("JP", m.group(1) + m.group(2).zfill(6), "A"),
    ),
    (
        re.compile(r"特表\s*((?:19|20)\d{2})\s*[-－ー]\s*(\d{1,6})\s*号"),
        lambda m: ("JP", m.group(1) + m.group(2).zfill(6), "A"),
    ),
    (re.compile(r"実用新案登録第\s*(\d{6,7})\s*号"), lambda m: ("JP", m.group(1), "U")),
    (
        re.compile(r"国際公開第\s*((?:19|20)\d{2})\s*/\s*(\d{1,6})\s*号"),
        lambda m: ("WO", m.group(1) + m.group(2).zfill(6), "A1"),
    ),
    (
        re.compile(r"米国特許(?:出願公開)?第\s*([\d,]{7,14})\s*号"),
        lambda m: ("US", m.group(1).replace(",", ""), None),
    ),
]


class JpoXml(Reader):
    """JPO gazette full-text XML (``jp-official-gazette``)."""

    name = "jpo-xml"
    description = "JPO gazette XML (jp-official-gazette): Japanese biblio, claims, description"
    priority = 100

    def sniff(self, source: Source) -> int:
        """100 when the head holds a ``jp-official-gazette`` root."""
        return 100 if b"<jp-official-gazette" in source.head() else 0

    def read(self, source: Source) -> Iterator[Item]:
        """One item per gazette document."""
        yield from ox.record_items(
            source,
            _START,
            lambda r: [map_gazette(r)],
            lambda d: f"JP{m.group(1).decode()}" if (m := _LABEL.search(d, 0, 1 << 16)) else None,
        )


def map_gazette(root: Any) -> dict[str, Any]:
    """Model fields of one ``jp-official-gazette``."""
    bib = root.find("bibliographic-data")
    did = bib.find("publication-reference/document-id") if bib is not None else None
    num = ox.ftext(did, "doc-number")
    if not num:
        raise RecordError(say("rec.no_number"))
    kind = root.get("kind-of-st16") or root.get("kind-of-jp") or None
    pubno = office_pubno(num, ox.ftext(did, "country") or root.get("country") or "JP", kind)
    pub_date = date_of(ox.ftext(did, "date"))
    app = bib.find("application-reference/document-id")
    app_no = ox.ftext(app, "doc-number")
    filing = date_of(ox.ftext(app, "date"))
    prios = [
        {
            "country": ox.ftext(p, "country").upper() or None,
            "number": re.sub(r"[\s/,.\-]", "", ox.ftext(p, "doc-number")).upper(),
            "date": date_of(ox.ftext(p, "date")),
            "kind": None,
        }
        for p in bib.iterfind("priority-claims/priority-claim")
        if ox.ftext(p, "doc-number")
    ]
    pdates = [p["date"] for p in prios if p["date"]]
    title = ox.ftext(bib, "invention-title")
    lang = (root.get("lang") or "ja").lower()
    parent = ox.ftext(bib, "related-documents/division/relation/parent-doc/document-id/doc-number")
    desc = root.find("description")
    return {
        "pubno": pubno,
        "doc_type": doc_type_for(pubno),
        "lang": lang,
        "application": {"country": "JP", "number": app_no, "date": filing} if app_no else None,
        "priorities": prios,
        "filing_date": filing,
        "publication_date": pub_date,
        "grant_date": pub_date if pubno.kind_letter in ("B", "C", "Y", "S") else None,
        "priority_date": min(pdates) if pdates else None,
        "titles": {lang: title} if title else {},
        "abstracts": _abstract(root.find("abstract"), lang),
        "claims": _claims(root.find("claims"), lang),
        "description": _description(desc, lang),
        "classifications": _classifications(bib),
        "applicants": _parties(
            bib.iterfind(
                "parties/jp:applicants-agents-article/jp:applicants-agents/applicant",
                namespaces={"jp": ox.KNOWN_NS["jp"]},
            )
        ),
        "inventors": _parties(bib.iterfind("parties/inventors/inventor"), kind="person"),
        "agents": _parties(
            bib.iterfind(
                "parties/jp:applicants-agents-article/jp:applicants-agents/agent",
                namespaces={"jp": ox.KNOWN_NS["jp"]},
            )
        ),
        "citations": _citations(desc),
        "images": _images(root),
        "ids": {"parent_application": f"JP{parent}"} if parent else {},
    }


def _abstract(ab: Any, lang: str) -> dict[str, str]:
    if ab is None:
        return {}
    t = "\n".join(x for x in (ox.block_text(p) for p in ab.iterfind("p")) if x)
    return {lang: t} if t else {}


def _claims(block: Any, lang: str) -> list[dict[str, Any]]:
    if block is None:
        return []
    out: list[dict[str, Any]] = []
    for i, cl in enumerate(block.iterfind("claim"), 1):
        lines = [ox.block_text(t) for t in cl.iterfind("claim-text")] or [ox.block_text(cl)]
        out.extend(
            claim_fields(
                cl.get("num") or "", i, lines, lang, [r.get("idref") or "" for r in cl.iter("claim-ref")]
            )
        )
    return out


def _description(desc: Any, lang: str) -> dict[str, Any] | None:
    if desc is None:
        return None
    paras: list[dict[str, Any]] = []

    def walk(el: Any) -> None:
        for child in el:
            tag = ox.local(child)
            if tag in ("p", "heading"):
                t = ox.block_text(child)
                if t:
                    paras.append({"text": t, "num": child.get("num") or None, "heading": tag == "heading"})
            elif tag in _HEADINGS:
                paras.append({"text": f"【{_HEADINGS[tag]}】", "heading": True})
                walk(child)

    walk(desc)
    return {"lang": lang, "paragraphs": paras} if any(not p["heading"] for p in paras) else None


def _classifications(bib: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []

    def add(scheme: str, code: str | None, main: bool) -> None:
        if code and all((c["scheme"], c["code"]) != (scheme, code) for c in out):
            out.append({"scheme": scheme, "code": code, "main": main})

    for el in bib.iterfind("classification-ipc/*"):
        if el.tag in ("main-clsf", "further-clsf"):
            raw = ox.text(el)
            flag = _IPCR_FLAGS.search(raw)
            add("ipc", normalize_ipc(raw), flag.group(1) == "F" if flag else el.tag == "main-clsf")
    for el in bib.iterfind("classification-national/*"):
        if el.tag in ("main-clsf", "further-clsf") and ox.text(el):
            add("fi", " ".join(ox.text(el).split()), el.tag == "main-clsf")
    for el in bib.iter("{{{}}}f-term".format(ox.KNOWN_NS["jp"])):
        add("fterm", ox.text(el), False)
    return out


def _parties(els: Any, *, kind: PartyKind | None = None) -> list[Any]:
    out: list[Any] = []
    for el in els:
        book = el.find("addressbook")
        name = ox.ftext(book, "name")
        adr = ox.ftext(book, "address/text") or None
        cc = ox.ftext(book, "address/country") or ("JP" if adr and _PREFECTURE.match(adr) else None)
        p = party(
            name, kind=kind or ("organisation" if _JA_ORG.search(name) else None), country=cc, address=adr
        )
        if p and p not in out:
            out.append(p)
    return out


def _citations(desc: Any) -> list[dict[str, Any]]:
    if desc is None:
        return []
    out: list[dict[str, Any]] = []
    for el in desc.iter("patcit", "nplcit"):
        text = ox.nfkc_digits(ox.text(el))
        if el.tag == "nplcit":
            if text:
                out.append({"kind": "npl", "text": text, "cited_by": "applicant"})
            continue
        pn = None
        for rx, parts in _JP_CITE:
            m = rx.search(text)
            if m:
                cc, num, kind = parts(m)
                try:
                    pn = office_pubno(num, cc, kind)
                except RecordError:
                    pn = None
                break
        if pn or text:
            out.append(
                {
                    "kind": "patent",
                    "pubno": pn,
                    "text": text if pn is None else None,
                    "name": None,
                    "cited_by": "applicant",
                }
            )
    return out


def _images(root: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for img in root.iter("img"):
        f = img.get("file")
        if not f or f in seen or any(ox.local(a) == "written-amendment-group" for a in img.iterancestors()):
            continue
        seen.add(f)
        kind = "drawing" if any(a.tag == "drawings" for a in img.iterancestors()) else "image"
        out.append({"file": f, "kind": kind, "id": img.get("id") or None})
    return out
