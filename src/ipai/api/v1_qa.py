"""``/api/v1`` endpoints of questions and answers with cited sources: ask, the user's history, and
the knowledge documents (upload, list, show, remove)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Query, Request, UploadFile
from pydantic import BaseModel, ConfigDict, Field

from ipai.api import responses as R
from ipai.api import schemas as M
from ipai.errors import InputError
from ipai.faces import params as P

router = APIRouter()
ERRORS = M.error_responses()


class AskIn(BaseModel):
    """A question (Chinese or English)."""

    model_config = ConfigDict(extra="forbid")
    question: str = Field(..., min_length=1, max_length=2000)
    user: str = Field("anon", min_length=1, max_length=128)
    session: str | None = Field(None, max_length=64)
    use_llm: bool = True


def _svc(request: Request) -> Any:
    return request.app.state.service


@router.post("/qa/ask", response_model=R.AnswerResponse, responses=ERRORS, tags=["qa"])
def ask(request: Request, body: AskIn) -> dict[str, Any]:
    """The answer with numbered citations ``{n, source: patent|doc, id, title, passage, where, url}``;
    ``mode`` is llm, retrieval or refused; ``reason`` says why the LLM was not used."""
    return {
        "ok": True,
        **_svc(request).qa.ask(body.question, user=body.user, session=body.session, use_llm=body.use_llm),
    }


@router.get("/qa/history", response_model=R.Items, tags=["qa"])
def history(
    request: Request,
    user: str = "anon",
    session: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
) -> dict[str, Any]:
    """The user's questions and answers, oldest first."""
    return {"ok": True, "items": _svc(request).qa.chat_history(user, session=session, limit=limit)}


@router.delete("/qa/history", response_model=R.Removed, tags=["qa"])
def clear_history(request: Request, user: str) -> dict[str, Any]:
    return {"ok": True, "removed": _svc(request).qa.clear_chat_history(user)}


@router.post(
    "/qa/documents", response_model=R.KnowledgeLoadResponse, status_code=201, responses=ERRORS, tags=["qa"]
)
def upload(
    request: Request,
    files: Annotated[
        list[UploadFile], File(description="Knowledge documents (.txt, .md, .html; .pdf with pypdf)")
    ],
) -> dict[str, Any]:
    """Load uploaded guidelines, laws or FAQs for the answers to cite."""
    svc = _svc(request)
    paths, names = [], []
    for f in files:
        if not f.filename:
            raise InputError(
                "an uploaded part has no file name", errors=[{"field": "files", "message": "no name"}]
            )
        paths.append(svc.corpus.save_upload(f.filename, f.file))
        names.append(f.filename)
    return {"ok": True, **svc.qa.load_knowledge(paths, names=names)}


@router.get("/qa/documents", response_model=R.Items, tags=["qa"])
def documents(request: Request) -> dict[str, Any]:
    return {"ok": True, "items": _svc(request).qa.knowledge_documents()}


@router.get("/qa/documents/{doc_id}", response_model=R.KnowledgeDocumentOne, responses=ERRORS, tags=["qa"])
def document(request: Request, doc_id: P.RowId) -> dict[str, Any]:
    """A knowledge document with its passages."""
    return {"ok": True, "document": _svc(request).qa.knowledge_document(doc_id)}


@router.delete("/qa/documents/{doc_id}", response_model=R.Removed, responses=ERRORS, tags=["qa"])
def remove(request: Request, doc_id: P.RowId) -> dict[str, Any]:
    _svc(request).qa.delete_knowledge(doc_id)
    return {"ok": True, "removed": doc_id}
