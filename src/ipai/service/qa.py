"""Service use cases of questions and answers with cited sources."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ipai.errors import InputError, NotFound
from ipai.security.context import current
from ipai.service.context import Feature, ServiceContext

if TYPE_CHECKING:
    from ipai.qa.retrieve import Retriever

MAX_QUESTION = 2000


def _history_user(user: str | None) -> str:
    """Whose history a call reads or writes: signed-in users only their own; the local
    administrator and platform roles whichever they name."""
    p = current()
    given = (user or "anon").strip()[:128] or "anon"
    if p.via == "anonymous":  # visitors keep a history only under an id of their own (the web UI's cookie)
        return f"visitor:{given}"[:128]
    if p.via == "local" or p.sees_all_tenants:
        return given
    return p.user


class QaService(Feature):
    """Questions and answers with cited sources."""

    def __init__(self, ctx: ServiceContext) -> None:
        super().__init__(ctx)
        self._retriever: Retriever | None = None

    @property
    def qa_retriever(self) -> Retriever:
        """The evidence retriever (keeps the knowledge index in memory)."""
        if self._retriever is None:
            from ipai.qa.retrieve import Retriever

            self._retriever = Retriever(self.ctx)
        return self._retriever

    def load_knowledge(self, paths: list[Path], *, names: list[str] | None = None) -> dict[str, Any]:
        """Load knowledge documents (txt, md, html; pdf with pypdf) for questions and answers; a
        text loaded before is kept once. Returns the documents and any files that failed."""
        from ipai.qa.documents import knowledge_files, read_knowledge

        if not paths:
            raise InputError("nothing to load: give at least one file or folder")
        files = knowledge_files([Path(p) for p in paths])
        if not files:
            raise InputError(
                "no .txt, .md, .html or .pdf file found", errors=[{"field": "paths", "message": "empty"}]
            )
        loaded, errors = [], []
        for i, f in enumerate(files):
            name = names[i] if names and i < len(names) else None
            try:
                doc = read_knowledge(f, name=name)
            except InputError as exc:
                errors.append({"file": name or f.name, "message": exc.message})
                continue
            row, new = self.store.qa_add_document(
                {
                    "title": doc.title,
                    "source": doc.source,
                    "format": doc.format,
                    "lang": doc.lang,
                    "sha256": doc.sha256,
                },
                doc.passages,
            )
            loaded.append(
                {
                    "id": row["id"],
                    "title": row["title"],
                    "source": row["source"],
                    "passages": row["passages"],
                    "new": new,
                }
            )
        if not loaded and errors:
            raise InputError(
                errors[0]["message"], errors=[{"field": "file", "message": e["message"]} for e in errors]
            )
        return {"documents": loaded, "errors": errors}

    def load_builtin_laws(self, folder: Path | None = None) -> dict[str, Any]:
        """Load the Chinese IP laws (``<shared data>/cn-ip-law``, README left out) as the platform's
        built-in knowledge (no tenant: every tenant's questions may cite them) and encode their
        articles for the answers (kept by content: a second run encodes nothing)."""
        from ipai.security.context import LOCAL, acting_as

        folder = Path(folder) if folder else self.settings.shared_data / "cn-ip-law"
        files = (
            [f for f in sorted(folder.glob("*.md")) if f.name.lower() != "readme.md"]
            if folder.is_dir()
            else []
        )
        if not files:
            raise InputError(
                f"no law texts (.md) in {folder}", errors=[{"field": "folder", "message": str(folder)}]
            )
        with acting_as(LOCAL):
            out = self.load_knowledge(files)
            self.qa_retriever.knowledge()
        return out

    def knowledge_documents(self) -> list[dict[str, Any]]:
        """The loaded knowledge documents, newest first."""
        return self.store.qa_documents()

    def knowledge_document(self, doc_id: int) -> dict[str, Any]:
        """One knowledge document with its passages; :class:`NotFound` if unknown."""
        doc = self.store.qa_document(int(doc_id))
        if doc is None:
            raise NotFound(
                f"no knowledge document {doc_id}",
                code="not_found",
                params={"what": "knowledge_document", "id": doc_id},
            )
        return doc

    def delete_knowledge(self, doc_id: int) -> None:
        """Remove a knowledge document; :class:`NotFound` if unknown."""
        if not self.store.qa_delete_document(int(doc_id)):
            raise NotFound(
                f"no knowledge document {doc_id}",
                code="not_found",
                params={"what": "knowledge_document", "id": doc_id},
            )

    def ask(
        self,
        question: str,
        user: str = "anon",
        session: str | None = None,
        *,
        top: int = 5,
        threshold: float | None = None,
        use_llm: bool = True,
        remember: bool = True,
    ) -> dict[str, Any]:
        """Answer a question (Chinese or English) from the patents and knowledge documents with
        numbered citations; refuses when nothing relevant is found; written by the LLM when one is
        configured (the retrieval answer otherwise, or when it fails). Kept in the user's history."""
        from ipai import llm
        from ipai.qa.answer import REFUSE_BELOW, llm_answer, refused, retrieval_answer

        question = (question or "").strip()
        if not question:
            raise InputError(
                "empty question", errors=[{"field": "question", "message": "empty"}], code="empty_question"
            )
        if len(question) > MAX_QUESTION:
            raise InputError(
                f"question longer than {MAX_QUESTION} characters",
                errors=[{"field": "question", "message": "too long"}],
            )
        user = _history_user(user)
        if user == "visitor:anon":
            remember = False  # visitors who name no id of their own would share one history: keep none
        content, evidence = self.qa_retriever.retrieve(question, top=top)
        best = evidence[0] if evidence else None
        limit = (best.score - best.margin if best else REFUSE_BELOW) if threshold is None else threshold
        if best is None or (best.margin < 0 if threshold is None else best.score < threshold):
            out = refused(question, content, evidence, limit)
        elif use_llm and llm.configured(self.settings):
            history = self.store.qa_messages(user, session=session, limit=3) if session else []
            out = llm_answer(self.settings, question, content, evidence, history)
        else:
            reason = (
                None if llm.configured(self.settings) else "no LLM configured: the best passages are shown"
            )
            out = retrieval_answer(
                question, content, evidence, reason=reason, reason_code=reason and "no_llm"
            )
        out["user"], out["session"] = user, session
        if remember:
            out["id"] = self.store.qa_add_message(user, session, question, out)
        return out

    def chat_history(
        self, user: str = "anon", *, session: str | None = None, limit: int = 50
    ) -> list[dict[str, Any]]:
        """The user's questions and answers, oldest first."""
        if not 1 <= limit <= 1000:
            raise InputError("limit must be 1–1000", errors=[{"field": "limit", "message": "out of range"}])
        return self.store.qa_messages(_history_user(user), session=session, limit=limit)

    def clear_chat_history(self, user: str) -> int:
        """Forget a user's questions and answers; returns how many went."""
        return self.store.qa_clear_messages(_history_user(user))
