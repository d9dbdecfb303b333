"""PatentsView exports of US grants: query/API CSV exports and the bulk ``g_*.tsv`` tables.

Layouts, told apart by their header:

* query / API export CSV — ``patent_number`` (or ``patent_id``), ``patent_date``,
  ``patent_title``, ``patent_abstract``; optional ``patent_kind``, ``patent_type``, ``app_date``,
  ``app_number``. The kind code is not given: the publication number is stored without one and
  :attr:`PubNo.doc_id` infers the kind letter (A before 2001, B after), never a full kind code.
* bulk ``g_patent.tsv`` — ``patent_id``, ``patent_type``, ``patent_date``, ``patent_title``,
  (``patent_abstract`` in early releases), ``wipo_kind`` (used as the kind code), ``num_claims``,
  ``withdrawn``, ``filename``; ``g_patent_abstract.tsv`` — ``patent_id``, ``patent_abstract``;
  ``g_application.tsv`` — ``application_id``, ``patent_id``, ``filing_date``… (the filing of
  each grant); the pre-2022 ``patent.tsv`` — ``id``, ``type``, ``number``, ``country``, ``date``,
  ``abstract``, ``title``, ``kind``, ``num_claims``…

Each row becomes one (possibly partial) US grant record; the store merges the tables of one
patent by publication number. The tables with several rows per patent — legacy ``rawinventor``,
``rawassignee``, ``claims_YYYY``, ``cpc_current``, ``ipcr``, ``uspatentcitation``,
``foreigncitation``, ``otherreference``, ``foreign_priority``, ``application`` and their current
``g_*`` counterparts — are joined by ``patent_id`` first (:mod:`._pv_tables`): one record per
patent and table.

Data quirk: the query exports double-quote some titles and abstracts a second time — after CSV
parsing the value still reads ``"A ""Barometer"" neuron …"`` (outer quotes plus doubled inner
quotes, often with padding blanks inside). Such an artefact is undone only when every inner quote
is doubled, so a title that really starts and ends with a quotation keeps it.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from ipai.errors import RecordError
from ipai.ingest.base import Item, Reader, Source, build_item
from ipai.ingest.messages import say
from ipai.ingest.readers._csvrows import CsvTable, cell, index_of, sniff_header
from ipai.ingest.readers._pv_tables import read_table, table_of
from ipai.model import (
    DocRef,
    LegalEvent,
    PatentDocument,
    doc_type_for,
    normalize_appno,
    parse_date,
    parse_pubno,
)

_NUMBER = ("patent_number", "patent_id")
_TEXT_COLS = {"patent_title", "patent_abstract"}
_LEGACY = {"id", "type", "number", "country", "date", "abstract", "title", "kind"}
_APPLICATION = {"application_id", "patent_id", "filing_date"}


def layout_of(header: list[str]) -> str | None:
    """Which PatentsView layout a normalised header is: patent, application, legacy or None."""
    cols = set(header)
    if cols >= _APPLICATION and not cols & _TEXT_COLS:
        return "application"
    if cols >= _LEGACY:
        return "legacy"
    if cols & set(_NUMBER) and cols & _TEXT_COLS:
        return "patent"
    return None


def unquote_artefact(text: str) -> str:
    """Undo a second level of CSV quoting (``"a ""b"" c"`` → ``a "b" c``), else return as is."""
    if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
        inner = text[1:-1]
        if '"' not in inner.replace('""', ""):
            return inner.replace('""', '"')
    return text


def _text(value: str) -> str:
    """Title/abstract cell: quoting artefact undone, whitespace collapsed (str.split: 3x a regex)."""
    return " ".join(unquote_artefact(value.strip()).split()) if value else ""


class PatentsViewReader(Reader):
    """PatentsView query-export CSV and bulk TSV tables (US grants)."""

    name = "patentsview-csv"
    description = (
        "PatentsView exports: query/API CSV (number, date, title, abstract), bulk "
        "g_patent/g_application TSV, legacy patent.tsv and the per-patent tables joined by patent_id"
    )
    priority = 50

    def sniff(self, source: Source) -> int:
        found = sniff_header(source)
        if not found:
            return 0
        return 90 if layout_of(found[0]) or table_of(found[0]) else 0

    def read(self, source: Source) -> Iterator[Item]:
        found = sniff_header(source)
        delim = found[1] if found else ","
        if found and not layout_of(found[0]) and (spec := table_of(found[0])):
            yield from read_table(source, delim, spec)  # several rows per patent: joined by patent_id
            return
        table = CsvTable(source, delimiter=delim)
        rows = table.rows()
        mapper: _Mapper | None = None
        for row in rows:
            if mapper is None:
                mapper = _Mapper(table.header)
                if mapper.layout is None:
                    yield Item(
                        f"row {row.num}", error=say("pv.not_table", columns=", ".join(table.header[:8]))
                    )
                    return
            loc = f"row {row.num}"
            if row.cells is None:
                yield Item(loc, error=row.error)
                continue
            yield build_item(
                loc,
                partial(mapper.record, row.cells),
                lambda d: f"{d.pubno.country}{d.pubno.number}{d.pubno.kind}",
            )


class _Mapper:
    """Column positions of one header, and the row → record mapping."""

    def __init__(self, header: list[str]) -> None:
        self.layout = layout_of(header)
        legacy = self.layout == "legacy"
        self.num = index_of(header, "number") if legacy else index_of(header, *_NUMBER)
        self.country = index_of(header, "country") if legacy else None
        self.title = index_of(header, "title" if legacy else "patent_title")
        self.abstract = index_of(header, "abstract" if legacy else "patent_abstract")
        self.date = index_of(header, "date" if legacy else "patent_date")
        self.kind = index_of(header, "kind" if legacy else "wipo_kind", "patent_kind")
        self.type = index_of(header, "type" if legacy else "patent_type")
        self.withdrawn = index_of(header, "withdrawn")
        self.app_id = index_of(header, "application_id", "app_number")
        self.filing = index_of(header, "filing_date", "app_date")

    def record(self, cells: list[str]) -> PatentDocument:
        """The (partial) grant record of one row; :class:`RecordError` without a number."""
        raw = cell(cells, self.num)
        if not raw:
            raise RecordError("no patent number")
        country = cell(cells, self.country) or "US"
        kind = cell(cells, self.kind) or None
        pubno = parse_pubno(raw, country=country, kind=kind)
        date = parse_date(cell(cells, self.date))
        filing = parse_date(cell(cells, self.filing))
        title = _text(cell(cells, self.title))
        abstract = _text(cell(cells, self.abstract))
        app = cell(cells, self.app_id)
        withdrawn = cell(cells, self.withdrawn) in ("1", "true", "True", "TRUE")
        return PatentDocument(
            pubno=pubno,
            doc_type=doc_type_for(pubno, cell(cells, self.type) or None),
            lang="en",
            publication_date=date,
            grant_date=date,
            filing_date=filing,
            application=DocRef(country="US", number=normalize_appno(app), date=filing) if app else None,
            titles={"en": title} if title else {},
            abstracts={"en": abstract} if abstract else {},
            legal_events=[
                LegalEvent(
                    code="withdrawn", country="US", description="patent withdrawn before issue (PatentsView)"
                )
            ]
            if withdrawn
            else [],
        )
