"""``ipai eval explain``: the quoted problem and solution sentences judged against the text by the
rule written in docs/explain.md.

A quote **agrees** when all of these hold:

1. *verbatim*: it occurs word for word in the text at the location it names (the abstract, claim N,
   or description paragraph N);
2. *right part*: a **solution** quote comes from an independent claim, the abstract, or the summary
   part of the description (under a summary / disclosure / 发明内容 heading, or, when the description
   has no headings, its first third); a **problem** quote comes from the abstract or the background
   or summary part (same fallback); neither may come from the detailed description or a figure caption;
3. *on the claimed subject*: when the document has claims, a **solution** quote shares at least two
   distinctive words (claim boilerplate dropped) with the main claim.

Documents are taken in turn from each office (US, EP, CN, …) up to ``sample``; a role with no quote
counts against agreement over all documents and is reported as coverage.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from ipai.assess.features import keys_of
from ipai.errors import InputError
from ipai.explain.explainer import _main_claim, explain
from ipai.explain.sections import doc_lang, paragraph_sections
from ipai.model import PatentDocument
from ipai.settings import Settings, load_settings

PARTS = {"solution": {"claim", "abstract", "summary", "early"},
         "problem": {"abstract", "background", "summary", "early"}}


def located_text(doc: PatentDocument, where: str, lang: str) -> tuple[str, str]:
    """The text at a location and the part it belongs to (claim, abstract or a description section)."""
    if where == "abstract":
        return doc.abstracts.get(lang, ""), "abstract"
    if where.startswith("claim "):
        num = int(where.split()[1])
        c = next((c for c in doc.claims_in(lang) if c.num == num), None)
        return (c.text, "claim" if c.independent else "dependent claim") if c else ("", "?")
    if where.startswith("description") and doc.description:
        paras, secs = doc.description.paragraphs, paragraph_sections(doc)
        tag = where.split(None, 1)[1]
        for i, p in enumerate(paras):
            if (p.num and tag == f"[{p.num}]") or (not p.num and tag == f"¶{i + 1}"):
                return p.text, secs[i] or "heading"
    return "", "?"


def judge(doc: PatentDocument, role: str, quote: dict[str, Any], lang: str) -> tuple[bool, str]:
    """Whether a quote agrees with the text (see module doc) and, if not, why."""
    text, part = located_text(doc, quote["where"], lang)
    if not text or quote["text"] not in text:
        return False, f"not found verbatim at {quote['where']}"
    if part not in PARTS[role]:
        return False, f"from the {part} part"
    if role == "solution" and doc.claims:
        claim = _main_claim(doc, lang)
        common = set(keys_of(quote["text"], lang)) & set(keys_of(claim.text, claim.lang)) if claim else set()
        if claim is not None and len(common) < 2:
            return False, f"shares {len(common)} distinctive word(s) with claim {claim.num}"
    return True, ""


def pick(docs: list[PatentDocument], sample: int) -> list[PatentDocument]:
    """Up to ``sample`` documents with an abstract or claims, taken in turn from each office."""
    by_office: dict[str, list[PatentDocument]] = defaultdict(list)
    for d in sorted(docs, key=lambda d: d.id):
        if d.abstracts or d.claims:
            by_office[d.pubno.country or "?"].append(d)
    out: list[PatentDocument] = []
    queues = [by_office[k] for k in sorted(by_office)]
    while len(out) < sample and any(queues):
        for q in queues:
            if q and len(out) < sample:
                out.append(q.pop(0))
    return out


def eval_explain(paths: list[Path], settings: Settings | None = None, *, sample: int = 50) -> dict[str, Any]:
    """Ingest ``paths`` into a temporary store, explain ``sample`` documents, judge the first
    problem and solution quote of each (see module doc)."""
    from ipai.service import Service

    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as td:
        svc = Service(load_settings(home=Path(td) / "home", progress=False))
        try:
            svc.ingest(paths)
            docs = pick(list(svc.store.iter_documents()), sample)
        finally:
            svc.close()
    if not docs:
        raise InputError("no documents with an abstract or claims in the files",
                         errors=[{"field": "paths", "message": "no documents"}])
    print(f"judging {len(docs)} documents", file=sys.stderr)
    counts: dict[str, dict[str, int]] = {r: {"quoted": 0, "agree": 0} for r in ("problem", "solution")}
    by_office: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    misses: list[dict[str, Any]] = []
    for d in docs:
        lang = doc_lang(d)
        res = explain(d, lang)
        off = by_office[d.pubno.country or "?"]
        off["documents"] += 1
        for role in ("problem", "solution"):
            if not res[role]:
                continue
            q = res[role][0]
            ok, why = judge(d, role, q, res["text_lang"])
            counts[role]["quoted"] += 1
            off[f"{role}_quoted"] += 1
            if ok:
                counts[role]["agree"] += 1
                off[f"{role}_agree"] += 1
            else:
                misses.append({"number": d.id, "role": role, "where": q["where"], "why": why, "text": q["text"][:160]})
    n = len(docs)

    def rate(a: int, b: int) -> float | None:
        return round(a / b, 3) if b else None

    roles = {r: {"quoted": c["quoted"], "agree": c["agree"], "coverage": rate(c["quoted"], n),
                 "agreement_of_quoted": rate(c["agree"], c["quoted"]), "agreement_of_documents": rate(c["agree"], n)}
             for r, c in counts.items()}
    both = counts["problem"]["agree"] + counts["solution"]["agree"]
    return {"eval": "explain", "documents": n, "by_office": {k: dict(v) for k, v in sorted(by_office.items())},
            "roles": roles, "agreement_of_quoted": rate(both, counts["problem"]["quoted"] + counts["solution"]["quoted"]),
            "disagreements": misses, "rule": "docs/explain.md", "seconds": round(time.perf_counter() - t0, 1)}
