"""Human-readable rendering of documents for the terminal."""

from __future__ import annotations

from typing import Any

import typer

from ipai.model import PatentDocument


def print_document(doc: PatentDocument, sources: list[dict[str, Any]]) -> None:
    """Biblio, abstract, claims tree and citations of one document."""
    e = typer.echo
    e(f"{doc.pubno}  ({doc.id}, {doc.doc_type or 'document'})")
    for lang, t in doc.titles.items():
        e(f"  title[{lang}]: {t}")
    dates = [
        f"{k}={getattr(doc, k)}"
        for k in ("priority_date", "filing_date", "publication_date", "grant_date")
        if getattr(doc, k)
    ]
    if dates:
        e("  dates: " + ", ".join(dates))
    if doc.application:
        e(f"  application: {doc.application.country or ''} {doc.application.number}")
    for role in ("applicants", "assignees", "inventors", "agents"):
        ps = getattr(doc, role)
        if ps:
            e(f"  {role}: " + "; ".join(p.name for p in ps[:8]) + (" …" if len(ps) > 8 else ""))
    for scheme in ("ipc", "cpc", "locarno", "uspc"):
        codes = doc.codes(scheme)
        if codes:
            e(f"  {scheme}: " + ", ".join(codes[:12]) + (" …" if len(codes) > 12 else ""))
    for lang, a in doc.abstracts.items():
        e(f"  abstract[{lang}]: {a[:400]}{'…' if len(a) > 400 else ''}")
    langs = sorted({c.lang for c in doc.claims})
    for lang in langs:
        cl = doc.claims_in(lang)
        e(f"  claims[{lang}]: {len(cl)} ({sum(c.independent for c in cl)} independent)")
        for c in cl:
            indent = "    " if c.independent else "      "
            dep = f" (→ {', '.join(map(str, c.depends_on))})" if c.depends_on else ""
            e(f"{indent}{c.num}{dep}: {c.text[:110]}{'…' if len(c.text) > 110 else ''}")
    if doc.description:
        e(f"  description[{doc.description.lang}]: {len(doc.description.paragraphs)} paragraphs")
    if doc.citations:
        e(f"  citations: {len(doc.citations)}")
        for cit in doc.citations[:10]:
            who = f" [{cit.cited_by}]" if cit.cited_by else ""
            cat = f" {''.join(cit.categories)}" if cit.categories else ""
            e(f"    {cit.pubno or (cit.text or '')[:90]}{cat}{who}")
    if doc.images:
        e(f"  images: {len(doc.images)}")
    e("  sources: " + "; ".join(s["source"] for s in sources))
