"""Results of questions and answers (``ipai.service.qa``; answers from :mod:`ipai.qa.answer`)."""

from __future__ import annotations

from typing import Any, NotRequired

from ipai.service.results.common import Num, Result, Row

KnowledgeDocument = Row
"""A loaded knowledge document (with its passages when read one at a time)."""

ChatMessage = Row
"""A question and its answer in a user's history."""


class KnowledgeLoad(Result):
    """``Service.load_knowledge``: the documents loaded and the files that failed."""

    documents: list[dict[str, Any]]
    errors: list[dict[str, Any]]


class Answer(Result):
    """``Service.ask``: the answer with numbered citations, or a refusal with the reason; kept in
    the user's history (``id``)."""

    question: str
    content: NotRequired[str]
    mode: str
    refused: bool
    answer: str
    citations: list[dict[str, Any]]
    near_misses: NotRequired[list[dict[str, Any]]]
    confidence: NotRequired[Num]
    threshold: NotRequired[Num]
    reason: NotRequired[str | None]
    reason_code: NotRequired[str | None]
    reason_params: NotRequired[dict[str, Any]]
    quote: NotRequired[dict[str, Any] | None]  # None when the best evidence is not a quotable document
    llm: NotRequired[Any]
    user: str
    session: str | None
    id: NotRequired[int | None]
