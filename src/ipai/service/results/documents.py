"""Results of the corpus use cases: health, the document list, one document, counts, formats,
classification (``ipai.service.core``)."""

from __future__ import annotations

from typing import Any

from ipai.service.results.common import Num, Result


class IndexState(Result):
    """The search index (``Service.index_status``): size, pending changes, encoder, vectors."""

    path: str
    documents: int
    seq: int
    pending: int
    encoder: dict[str, Any]
    ann: str
    vectors: dict[str, Any]


class HealthResult(Result):
    """``Service.health``: counts and the index state (``None`` before the first index)."""

    documents: int
    trademarks: int
    index: dict[str, Any] | None


class DocumentRow(Result):
    """A row of the document list."""

    id: str
    country: str
    number: str
    kind: str
    doc_type: str | None
    lang: str | None
    pub_date: str | None
    title: str | None


class DocumentPage(Result):
    """``Service.documents``: a page of stored documents, newest first."""

    items: list[DocumentRow]
    total: int
    offset: int
    limit: int
    next_offset: int | None


class DocumentView(Result):
    """``Service.show``: a document in canonical JSON with its sources, legal status and family."""

    document: dict[str, Any]
    provenance: list[dict[str, Any]]
    legal_status: dict[str, Any]
    family: dict[str, Any] | None


class CorpusStats(Result):
    """``Service.stats``: corpus counts by jurisdiction, language, kind, type, year, section, source."""

    documents: int
    trademarks: int
    by_jurisdiction: dict[str, int]
    by_language: dict[str, int]
    by_kind: dict[str, int]
    by_doc_type: dict[str, int]
    by_year: dict[str, int]
    by_section: dict[str, int]
    by_source_format: dict[str, int]


class SourceFormat(Result):
    """A source format ``ingest`` reads (``Service.formats``)."""

    name: str
    description: str
    priority: int


class ClassSuggestion(Result):
    """A suggested IPC/CPC class (``ipai.classify.model.Suggestion``)."""

    code: str
    confidence: Num
    predicted: bool
    title: str | None
    groups: list[dict[str, Any]]


class ClassifierInfo(Result):
    """The model a classification came from."""

    scheme: Any
    trained: Any
    documents: Any
    labels: Any
    groups: Any
    threshold: Any
    format_version: Any


class Classification(Result):
    """``Service.classify_detail``: suggestions for a text with its language and the model."""

    text: str
    lang: str
    suggestions: list[ClassSuggestion]
    model: ClassifierInfo
