"""Response models of the REST API (they make the OpenAPI schema precise)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ErrorBody(BaseModel):
    """The one error shape of ipai (CLI ``--json`` and API)."""

    ok: bool = False
    error: str = Field(description="What went wrong, for a person.")
    errors: list[dict[str, Any]] = Field(
        default_factory=list, description="Details: the field, record or query position at fault."
    )
    status: int = Field(description="The HTTP status.")


def error_responses(descriptions: dict[int, str] | None = None) -> dict[int | str, dict[str, Any]]:
    """OpenAPI error responses of a router, all in the one error shape: 400 and 404 by default,
    each description overridable (and other statuses added) per router."""
    text = {
        400: "Bad request (the field or query position is named)",
        401: "Invalid API key or session",
        403: "The caller's role may not do this (no data is shown)",
        404: "Not found",
        429: "Rate limit of the API key reached (Retry-After says when to retry)",
        **(descriptions or {}),
    }
    return {status: {"model": ErrorBody, "description": d} for status, d in text.items()}


class Passage(BaseModel):
    """A matched passage; matched words are wrapped in ``<mark>``."""

    where: str
    text: str


class Hit(BaseModel):
    """One search result."""

    id: str
    rank: int
    score: float
    title: str = ""
    pubno: str = ""
    date: str | None = None
    langs: list[str] = []
    applicants: list[str] = []
    classes: list[str] = []
    matched: dict[str, int | None] = Field(
        default_factory=dict, description="Rank in each list (keyword, semantic)."
    )
    highlights: list[Passage] = []
    concepts: int | None = Field(
        None,
        description="Concepts of the query the document carries (in any of "
        "their forms); documents carrying all of them are ranked first.",
    )
    meaning: float | None = Field(
        None, description="e5 similarity to the query, for a hit found by meaning alone."
    )
    status: dict[str, Any] | None = Field(
        None,
        description="Legal status (法律状态): status (pending, granted, "
        "in_force, lapsed, expired, withdrawn, refused, revoked), label and "
        "reason in en/zh, basis (events or kind-code), since, expiry.",
    )
    family: dict[str, Any] | None = Field(
        None,
        description="With collapse=family: the family key and the other "
        "members among the results, each with its legal status.",
    )
    abstract: str | None = Field(
        None,
        description="The start of the abstract (about 300 characters), in the "
        "document's own language; None when the source gives no abstract.",
    )


class ConceptForm(BaseModel):
    """One way a concept is written: as typed, a translation or a synonym."""

    text: str
    lang: str
    source: str = Field(
        description="query, cedict (CC-CEDICT), synonym (through a translation), "
        "wordspace (learned from the corpus), parts (a compound by its parts)."
    )
    documents: int = Field(description="Indexed documents containing this form (an upper bound for phrases).")


class Concept(BaseModel):
    """A concept of the query and the forms it is searched in."""

    text: str
    lang: str
    field: str | None = None
    required: bool = Field(
        description="False for patent boilerplate (方法, system…), which ranks but is never required."
    )
    documents: int
    forms: list[ConceptForm]


class SearchResponse(BaseModel):
    """A page of search results."""

    ok: bool = True
    query: str
    mode: str
    lang: str | None = None
    cross_lingual: bool = True
    total_keyword: int = Field(
        description="Documents that carry a concept of the query and satisfy the filters "
        "(a filter alone is never a match); kept for compatibility, equal to total."
    )
    total: int = Field(
        0, description="Documents that carry at least one concept of the query and satisfy the filters."
    )
    total_all: int | None = Field(
        None, description="… that carry every concept (queries of two or more concepts)."
    )
    concepts: list[Concept] = Field(
        default_factory=list, description="The query's concepts with their translations."
    )
    missing: list[str] = Field(default_factory=list, description="Concepts no indexed document has.")
    semantic_only: bool = Field(
        False,
        description="No document has the words: any hits are close in meaning "
        "(checked against a calibrated floor).",
    )
    suggestions: dict[str, Any] | None = Field(
        None,
        description="When nothing was found: spelling alternatives "
        "(and the corrected query), filters whose removal finds documents "
        "(with counts), the concepts' other forms.",
    )
    took_ms: float
    offset: int
    top: int
    next_offset: int | None = None
    filters: dict[str, Any] = {}
    families: int | None = Field(
        None, description="With collapse=family: families among the results looked at."
    )
    sort: str = Field(
        "relevance",
        description="The order: relevance, date_desc, date_asc (publication date) or "
        "citations (forward citations as stored, most first).",
    )
    sorted: int | None = Field(
        None,
        description="With a sort other than relevance: matched documents that were "
        "ordered (at most the setting search_sort_max, best first); total says how many match.",
    )
    results: list[Hit]


class Suggestion(BaseModel):
    """An associated term."""

    term: str
    lang: str
    score: float
    sources: list[str]
    count: int


class ExpandResponse(BaseModel):
    """Associated terms for a query term."""

    ok: bool = True
    term: str
    suggestions: list[Suggestion]


class DocumentSummary(BaseModel):
    """A row of the document list."""

    id: str
    country: str
    number: str
    kind: str
    doc_type: str | None = None
    lang: str | None = None
    pub_date: str | None = None
    title: str | None = None


class DocumentPage(BaseModel):
    """A page of documents."""

    ok: bool = True
    items: list[DocumentSummary]
    total: int
    offset: int
    limit: int
    next_offset: int | None = None


class DocumentResponse(BaseModel):
    """A stored document in canonical JSON, with the sources it was merged from."""

    ok: bool = True
    document: dict[str, Any]
    provenance: list[dict[str, Any]]
    legal_status: dict[str, Any] | None = Field(None, description="The legal status today (see Hit.status).")
    family: dict[str, Any] | None = Field(
        None,
        description="The family (同族): key, stored members with their "
        "legal status, the size the source gives.",
    )


class Task(BaseModel):
    """A background job (ingest, index) and its progress."""

    ok: bool = True
    id: str
    kind: str
    state: str = Field(description="queued, running, done, failed or interrupted")
    params: dict[str, Any] | None = None
    progress: dict[str, Any] | None = None
    result: dict[str, Any] | None = None
    error: dict[str, Any] | None = None
    created_at: str | None = None
    started_at: str | None = None
    finished_at: str | None = None
    seconds: float | None = None
    url: str | None = Field(default=None, description="Where to poll this task.")


class TaskPage(BaseModel):
    """Background tasks, newest first."""

    ok: bool = True
    items: list[Task]
    offset: int
    limit: int


class Health(BaseModel):
    """Liveness and what is loaded."""

    ok: bool = True
    version: str
    documents: int
    trademarks: int
    index: dict[str, Any] | None = None
