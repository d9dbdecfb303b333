"""Questions and answers (:mod:`ipai.qa`): the knowledge documents answers draw on, their passages,
and each user's conversation."""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class QaStore(Protocol):
    """Knowledge documents, their passages and the conversations."""

    def qa_add_document(
        self, doc: dict[str, Any], passages: list[tuple[str, str]]
    ) -> tuple[dict[str, Any], bool]:
        """Store a document (``title``, ``source``, ``format``, ``lang``, ``sha256``) and its
        (where, text) passages; returns (the row, whether it is new): the same text twice is kept once
        per tenant (documents loaded by platform principals are the platform's, seen by every tenant)."""

    def qa_documents(self) -> list[dict[str, Any]]:
        """The knowledge documents the caller may read (the platform's and its tenant's), newest first."""

    def qa_document(self, doc_id: int) -> dict[str, Any] | None:
        """One knowledge document with its passages, or ``None``."""

    def qa_delete_document(self, doc_id: int) -> bool:
        """Remove a knowledge document and its passages; False if there was none."""

    def qa_passages(self) -> list[dict[str, Any]]:
        """Every passage with its document's title, language and tenant, in document and reading order
        (all tenants: the retriever keeps one index and masks what the caller may not read)."""

    def qa_version(self) -> tuple[int, int]:
        """(number of passages, largest passage id): changes whenever documents are added or removed."""

    def qa_add_message(self, user: str, session: str | None, question: str, answer: dict[str, Any]) -> int:
        """Keep one question and its answer (JSON) in the user's history; returns its id."""

    def qa_messages(self, user: str, *, session: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
        """The user's newest ``limit`` questions and answers, oldest first (one session if given)."""

    def qa_clear_messages(self, user: str) -> int:
        """Forget a user's history; returns how many messages went."""
