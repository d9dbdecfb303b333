"""The one domain model of ipai: patents, trademarks, parties and their parts.

Readers map source fields into these records; every scenario reads them. The canonical
JSONL format (``ipai export --format jsonl``) is exactly ``Record.model_dump_json()`` per line.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, TypeAdapter

from ipai.model.classification import (
    Classification,
    normalize_ipc,
    normalize_locarno,
    normalize_vienna,
)
from ipai.model.dates import parse_date, parse_partial_date
from ipai.model.numbers import PubNo, normalize_appno, parse_pubno, try_parse_pubno
from ipai.model.party import Party, make_party, parties
from ipai.model.patent import (
    Citation,
    Claim,
    Description,
    DocRef,
    ImageRef,
    LegalEvent,
    Paragraph,
    PatentDocument,
    doc_type_for,
)
from ipai.model.trademark import Trademark

Record = Annotated[PatentDocument | Trademark, Field(discriminator="record_type")]
RECORD_ADAPTER: TypeAdapter[PatentDocument | Trademark] = TypeAdapter(Record)


def dump_record(rec: PatentDocument | Trademark) -> str:
    """Canonical compact JSON of a record: defaults omitted, ``record_type`` first, UTF-8 text."""
    body = rec.model_dump_json(exclude_defaults=True)
    head = f'{{"record_type":"{rec.record_type}"'
    return head + "}" if body == "{}" else head + "," + body[1:]


def load_record(text: str | bytes) -> PatentDocument | Trademark:
    """Parse one canonical JSON record (raises pydantic ``ValidationError`` on bad input)."""
    return RECORD_ADAPTER.validate_json(text)


def load_patent(text: str | bytes) -> PatentDocument:
    """Parse canonical JSON that must be a patent document (a trademark is a ``ValueError``)."""
    rec = load_record(text)
    if not isinstance(rec, PatentDocument):
        raise ValueError(f"expected a patent document, got a {rec.record_type} record")
    return rec


def load_trademark(text: str | bytes) -> Trademark:
    """Parse canonical JSON that must be a trademark (a patent document is a ``ValueError``)."""
    rec = load_record(text)
    if not isinstance(rec, Trademark):
        raise ValueError(f"expected a trademark, got a {rec.record_type} record")
    return rec


__all__ = [
    "Citation",
    "Claim",
    "Classification",
    "Description",
    "DocRef",
    "ImageRef",
    "LegalEvent",
    "Paragraph",
    "Party",
    "PatentDocument",
    "PubNo",
    "Record",
    "Trademark",
    "doc_type_for",
    "dump_record",
    "load_patent",
    "load_record",
    "load_trademark",
    "make_party",
    "normalize_appno",
    "normalize_ipc",
    "normalize_locarno",
    "normalize_vienna",
    "parse_date",
    "parse_partial_date",
    "parse_pubno",
    "parties",
    "try_parse_pubno",
]
