"""``ipai bench assess``: time a patentability report for one-page disclosures on the store."""

from __future__ import annotations

import statistics
import time
from typing import Any

PAGE_CHARS = {"en": 3000, "zh": 1200}  # about one printed page


def one_page(doc: Any) -> tuple[str, str] | None:
    """A one-page disclosure made of a stored document's abstract and first description
    paragraphs (its own words: what an inventor's 交底书 looks like)."""
    lang = "zh" if doc.abstracts.get("zh") else "en"
    parts = [doc.abstracts.get(lang, "")]
    if doc.description and doc.description.lang == lang:
        parts += [p.text for p in doc.description.paragraphs if not p.heading]
    text = "\n".join(p for p in parts if p)[: PAGE_CHARS[lang]]
    # the shared Chinese records are abstracts only (~200–400 characters): those are taken whole
    need = 150 if lang == "zh" else PAGE_CHARS[lang] * 0.5
    return (text, lang) if len(text) >= need else None


def bench_assess(svc: Any, *, reports: int = 10) -> dict[str, Any]:
    """Report times for one-page disclosures taken from the store (English and Chinese)."""
    svc.warm()
    pages: list[tuple[str, str, str]] = []
    for doc in svc.store.iter_documents():
        page = one_page(doc)
        if page and sum(1 for p in pages if p[1] == page[1]) < reports:
            pages.append((page[0], page[1], doc.id))
        if len(pages) >= 2 * reports:
            break
    rows = []
    for text, lang, doc_id in pages:
        t0 = time.perf_counter()
        r = svc.assessment.assess(text, top=10)
        rows.append(
            {
                "doc": doc_id,
                "lang": lang,
                "chars": len(text),
                "features": len(r["features"]),
                "seconds": round(time.perf_counter() - t0, 3),
                "read_by_meaning": r["semantic"]["passages_read"],
                "own_document": next((d["category"] for d in r["prior_art"] if d["id"] == doc_id), None),
            }
        )
    secs = [r["seconds"] for r in rows]
    by_lang = {lg: [r["seconds"] for r in rows if r["lang"] == lg] for lg in ("en", "zh")}
    return {
        "bench": "assess",
        "documents": svc.store.count_documents(),
        "reports": len(rows),
        "semantic": bool(rows) and all(r["read_by_meaning"] >= 0 for r in rows),
        "seconds_median": round(statistics.median(secs), 3) if secs else None,
        "seconds_max": round(max(secs), 3) if secs else None,
        "by_lang": {
            lg: {
                "n": len(v),
                "median": round(statistics.median(v), 3) if v else None,
                "max": round(max(v), 3) if v else None,
            }
            for lg, v in by_lang.items()
        },
        "details": rows,
    }
