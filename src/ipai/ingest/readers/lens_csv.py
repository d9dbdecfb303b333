"""Lens.org CSV exports (``lens-csv``) and their hand-cleaned analyst variant (``lens-csv-cleaned``).

Raw exports have the header ``#, Jurisdiction, Kind, Publication Number, Lens ID, Publication
Date, … CPC Classifications, IPCR Classifications, US Classifications, …, Non-Patent Citations``
with ``;;`` between values (exports as Lens writes them today have no ``Kind`` column — the kind
is in the ``Display Key`` — and write each owner with the date it became owner,
``TOSHIBA TEC KABUSHIKI KAISHA (2022-11-01)``: the date is dropped from the name); older ones were saved by Excel on a Mac (``\\r`` line ends, Mac Roman,
``dd/mm/yy`` dates), newer ones are UTF-8 with ISO dates. The cleaned variant
(``publication_number, applicants_use_me, cpc_codes_useme…``, ``; `` separators) is a separate
format: another vocabulary, derived columns, and a second-hand source that should not outrank
the export it was made from.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from ipai.ingest.base import Item, Reader, Source, build_item
from ipai.ingest.limits import RecordTooLarge
from ipai.ingest.readers._biblio_export import (
    class_list,
    csv_rows,
    dmy_date,
    docref_from_key,
    earliest,
    head_header,
    lens_doc_type,
    lens_id,
    party_list,
    pubno_of,
    split,
    titles,
    try_pubno,
)
from ipai.ingest.util import clean, to_int
from ipai.model import Citation, PatentDocument
from ipai.text.lang import detect

_OWNER_SINCE = re.compile(r"\s*\(\d{4}-\d{2}-\d{2}\)\s*$")  # "TOSHIBA TEC KK (2022-11-01)": owner since
_LENS_COLUMNS: dict[str, tuple[str, ...]] = {
    "hash": ("#",),
    "jurisdiction": ("Jurisdiction",),
    "kind": ("Kind",),
    "pubno": ("Publication Number", "Display Key"),
    "lens_id": ("Lens ID",),
    "pub_date": ("Publication Date",),
    "pub_year": ("Publication Year",),
    "app_no": ("Application Number",),
    "app_date": ("Application Date",),
    "priorities": ("Priority Numbers",),
    "priority_date": ("Earliest Priority Date",),
    "title": ("Title",),
    "abstract": ("Abstract",),
    "applicants": ("Applicants",),
    "inventors": ("Inventors",),
    "owners": ("Owners",),
    "url": ("URL",),
    "type": ("Type", "Document Type"),
    "cited": ("Cited Count", "Cited by Patent Count"),
    "family_size": ("Simple Family Size",),
    "extended_family_size": ("Extended Family Size",),
    "family_members": ("Simple Family Members",),
    "cpc": ("CPC Classifications",),
    "ipc": ("IPCR Classifications",),
    "us": ("US Classifications",),
    "npl": ("Non-Patent Citations", "NPL Citations"),
}

_CLEANED_COLUMNS: dict[str, tuple[str, ...]] = {
    "jurisdiction": ("publication_country_code",),
    "pubno": ("publication_number",),
    "pub_date": ("publication_date",),
    "pub_year": ("publication_year",),
    "priorities": ("priority_numbers",),
    "title": ("title",),
    "applicants": ("applicants_use_me",),
    "inventors": ("inventors_useme",),
    "url": ("url",),
    "cited": ("cited_count",),
    "extended_family_size": ("extended_family_size",),
    "cpc": ("cpc_codes_useme",),
    "ipc": ("ipc_codes",),
    "npl": ("non_patent_citations",),
}


class _LensCsvBase(Reader):
    """Row → :class:`PatentDocument` mapping shared by both Lens CSV layouts."""

    columns: ClassVar[dict[str, tuple[str, ...]]] = {}
    required: ClassVar[tuple[frozenset[str], ...]] = ()  # every set must meet the header
    sep: ClassVar[str] = ";;"
    skip_space: ClassVar[bool] = False

    def sniff(self, source: Source) -> int:
        rows = head_header(source, skipinitialspace=self.skip_space)
        if not rows:
            return 0
        cols = set(rows[0])
        return 85 if all(req & cols for req in self.required) else 0

    def read(self, source: Source) -> Iterator[Item]:
        rows = csv_rows(source, skipinitialspace=self.skip_space)
        first = next(rows, [])
        if isinstance(first, RecordTooLarge):
            yield Item("header", error=str(first))
            return
        header = [clean(h) for h in first]
        if not header:
            return
        idx = {}
        for field, names in self.columns.items():
            for name in names:
                if name in header:
                    idx[field] = header.index(name)
                    break
        if "pubno" not in idx:
            yield Item("header", error=f"no publication number column in header {header[:6]}…")
            return
        width = len(header)
        for n, row in enumerate(rows, 1):
            if isinstance(row, RecordTooLarge):
                yield Item(f"row {n}", error=str(row))
                continue
            if not row or not any(c.strip() for c in row):
                continue
            hashno = clean(row[idx["hash"]]) if "hash" in idx and len(row) > idx["hash"] else ""
            loc = f"row {n} (#{hashno})" if hashno else f"row {n}"
            if len(row) != width:
                yield Item(
                    loc,
                    error=f"expected {width} fields, found {len(row)} "
                    f"(a broken quote or separator in the row)",
                )
                continue
            fields = {f: row[i] for f, i in idx.items()}
            item = build_item(loc, lambda: self._document(fields))
            rec = item.record
            yield Item(f"row {n} ({rec.pubno})", record=rec) if isinstance(rec, PatentDocument) else item

    def _document(self, f: dict[str, str]) -> PatentDocument:
        sep = self.sep
        pubno = pubno_of(f["pubno"], f.get("jurisdiction"), f.get("kind"))
        pub_year = to_int(f.get("pub_year"))
        pub_date = dmy_date(f.get("pub_date", ""), year=pub_year)
        app_date = dmy_date(f.get("app_date", ""), not_after=pub_date)
        application = docref_from_key(f.get("app_no", ""))
        if application is not None and app_date:
            application = application.model_copy(update={"date": app_date})
        priorities = [r for r in map(docref_from_key, split(f.get("priorities"), sep)) if r]
        priority_date = dmy_date(f.get("priority_date", ""), not_after=pub_date) or earliest(priorities)
        members = [p.doc_id for p in map(try_pubno, split(f.get("family_members"), sep)) if p]
        abstract = clean(f.get("abstract"))
        lid = lens_id(f.get("lens_id"), f.get("url"))
        url = clean(f.get("url"))
        return PatentDocument(
            pubno=pubno,
            doc_type=lens_doc_type(pubno, f.get("type")),
            application=application,
            priorities=priorities,
            filing_date=app_date,
            publication_date=pub_date,
            priority_date=priority_date,
            titles=titles(f.get("title")),
            abstracts={detect(abstract): abstract} if abstract else {},
            classifications=class_list(
                split(f.get("cpc"), sep), split(f.get("ipc"), sep), split(f.get("us"), sep)
            ),
            applicants=party_list(split(f.get("applicants"), sep)),
            inventors=party_list(split(f.get("inventors"), sep)),
            assignees=party_list(_OWNER_SINCE.sub("", o) for o in split(f.get("owners"), sep)),
            citations=[Citation(kind="npl", text=t) for t in split(f.get("npl"), sep)],
            family_members=[m for m in dict.fromkeys(members) if m != pubno.doc_id],
            cited_by_count=to_int(f.get("cited")),
            family_size=to_int(f.get("family_size")),
            extended_family_size=to_int(f.get("extended_family_size")),
            ids={"lens": lid} if lid else {},
            urls=[url] if url else [],
        )


class LensCsv(_LensCsvBase):
    """Lens.org patent search results exported as CSV."""

    name = "lens-csv"
    description = "Lens.org CSV export (#, Jurisdiction, [Kind,] Publication Number or Display Key, Lens ID, …; ';;' lists)"
    priority = 40
    columns = _LENS_COLUMNS
    required = (  # no Kind: today's exports give the kind inside the Display Key only
        frozenset({"Jurisdiction"}),
        frozenset({"Publication Number", "Display Key"}),
        frozenset({"Publication Date"}),
        frozenset({"Application Number"}),
        frozenset({"Priority Numbers"}),
        frozenset({"Simple Family Size", "Lens ID"}),
    )


class LensCsvCleaned(_LensCsvBase):
    """A Lens CSV export cleaned by an analyst (snake_case columns, '; ' lists)."""

    name = "lens-csv-cleaned"
    description = (
        "Hand-cleaned Lens.org CSV (publication_number, applicants_use_me, cpc_codes_useme, …; '; ' lists)"
    )
    priority = 38  # derived from a Lens export: the raw export wins where both have a field
    columns = _CLEANED_COLUMNS
    required = tuple(
        frozenset({c})
        for c in (
            "publication_number",
            "publication_date",
            "applicants_use_me",
            "inventors_useme",
            "cpc_codes_useme",
            "priority_numbers",
        )
    )
    sep = ";"
    skip_space = True
