"""Mapping helpers shared by the CNIPA, JPO, DOCDB/OPS and ST.96 readers: numbers, dates,
parties, claims (with cancelled ranges), citations, PCT identifiers."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ipai.ingest.readers import _officexml as ox
from ipai.ingest.readers._claimranges import cancelled_claims, cancelled_range, is_cancelled
from ipai.ingest.readers.epo_xml import _pubno
from ipai.model import (
    Party,
    PubNo,
    make_party,
    normalize_appno,
    normalize_ipc,
    parse_date,
    parse_partial_date,
    parse_pubno,
)
from ipai.model.party import PartyKind
from ipai.text.claims import claim_refs

_AGENCY_CODE = re.compile(r"\s+\d{5}$")
_CC = re.compile(r"[A-Z]{2}")
_POSTCODE = re.compile(r"^\d{6}\s*")
_CN_CHECK = re.compile(r"^(?:CN)?(\d{8,12})\.?[\dXx]$")
_LEAD_NUM = re.compile(r"^\s*(\d{1,3})\s*(?:[.．、:：)]|\s(?=\D))\s*")
_CN_HEADINGS = {
    "技术领域",
    "背景技术",
    "发明内容",
    "实用新型内容",
    "附图说明",
    "具体实施方式",
    "有益效果",
    "技术问题",
    "技术方案",
    "发明目的",
    "相关申请的交叉引用",
    "相关申请",
    "附图标记说明",
    "序列表自由内容",
    "工业实用性",
    "发明概述",
    "实施方式",
    "外观设计简要说明",
    "简要说明",
}


_CN_MUNICIPALITIES = {"北京", "天津", "上海", "重庆"}
_CN_PROVINCES = (
    "北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|"
    "广东|海南|四川|贵州|云南|陕西|甘肃|青海|内蒙古|广西|西藏|宁夏|新疆"
)
_CN_ADDRESS = re.compile(
    rf"^(?:中国)?({_CN_PROVINCES})(?:省|市|(?:壮族|回族|维吾尔)?自治区)?([\u4e00-\u9fff]{{1,6}}?(?:市|自治州|地区|盟))?"
)


def date_of(raw: str | None) -> dt.date | None:
    """An office date (``20221021``, ``2022-10-21``); ``00000000`` and blanks are no date."""
    return parse_date(raw) if raw and raw.strip("0 ") else None


def cn_appno(raw: str) -> str:
    """A CN application number without its check digit: ``201510481495.9`` → ``201510481495``;
    the 15-digit standard form (``102015000481495``) and others are kept, separators removed."""
    s = normalize_appno(raw) if raw else ""
    m = _CN_CHECK.match(raw.replace(" ", "").upper()) if raw else None
    if m and "." in raw:
        return m.group(1)
    return s


def cn_heading(text: str) -> bool:
    """True for a CN description section heading (技术领域, 背景技术…)."""
    return len(text) <= 12 and text.strip("：: ") in _CN_HEADINGS


def split_ipc(
    section: str | None, cls: str | None, sub: str | None, group: str | None, subgroup: str | None
) -> str | None:
    """An IPC symbol from its ST.8 parts (section, class, subclass, main group, subgroup)."""
    if not (section and cls and sub):
        return None
    raw = f"{section.strip()}{cls.strip()}{sub.strip()}"
    if group and group.strip():
        raw += f"{group.strip()}/{(subgroup or '00').strip() or '00'}"
    return normalize_ipc(raw)


def party(
    name: str,
    *,
    kind: PartyKind | None = None,
    country: str | None = None,
    city: str | None = None,
    address: str | None = None,
    last: str | None = None,
    first: str | None = None,
) -> Party | None:
    """A party as the office names it: a CN agency's code (``… 11243``) and an address's leading
    postcode (``100176 北京市…``) dropped; a Chinese address gives the country and city when the
    record does not (``云南省昆明市…`` → CN, 昆明市)."""
    name = _AGENCY_CODE.sub("", " ".join((name or "").split()))
    if not name:
        return None
    adr = _POSTCODE.sub("", address).strip() if address else None
    cc = (country or "").strip().upper()
    if adr and (not cc or cc == "CN"):
        m = _CN_ADDRESS.match(adr)
        if m:
            cc = "CN"
            city = city or m.group(2) or (m.group(1) + "市" if m.group(1) in _CN_MUNICIPALITIES else None)
    return make_party(
        name,
        kind=kind,
        country=cc if _CC.fullmatch(cc) else None,
        city=city or None,
        address=adr or None,
        last_name=last or None,
        first_name=first or None,
    )


def claim_fields(
    num_attr: str, index: int, lines: list[str], lang: str, marked: list[str] | None = None
) -> list[dict[str, Any]]:
    """One claim (or a cancelled range of them) as model fields.

    ``num_attr`` is the office's number (``0001``; a range ``01-18`` for claims cancelled
    together); ``lines`` its text lines (joined without a space between CJK characters); the
    printed number at the start is dropped. Dependencies come from ``marked`` claim references
    (``cl0001``, ``CLM-00001``) when the office marks them, else from the wording, read with
    full-width digits as ASCII (``請求項１`` / ``权利要求１``).
    """
    text = ox.collapse("\n".join(x for x in lines if x))
    rng = cancelled_range(num_attr, text)
    if rng:
        return cancelled_claims(rng[0], rng[1], rng[2], lang)
    digits = re.search(r"\d+", num_attr or "")
    num = int(digits.group(0)) if digits and int(digits.group(0)) > 0 else index
    m = _LEAD_NUM.match(text)
    if m and int(m.group(1)) == num:
        text = text[m.end() :].strip()
    if not text:
        return []
    if is_cancelled(text):
        return [
            {"num": num, "text": text, "lang": lang, "independent": True, "depends_on": [], "cancelled": True}
        ]
    refs = sorted({n for n in (_ref_num(r) for r in (marked or [])) if n and 0 < n < num})
    if not refs:
        refs = claim_refs(ox.nfkc_digits(text[:700]), num, lang)  # (the dependency is in the preamble)
    return [{"num": num, "text": text, "lang": lang, "independent": not refs, "depends_on": refs}]


def _ref_num(ref: str) -> int | None:
    m = re.search(r"(\d+)\s*$", ref or "")
    return int(m.group(1)) if m else None


_ID_PARTS = {
    "country": ("WIPOST3Code", "IPOfficeCode", "country"),
    "number": ("DocNumber", "DocumentNumber", "doc-number", "PublicationNumber"),
    "kind": ("Kind", "PatentDocumentKindCode", "kind"),
    "date": ("Date", "PatentDocumentDate", "PublicationDate", "date"),
    "name": ("EntityName", "name", "Name"),
}


def citation_fields(el: Any, cited_by: str | None, phase: str | None = None) -> dict[str, Any] | None:
    """A cited patent or literature reference as model fields: ST.36 ``patcit``/``nplcit`` (with
    or without a namespace) or ST.96/SIPO ``PatentCitation``/``NPLCitation``. A patent is read
    from its document-id parts (else the ``dnum`` attribute); a cited application number
    (``dnum-type`` application) has no publication number and keeps its text."""
    name = ox.local(el)
    if "npl" in name.lower():
        txt = ox.ftext(el, "text") or ox.ftext(el, "NPLCitationText") or ox.text(el)
        return {"kind": "npl", "text": txt, "cited_by": cited_by, "phase": phase} if txt else None
    parts: dict[str, str] = {}
    for d in el.iter():
        ln = ox.local(d)
        for key, names in _ID_PARTS.items():
            if ln in names and key not in parts and not len(d):
                parts[key] = ox.text(d)
    num = parts.get("number") or ox.attr(el, "dnum")
    if not num:
        txt = ox.text(el)
        return {"kind": "patent", "text": txt, "cited_by": cited_by, "phase": phase} if txt else None
    date = parse_partial_date(parts["date"]) if parts.get("date") else None
    label = " ".join(x for x in (parts.get("country"), num, parts.get("kind")) if x)
    if ox.attr(el, "dnum-type").lower() in ("l", "application number"):
        return {
            "kind": "patent",
            "text": f"application {label}",
            "date": date or None,
            "cited_by": cited_by,
            "phase": phase,
        }
    pn = _pubno(parts.get("country", ""), num, parts.get("kind") or None)
    return {
        "kind": "patent",
        "pubno": pn,
        "text": None if pn else label,
        "date": date or None,
        "name": parts.get("name") or None,
        "cited_by": cited_by,
        "phase": phase,
    }


def wo_ids(
    pct_number: str | None, wo_country: str | None, wo_number: str | None
) -> tuple[dict[str, str], list[str]]:
    """``ids`` for a PCT application (``PCT/US2021/019468``) and its WO publication
    (``WO2021173713``), and the WO publication as a family member."""
    ids: dict[str, str] = {}
    members: list[str] = []
    if pct_number:
        m = re.search(r"PCT/?([A-Z]{2})(\d{2,4})/?(\d{5,6})", pct_number.replace(" ", "").upper())
        if m:
            year = (
                m.group(2) if len(m.group(2)) == 4 else ("19" if int(m.group(2)) >= 78 else "20") + m.group(2)
            )
            ids["pct_application"] = f"PCT/{m.group(1)}{year}/{m.group(3).zfill(6)}"
        else:
            ids["pct_application"] = pct_number.strip()
    if wo_number:
        pn = _pubno(wo_country or "WO", wo_number)
        if pn is not None:
            ids["wo_publication"] = f"{pn.country}{pn.number}"
            members.append(pn.doc_id)
    return ids, members


def merge_events(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Legal events with one (date, code, country) made one, their descriptions joined with `` | ``:
    the store keeps one event per that key, so two same-day events of a code (two IPC changes, the
    A1 and B1 designations) keep both texts."""
    out: dict[tuple[Any, str, Any], dict[str, Any]] = {}
    for e in events:
        key = (e.get("date"), e["code"], e.get("country"))
        if key not in out:
            out[key] = dict(e)
        elif e.get("description") and e["description"] not in (out[key].get("description") or ""):
            prev = out[key].get("description")
            out[key]["description"] = f"{prev} | {e['description']}" if prev else e["description"]
    return list(out.values())


def office_pubno(number: str, country: str | None, kind: str | None) -> PubNo:
    """A publication number in the store's conventions (US pre-grant ``2006142694`` →
    ``20060142694`` as the USPTO writes it; WO ``2022/259205``), :class:`RecordError` when it is not one."""
    pn = _pubno(country or "", number, kind or None)
    if pn is None:
        pn = parse_pubno(number, country or None, kind or None)
    return pn
