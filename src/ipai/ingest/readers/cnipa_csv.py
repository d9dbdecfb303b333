"""CNIPA-style CSV exports of Chinese patents (Chinese titles, abstracts, IPC/CPC).

One reader, three header families, mapped through one column-role table:

* Chinese export headers as written by CNIPA search and incoPat-style tools: 公开（公告）号 /
  公开号 / 公告号, 申请号, 申请日, 公开（公告）日, 授权公告日, 标题 / 发明名称, 摘要,
  申请（专利权）人, 专利权人, 发明（设计）人, 代理人 / 代理机构, IPC主分类号, IPC分类号,
  CPC分类号, 主权项 (the first independent claim), 权利要求书 (the claims, split). Full-width
  brackets and blanks in header names are ignored. Files saved by Chinese Excel in GB18030
  are decoded as such.
* ``publication_numbers, patent_title, true_subclasses_all, fold`` (CN titles + IPC
  subclasses; its upstream ``patent_ipc_clean.csv`` adds ``patent_abstract``, ``ipc_codes``,
  ``ipc_subclasses``…). ``publication_numbers`` may list several ``|``-separated publications
  sharing the text: each becomes its own record (same title and classes).
* ``publication_number, text, labels, n_labels`` (CN abstracts + CPC subgroups): ``text`` is
  ``Title: …\\nKeywords: …\\nAbstract: …`` or ``title [SEP] keywords [SEP] abstract``; ``labels`` a
  JSON list of CPC symbols. The real files end in hundreds of empty ``,,,`` padding rows:
  skipped silently.

Titles and abstracts keep their original text (no script folding) under the language
:func:`ipai.text.lang.detect` finds (``zh`` for these files). Values with no place in the model
(``fold``, the English ``Keywords``, ``n_labels``) are dropped.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator

from pydantic import ValidationError

from ipai.errors import RecordError
from ipai.ingest.base import Item, Reader, Source
from ipai.ingest.readers._csvrows import CsvTable, detect_encoding, sniff_header
from ipai.ingest.util import validation_message
from ipai.model import (
    Claim,
    Classification,
    DocRef,
    PatentDocument,
    doc_type_for,
    normalize_appno,
    normalize_ipc,
    parse_date,
    parse_pubno,
    parties,
)
from ipai.model.classification import Scheme
from ipai.text.claims import split_claims
from ipai.text.lang import detect

# normalised header name → role
ROLES: dict[str, str] = {
    # Chinese export headers
    "公开(公告)号": "number",
    "公开公告号": "number",
    "公开号": "number",
    "公告号": "number",
    "公布号": "number",
    "授权公告号": "number",
    "公开(公布)号": "number",
    "文献号": "number",
    "申请号": "appno",
    "申请日": "filing",
    "公开(公告)日": "pubdate",
    "公开公告日": "pubdate",
    "公开日": "pubdate",
    "公告日": "pubdate",
    "公布日": "pubdate",
    "公开(公布)日": "pubdate",
    "授权公告日": "grantdate",
    "授权日": "grantdate",
    "标题": "title",
    "发明名称": "title",
    "名称": "title",
    "专利名称": "title",
    "中文标题": "title",
    "标题(中文)": "title",
    "实用新型名称": "title",
    "摘要": "abstract",
    "中文摘要": "abstract",
    "摘要(中文)": "abstract",
    "申请(专利权)人": "applicants",
    "申请人": "applicants",
    "申请人名称": "applicants",
    "专利权人": "assignees",
    "当前权利人": "assignees",
    "发明(设计)人": "inventors",
    "发明人": "inventors",
    "设计人": "inventors",
    "代理人": "agents",
    "代理机构": "agents",
    "专利代理机构": "agents",
    "ipc主分类号": "ipc_main",
    "主分类号": "ipc_main",
    "ipc分类号": "ipc",
    "分类号": "ipc",
    "ipc": "ipc",
    "cpc分类号": "cpc",
    "cpc": "cpc",
    "主权项": "main_claim",
    "首项权利要求": "main_claim",
    "权利要求": "claims",
    "权利要求书": "claims",
    # dataset headers (English)
    "publication_number": "number",
    "publication_numbers": "numbers",
    "patent_title": "title",
    "patent_abstract": "abstract",
    "true_subclasses_all": "ipc_subclasses",
    "ipc_subclasses": "ipc_subclasses",
    "ipc_codes": "ipc",
    "text": "compound",
    "labels": "cpc",
}
_CHINESE_NUMBER = {k for k, v in ROLES.items() if v == "number" and not k.isascii()}
_TITLES_SET = {"publication_numbers", "patent_title"}
_ABSTRACTS_SET = {"publication_number", "text", "labels", "n_labels"}

_HDR_TRANS = str.maketrans({"（": "(", "）": ")", "【": "(", "】": ")", " ": None, "\u3000": None})
_NAMES_SEP = re.compile(r"\s*[;；|\n]\s*")
_CODES_SEP = re.compile(r"\s*[;；|,，\n]\s*")
_CN_DATE = re.compile(r"^(\d{4})\s*[./年-]\s*(\d{1,2})\s*[./月-]\s*(\d{1,2})\s*日?")
_COMPOUND = re.compile(
    r"^\s*Title:\s*(?P<title>.*?)\s*(?:\n\s*Keywords:.*?)?\n\s*Abstract:\s*(?P<abstract>.*)$", re.DOTALL
)


def role_header(header: list[str]) -> list[str | None]:
    """The role of each column of a normalised header (``None`` for unknown columns)."""
    return [ROLES.get(h.translate(_HDR_TRANS)) for h in header]


def is_cnipa_header(header: list[str]) -> bool:
    """True for a Chinese export header with a publication number, or one of the CN dataset layouts."""
    cols = {h.translate(_HDR_TRANS) for h in header}
    if cols & _CHINESE_NUMBER:
        roles = {r for r in role_header(header) if r}
        return len(roles) >= 2
    return (
        cols >= _TITLES_SET
        and bool(cols & {"true_subclasses_all", "ipc_subclasses", "ipc_codes"})
        or cols >= _ABSTRACTS_SET
    )


def cn_date(value: str) -> dt.date | None:
    """Dates as Chinese exports write them: 2021-06-30, 2021.06.30, 2021/6/30, 2021年6月30日, 20210630."""
    v = value.strip()
    if not v:
        return None
    m = _CN_DATE.match(v)
    if m:
        return parse_date(f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}")
    return parse_date(v)


def split_compound(text: str) -> tuple[str, str]:
    """(title, abstract) of a ``Title:/Keywords:/Abstract:`` or ``[SEP]``-joined text."""
    t = text.strip()
    m = _COMPOUND.match(t)
    if m:
        return m.group("title").strip(), m.group("abstract").strip()
    if "[SEP]" in t:
        parts = [p.strip() for p in t.split("[SEP]")]
        return parts[0], parts[-1] if len(parts) > 1 else ""
    return "", t


def code_list(value: str) -> list[str]:
    """Classification symbols of a cell: JSON list (``["G06F30/23"]``) or separated text."""
    v = value.strip()
    if not v:
        return []
    if v.startswith("["):
        try:
            data = json.loads(v)
            if isinstance(data, list):
                return [str(x).strip() for x in data if str(x).strip()]
        except ValueError:
            v = v.strip("[]").replace('"', "").replace("'", "")
    return [x for x in _CODES_SEP.split(v) if x]


class CnipaCsvReader(Reader):
    """CNIPA / incoPat-style CSV exports and CN patent datasets (titles, abstracts, IPC/CPC)."""

    name = "cnipa-csv"
    description = (
        "CNIPA-style CSV exports of Chinese patents (Chinese or dataset headers: "
        "numbers, titles, abstracts, IPC/CPC)"
    )
    priority = 50

    def sniff(self, source: Source) -> int:
        found = sniff_header(source, detect_encoding(source))
        if not found:
            return 0
        return 85 if is_cnipa_header(found[0]) else 0

    def read(self, source: Source) -> Iterator[Item]:
        enc = detect_encoding(source)
        found = sniff_header(source, enc)
        table = CsvTable(source, delimiter=found[1] if found else ",", encoding=enc)
        mapper: _Mapper | None = None
        for row in table.rows():
            if mapper is None:
                mapper = _Mapper(table.header)
                if mapper.number is None:
                    yield Item(f"row {row.num}", error="not a CNIPA export: no publication number column")
                    return
            loc = f"row {row.num}"
            if row.cells is None:
                yield Item(loc, error=row.error)
                continue
            try:
                numbers = mapper.numbers(row.cells)
                docs = [mapper.record(row.cells, n) for n in numbers]
            except RecordError as exc:
                yield Item(loc, error=str(exc))
                continue
            except ValidationError as exc:
                yield Item(loc, error=validation_message(exc))
                continue
            for raw, doc in zip(numbers, docs, strict=False):
                yield Item(f"{loc} ({raw})", record=doc)


class _Mapper:
    """Column positions by role for one header, and the row → record mapping."""

    def __init__(self, header: list[str]) -> None:
        self.cols: dict[str, list[int]] = {}
        for i, role in enumerate(role_header(header)):
            if role:
                self.cols.setdefault(role, []).append(i)
        self.multi = "number" not in self.cols and "numbers" in self.cols
        self.number_cols = self.cols.get("numbers" if self.multi else "number", [])
        self.number = self.number_cols[0] if self.number_cols else None

    def get(self, cells: list[str], role: str) -> str:
        """First non-empty cell of a role."""
        for i in self.cols.get(role, ()):
            v = cells[i].strip()
            if v:
                return v
        return ""

    def numbers(self, cells: list[str]) -> list[str]:
        """The publication number(s) of a row; :class:`RecordError` when there is none."""
        raw = self.get(cells, "numbers" if self.multi else "number")
        nums = [n for n in _NAMES_SEP.split(raw) if n] if self.multi else ([raw] if raw else [])
        if not nums:
            raise RecordError("no publication number")
        return nums

    def record(self, cells: list[str], raw_number: str) -> PatentDocument:
        """The record of one publication of a row."""
        pubno = parse_pubno(raw_number) if raw_number[:2].isalpha() else parse_pubno(raw_number, country="CN")
        title, abstract = self.get(cells, "title"), self.get(cells, "abstract")
        compound = self.get(cells, "compound")
        if compound:
            t, a = split_compound(compound)
            title, abstract = title or t, abstract or a
        titles = {detect(title, default="zh"): title} if title else {}
        abstracts = {detect(abstract, default="zh"): abstract} if abstract else {}
        filing = cn_date(self.get(cells, "filing"))
        appno = self.get(cells, "appno")
        return PatentDocument(
            pubno=pubno,
            doc_type=doc_type_for(pubno),
            lang="zh" if pubno.country == "CN" else None,
            titles=titles,
            abstracts=abstracts,
            filing_date=filing,
            publication_date=cn_date(self.get(cells, "pubdate")),
            grant_date=cn_date(self.get(cells, "grantdate")),
            application=DocRef(country=pubno.country, number=normalize_appno(appno), date=filing)
            if appno
            else None,
            classifications=self.classes(cells),
            applicants=parties(_NAMES_SEP.split(self.get(cells, "applicants"))),
            assignees=parties(_NAMES_SEP.split(self.get(cells, "assignees"))),
            inventors=parties(_NAMES_SEP.split(self.get(cells, "inventors")), kind="person"),
            agents=parties([n for i in self.cols.get("agents", ()) for n in _NAMES_SEP.split(cells[i])]),
            claims=self.claims(cells),
        )

    def classes(self, cells: list[str]) -> list[Classification]:
        """IPC (main first), IPC subclasses and CPC symbols, normalised, without repeats."""
        out: list[Classification] = []
        seen: set[tuple[str, str]] = set()
        columns: tuple[tuple[str, Scheme, bool], ...] = (
            ("ipc_main", "ipc", True),
            ("ipc", "ipc", False),
            ("ipc_subclasses", "ipc", False),
            ("cpc", "cpc", False),
        )
        for role, scheme, main in columns:
            for raw in code_list(self.get(cells, role)):
                code = normalize_ipc(raw)
                if code and (scheme, code) not in seen:
                    seen.add((scheme, code))
                    out.append(Classification(scheme=scheme, code=code, main=main))
        return out

    def claims(self, cells: list[str]) -> list[Claim]:
        """All claims (权利要求书, split) or else the main claim (主权项) as claim 1."""
        blob = self.get(cells, "claims")
        if blob:
            lang = detect(blob, default="zh")
            return [
                Claim(num=c.num, text=c.text, lang=lang, independent=c.independent, depends_on=c.depends_on)
                for c in split_claims(blob, lang=lang)
            ]
        main = self.get(cells, "main_claim")
        if main:
            main = re.sub(r"^\s*1\s*[.．、]\s*", "", main)
            return [Claim(num=1, text=main, lang=detect(main, default="zh"))]
        return []
