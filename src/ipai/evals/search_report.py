"""``ipai eval search-report``: check the assessment against real documents and their citations.

The data files are ingested into a temporary store. Two checks run on them:

1. **Cited prior art** — every document whose claims cite patent documents that are also in the
   files is assessed (its first independent claim) against exactly those cited documents. Where
   the data carries search-report categories (X/Y/A), ipai's category is compared with the
   office's; a granted patent's claim is, by the grant, novel over what was cited, so an X from
   ipai against its cited art counts as a false X.
2. **Self-anticipation** — a sample of documents with claims is assessed by searching the whole
   store: each document anticipates its own claim, so it should come out X (recall of X), while
   the other retrieved documents should rarely be X (their X rate is the false-alarm level).
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from ipai.assess.report import assess_text
from ipai.errors import InputError
from ipai.model import PatentDocument
from ipai.settings import Settings, load_settings


def _first_independent(doc: PatentDocument) -> str | None:
    for c in doc.claims:
        if c.independent and len(c.text) > 60:
            return c.text
    return None


def _cited_present(svc: Any, doc: PatentDocument) -> list[tuple[str, list[str], str | None]]:
    out: list[tuple[str, list[str], str | None]] = []
    seen: set[str] = set()
    for c in doc.citations:
        if c.kind != "patent" or not c.pubno:
            continue
        hits = svc.store.find_documents(c.pubno.country, c.pubno.number)
        for h in hits[:1]:
            if h.id != doc.id and h.id not in seen:
                seen.add(h.id)
                out.append((h.id, c.categories, c.cited_by))
    return out


def eval_search_report(
    paths: list[Path], settings: Settings, *, sample: int = 40, seed: int = 0, top: int = 10
) -> dict[str, Any]:
    """Both checks on the given files; returns the JSON summary (cases listed)."""
    from ipai.service import Service

    with tempfile.TemporaryDirectory() as td:
        svc = Service(
            load_settings(home=Path(td) / "home", progress=False, search_encoder=settings.search_encoder)
        )
        try:
            t0 = time.perf_counter()
            svc.corpus.ingest(paths)
            svc.corpus.index()
            print(f"loaded and indexed {svc.store.count_documents():,} documents", file=sys.stderr)
            # design claims ("the ornamental design for …, as shown") have no technical features
            docs = [d for d in svc.store.iter_documents() if d.doc_type != "design" and _first_independent(d)]
            cited = _cited_cases(svc, docs, top)
            rng = random.Random(seed)
            picked = rng.sample(docs, min(sample, len(docs)))
            selfc = _self_cases(svc, picked, top)
            return {
                "documents": svc.store.count_documents(),
                "with_claims": len(docs),
                "cited_prior_art": cited,
                "self_anticipation": selfc,
                "seconds": round(time.perf_counter() - t0, 1),
            }
        finally:
            svc.close()


def _cited_cases(svc: Any, docs: list[PatentDocument], top: int) -> dict[str, Any]:
    cases: list[dict[str, Any]] = []
    agree, compared, false_x, granted_pairs = 0, 0, 0, 0
    for doc in docs:
        cited = _cited_present(svc, doc)
        if not cited:
            continue
        try:
            r = assess_text(
                svc.search_engine, _first_independent(doc) or "", top=top, candidates=[c[0] for c in cited]
            )
        except InputError as exc:  # a claim the assessment cannot cut into features: reported, skipped
            cases.append({"document": doc.id, "skipped": exc.message})
            continue
        got = {d["id"]: d for d in r["prior_art"]}
        rows: list[dict[str, Any]] = []
        granted = doc.doc_type == "patent"
        for cid, cats, by in cited:
            d = got.get(cid)
            if d is None:
                continue
            official = next((c for c in cats if c in "XYA"), None)
            if official:
                compared += 1
                agree += official == d["category"]
            if granted:
                granted_pairs += 1
                false_x += d["category"] == "X"
            rows.append(
                {
                    "cited": cid,
                    "cited_by": by,
                    "official": official,
                    "ipai": d["category"],
                    "covered": d["covered"],
                    "coverage": d["coverage"],
                }
            )
        cases.append(
            {"document": doc.id, "granted": granted, "features": len(r["features"]), "citations": rows}
        )
    return {
        "cases": len(cases),
        "with_official_category": compared,
        "category_agreement": round(agree / compared, 3) if compared else None,
        "granted_citation_pairs": granted_pairs,
        "false_x_rate": round(false_x / granted_pairs, 3) if granted_pairs else None,
        "details": cases,
    }


def _self_cases(svc: Any, docs: list[PatentDocument], top: int) -> dict[str, Any]:
    self_x, self_found, others, others_x, ms = 0, 0, 0, 0, []
    skipped: list[dict[str, str]] = []
    for n, doc in enumerate(docs, 1):
        try:
            r = assess_text(svc.search_engine, _first_independent(doc) or "", top=top)
        except InputError as exc:
            skipped.append({"document": doc.id, "reason": exc.message})
            continue
        ms.append(r["timing_ms"]["total"])
        for d in r["prior_art"]:
            if d["id"] == doc.id:
                self_found += 1
                self_x += d["category"] == "X"
            else:
                others += 1
                others_x += d["category"] == "X"
        if n % 10 == 0:
            print(f"self-anticipation: {n}/{len(docs)}", file=sys.stderr)
    k = max(len(docs) - len(skipped), 1)
    return {
        "claims": len(docs) - len(skipped),
        "skipped": skipped,
        "own_document_retrieved": round(self_found / k, 3),
        "own_document_x": round(self_x / k, 3),
        "other_documents_x_rate": round(others_x / others, 3) if others else None,
        "report_ms_median": round(statistics.median(ms), 1) if ms else None,
        "report_ms_max": round(max(ms), 1) if ms else None,
    }
