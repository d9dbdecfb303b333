"""The document page: bibliographic data, legal status (法律状态) and family (同族) with each member's
status, texts in each language, the claim tree, description, citations, drawings, provenance,
similar documents and the AI interpretation (专利AI解读)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ipai.errors import IpaiError
from ipai.model import PatentDocument
from ipai.model.patent import Claim
from ipai.web.i18n import pick_lang
from ipai.web.render import page, render_error

router = APIRouter()
MAX_DEPTH = 4  # claim-tree nesting shown; deeper dependent claims sit beside their parent
SIMILAR = 8
SCHEME_ORDER = ("cpc", "ipc", "locarno", "uspc", "fi", "fterm", "national")


def claim_tree(claims: list[Claim]) -> list[dict[str, Any]]:
    """Claims of one language as a tree: independent claims at the top, each dependent claim
    under the lowest-numbered earlier claim it refers to (``also`` lists the others)."""
    nodes: dict[int, dict[str, Any]] = {}
    roots: list[dict[str, Any]] = []
    for c in claims:
        if c.num in nodes:  # a repeated number: keep the first, show the rest at the top
            roots.append({"claim": c, "children": [], "refs": c.depends_on, "depth": 0})
            continue
        refs = [p for p in c.depends_on if p in nodes and p < c.num]
        node: dict[str, Any] = {"claim": c, "children": [], "refs": c.depends_on, "depth": 0}
        nodes[c.num] = node
        if c.independent or not refs:
            roots.append(node)
            continue
        parent = nodes[min(refs)]
        while parent["depth"] >= MAX_DEPTH - 1 and parent.get("up") is not None:
            parent = parent["up"]
        node["depth"], node["up"] = parent["depth"] + 1, parent
        parent["children"].append(node)
    return roots


def lang_order(langs: list[str], ui_lang: str) -> list[str]:
    """Languages with the interface language first, then English, then the rest as given."""
    first = [x for x in (ui_lang, "en") if x in langs]
    return list(dict.fromkeys(first + list(langs)))


def cited_in_store(svc: Any, doc: PatentDocument) -> set[str]:
    """Which cited publications are stored (one batched lookup)."""
    ids = sorted({c.doc_id for c in doc.citations if c.doc_id})
    if not ids:
        return set()
    return svc.existing(ids)


def doc_context(svc: Any, number: str, ui_lang: str) -> dict[str, Any]:
    """Everything the document template shows."""
    shown = svc.show(number)
    doc = PatentDocument.model_validate(shown["document"])
    claim_langs = lang_order(list(dict.fromkeys(c.lang for c in doc.claims)), ui_lang)
    schemes: dict[str, list[Any]] = {}
    for c in doc.classifications:
        schemes.setdefault(c.scheme, []).append(c)
    order = [s for s in SCHEME_ORDER if s in schemes] + [s for s in schemes if s not in SCHEME_ORDER]
    stored = cited_in_store(svc, doc)
    try:
        similar, similar_error = svc.similar(doc.id, top=SIMILAR).hits, None
    except IpaiError as exc:
        similar, similar_error = [], exc.text(ui_lang)
    title_langs = lang_order(list(doc.titles), ui_lang)
    try:  # the extractive interpretation (专利AI解读); the fluent LLM version is on the API and CLI
        explained, explain_error = (
            svc.explain.explain(doc.id, ui_lang=ui_lang if ui_lang in ("zh", "en") else "en", use_llm=False),
            None,
        )
    except IpaiError as exc:
        explained, explain_error = None, exc.text(ui_lang)
    return {
        "doc": doc,
        "provenance": shown["provenance"],
        "legal_status": shown.get("legal_status"),
        "family": shown.get("family"),
        "title": doc.titles[title_langs[0]] if title_langs else "",
        "title_langs": title_langs,
        "abstract_langs": lang_order(list(doc.abstracts), ui_lang),
        "claim_langs": claim_langs,
        "claim_trees": {lg: claim_tree(doc.claims_in(lg)) for lg in claim_langs},
        "claim_counts": {lg: len(doc.claims_in(lg)) for lg in claim_langs},
        "schemes": [(s, schemes[s]) for s in order],
        "citations": [{"c": c, "stored": c.doc_id in stored} for c in doc.citations],
        "images": [{"n": i, "ref": ref, "ok": bool(ref.sha256)} for i, ref in enumerate(doc.images)],
        "similar": similar,
        "similar_error": similar_error,
        "explained": explained,
        "explain_error": explain_error,
        "parties": [
            (k, getattr(doc, k))
            for k in ("applicants", "assignees", "inventors", "agents")
            if getattr(doc, k)
        ],
    }


@router.get("/doc/{number:path}", response_class=HTMLResponse)
def document_page(request: Request, number: str) -> Any:
    """One document; an unknown or ambiguous number gives the error page (404 / 400)."""
    svc = request.app.state.service
    try:
        values = doc_context(svc, number, pick_lang(request)[0])
    except IpaiError as exc:
        return render_error(request, exc.status, exc.text(pick_lang(request)[0]), exc.errors)
    return page(request, "doc.html", **values)
