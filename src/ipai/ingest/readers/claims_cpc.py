"""US claims with CPC labels (PatentSBERTa training data, built from PatentsView tables).

Two header layouts, one reader:

* one-hot (``df_claim_cpc_train.csv``): ``id`` (US grant number), ``date`` (grant date),
  ``text`` (the claims text), then one column per CPC subclass (``A01B`` … ``Y10T``) holding 1
  when the patent carries that subclass. In the real file every ``text`` is claim 1 only, with
  its number (``1. A method …``); :func:`split_claims` cuts it, so a row with several claims
  would load them all (:func:`claims_of` guards the one real text it would mis-split). The 1-columns become ``cpc`` classifications at subclass level.
  Leading pandas index columns (``""``, ``Unnamed: 0``…) are ignored.
* list-literal (``df_claim_cpc_1400.csv``): ``patent_id``, ``section_id``, ``subsection_id``,
  ``group_id``, ``subgroup_id``, ``category``, ``sequence``, ``text``, ``uuid``, the list
  columns as Python literals (``['Y10T74/18288']``) — one row of PatentsView's
  ``cpc_current`` table joined with the patent's claim text. Each list holds one entry: the
  row gives *one* of the patent's CPC symbols (often an ``additional`` one, ``sequence`` 4),
  not its full classification, and ``main`` is set only for ``sequence`` 0 (the first CPC of
  the grant). Lists are read with :func:`ast.literal_eval` (literals only, never code) and,
  when that fails, by splitting the text at commas.

Which claim the list-literal ``text`` is: PatentSBERTa works on the first claim (its training
file keeps the ``1. `` prefix, which its preprocessing strips with ``text.str[3:]``); the 1400
file's texts carry no number, none refers to another claim, and each patent appears once, so
the text is stored as ``Claim(num=1)`` — independent claim 1 — rather than left unnumbered.
A full-text source (USPTO XML, priority 100) replaces it when both are loaded.

The 1400 file is not clean UTF-8 (it already holds U+FFFD pairs where quotes and degree signs
were lost upstream, plus some undecodable bytes): the text is decoded with ``errors='replace'``
and loads with the replacement characters in place.
"""

from __future__ import annotations

import ast
import operator
import re
from collections.abc import Iterator
from functools import partial
from itertools import compress

from ipai.errors import RecordError
from ipai.ingest.base import Item, Reader, Source, build_item
from ipai.ingest.readers._csvrows import CsvTable, cell, index_of, sniff_header
from ipai.model import (
    Claim,
    Classification,
    PatentDocument,
    PubNo,
    doc_type_for,
    normalize_ipc,
    parse_date,
    parse_pubno,
)
from ipai.text.claims import split_claims

_SUBCLASS_COL = re.compile(r"^[a-hy]\d\d[a-z]$")
_LIST_COLS = {"patent_id", "subgroup_id", "text"}
_CLAIM1_PREFIX = re.compile(r"^\s*1\s*[.)]\s*")
_CLAIM2 = re.compile(r"(?<!\d)2\s*(?:[.．、)）]|:)")  # where a claim 2 could start
_ONE = {"1", "1.0", "true", "True", "TRUE"}
_MAX_LITERAL = 10_000


def layout_of(header: list[str]) -> str | None:
    """``onehot``, ``lists`` or ``None`` for a normalised header."""
    cols = set(header)
    if {"id", "text"} <= cols and sum(1 for c in header if _SUBCLASS_COL.match(c)) >= 20:
        return "onehot"
    if cols >= _LIST_COLS and ("group_id" in cols or "section_id" in cols):
        return "lists"
    return None


def _ws(text: str) -> str:
    """Whitespace collapsed (like :func:`ipai.ingest.util.clean`, several times faster)."""
    return " ".join(text.split())


def claims_of(text: str) -> list[Claim]:
    """Claims of a claims text; a split whose later "claims" do not start like claims is undone.

    In the real file one text (row 91, US8487077) holds claim 1 only but reads
    ``…Kryptofix-2. 2 complex salt…``: a numbered split would invent a claim 2. Claims after
    the first start with a capital letter ("The method of claim 1…", "A system…"); when one
    does not, the whole text is claim 1 (its ``1.`` prefix removed).
    """
    if not _CLAIM2.search(text):  # fast path: a lone claim 1 (claim 1 depends on nothing)
        body = _CLAIM1_PREFIX.sub("", text, count=1)
        return [Claim(num=1, text=body, lang="en")] if body else []
    parts = split_claims(text, lang="en")
    if len(parts) > 1 and not all(p.text[:1].isupper() for p in parts[1:]):
        body = _CLAIM1_PREFIX.sub("", text, count=1)
        return [Claim(num=1, text=body, lang="en")] if body else []
    return [
        Claim(num=p.num, text=p.text, lang="en", independent=p.independent, depends_on=p.depends_on)
        for p in parts
    ]


def parse_list(value: str) -> list[str]:
    """A Python list literal cell (``['Y10T74/18288']``) as strings; tolerant of broken cells."""
    s = (value or "").strip()
    if not s:
        return []
    if len(s) <= _MAX_LITERAL:
        try:
            v = ast.literal_eval(s)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            v = None
        if isinstance(v, (list, tuple)):
            return [str(x).strip() for x in v if x is not None and str(x).strip()]
        if isinstance(v, (str, int)):
            return [str(v).strip()]
    tokens = (t.strip().strip("'\"").strip() for t in re.split(r"[,;]", s.strip("[]() ")))
    return [t for t in tokens if t]


class ClaimsCpcReader(Reader):
    """PatentSBERTa-style claims + CPC CSVs (one-hot subclass columns or list-literal columns)."""

    name = "claims-cpc-csv"
    description = (
        "US claims with CPC labels (PatentSBERTa CSVs: one-hot subclass columns "
        "or PatentsView cpc list columns)"
    )
    priority = 45

    def sniff(self, source: Source) -> int:
        found = sniff_header(source)
        if not found or found[1] != ",":
            return 0
        return 90 if layout_of(found[0]) else 0

    def read(self, source: Source) -> Iterator[Item]:
        table = CsvTable(source, delimiter=",")
        mapper: _OneHot | _Lists | None = None
        for row in table.rows():
            if mapper is None:
                layout = layout_of(table.header)
                if layout is None:
                    yield Item(f"row {row.num}", error="not a claims-CPC table: no id/text and CPC columns")
                    return
                mapper = _OneHot(table.header) if layout == "onehot" else _Lists(table.header)
            loc = f"row {row.num}"
            if row.cells is None:
                yield Item(loc, error=row.error)
                continue
            yield build_item(loc, partial(mapper.record, row.cells), lambda d: f"US{d.pubno.number}")


def _pubno(raw: str) -> PubNo:
    """US grant number of a row; :class:`RecordError` when the cell is empty or not a number."""
    if not raw:
        raise RecordError("no patent number")
    return parse_pubno(raw, country="US")


class _OneHot:
    """``id, date, text, A01B, A01C, …`` rows."""

    def __init__(self, header: list[str]) -> None:
        self.id = index_of(header, "id")
        self.date = index_of(header, "date")
        self.text = index_of(header, "text")
        cpc = [(i, c.upper()) for i, c in enumerate(header) if _SUBCLASS_COL.match(c)]
        self.codes = [c for _, c in cpc]
        self.values = operator.itemgetter(*(i for i, _ in cpc))  # C-speed column pick (660 cells)

    def record(self, cells: list[str]) -> PatentDocument:
        """Claim(s) and CPC subclasses of one patent."""
        pubno = _pubno(cell(cells, self.id))
        date = parse_date(cell(cells, self.date))
        claims = claims_of(_ws(cell(cells, self.text)))
        classes = [
            Classification(scheme="cpc", code=code)
            for code in compress(self.codes, map(_ONE.__contains__, self.values(cells)))
        ]
        return PatentDocument(
            pubno=pubno,
            doc_type=doc_type_for(pubno),
            lang="en",
            publication_date=date,
            grant_date=date,
            claims=claims,
            classifications=classes,
        )


class _Lists:
    """``patent_id, section_id, …, subgroup_id, category, sequence, text, uuid`` rows."""

    def __init__(self, header: list[str]) -> None:
        self.id = index_of(header, "patent_id")
        self.subgroup = index_of(header, "subgroup_id")
        self.group = index_of(header, "group_id")
        self.sequence = index_of(header, "sequence")
        self.text = index_of(header, "text")

    def record(self, cells: list[str]) -> PatentDocument:
        """Claim 1 and the CPC symbol(s) of one cpc_current row."""
        pubno = _pubno(cell(cells, self.id))
        symbols = parse_list(cell(cells, self.subgroup)) or parse_list(cell(cells, self.group))
        seqs = parse_list(cell(cells, self.sequence))
        classes: list[Classification] = []
        seen: set[str] = set()
        for i, raw in enumerate(symbols):
            code = normalize_ipc(raw)
            if code and code not in seen:
                seen.add(code)
                classes.append(Classification(scheme="cpc", code=code, main=i < len(seqs) and seqs[i] == "0"))
        text = _ws(cell(cells, self.text))
        claims = [Claim(num=1, text=text, lang="en")] if text else []
        return PatentDocument(
            pubno=pubno, doc_type=doc_type_for(pubno), lang="en", claims=claims, classifications=classes
        )
