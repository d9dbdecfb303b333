"""White space and bottlenecks in a landscape.

Cells are classification groups (CPC/IPC main groups; subclasses when groups are absent). For each
cell over the set's complete years:
- **demand**: growth (share of the cell's documents in the last three complete years ÷ its share
  of all documents in those years) and citations received per document;
- **supply**: documents and distinct applicants.
A **white space** has demand above the set's median (growth ≥ 1.2 or citations/doc above median)
but supply in the bottom quarter (documents) or at most three applicants. A **barrier** is a cell
where one applicant holds at least half of the documents and that applicant is from another
country than ``home`` (when the source gives applicant countries; else it is flagged "country
unknown").
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from typing import Any

from ipai.analytics.landscape import Facts


def whitespace(
    facts: list[Facts], *, last_year: int, home: str = "CN", min_docs: int = 3, top: int = 20
) -> dict[str, Any]:
    """Cells with demand but little supply, and cells one foreign applicant dominates."""
    use_groups = sum(1 for f in facts if f.groups) >= 0.5 * max(len(facts), 1)
    cell_docs: dict[str, list[Facts]] = defaultdict(list)
    for f in facts:
        if f.year and f.year <= last_year:
            for c in f.groups if use_groups else f.subclasses:
                cell_docs[c].append(f)
    recent = {y for y in range(last_year - 2, last_year + 1)}
    all_recent = sum(1 for f in facts if f.year in recent) / max(
        sum(1 for f in facts if f.year and f.year <= last_year), 1
    )
    rows: list[dict[str, Any]] = []
    for c, docs in cell_docs.items():
        if len(docs) < min_docs:
            continue
        share = sum(1 for f in docs if f.year in recent) / len(docs)
        apps = Counter(a for f in docs for a in set(f.applicants))
        lead, lead_n = apps.most_common(1)[0] if apps else (None, 0)
        countries = Counter(f.countries.get(lead) for f in docs if lead in f.countries)
        rows.append(
            {
                "cell": c,
                "documents": len(docs),
                "applicants": len(apps),
                "growth": round(share / all_recent, 2) if all_recent else None,
                "cited_per_doc": round(sum(f.cited_by for f in docs) / len(docs), 2),
                "leader": lead,
                "leader_share": round(lead_n / len(docs), 2),
                "leader_country": countries.most_common(1)[0][0] if countries else None,
            }
        )
    if not rows:
        return {"level": "group" if use_groups else "subclass", "white_space": [], "barriers": [], "cells": 0}
    q1 = (
        statistics.quantiles([r["documents"] for r in rows], n=4)[0]
        if len(rows) >= 4
        else min(r["documents"] for r in rows)
    )
    med_cite = statistics.median(r["cited_per_doc"] for r in rows)
    white = [
        dict(
            r,
            reasons=[
                x
                for x in (
                    f"growth ×{r['growth']}" if (r["growth"] or 0) >= 1.2 else None,
                    f"{r['cited_per_doc']} citations per document (median {med_cite})"
                    if r["cited_per_doc"] > med_cite
                    else None,
                    f"only {r['documents']} documents" if r["documents"] <= q1 else None,
                    f"only {r['applicants']} applicants" if r["applicants"] <= 3 else None,
                )
                if x
            ],
        )
        for r in rows
        if ((r["growth"] or 0) >= 1.2 or r["cited_per_doc"] > med_cite)
        and (r["documents"] <= q1 or r["applicants"] <= 3)
    ]
    for (
        r
    ) in white:  # the same reasons as codes and values (ipai.analytics.texts writes them in either language)
        r["facts"] = [
            f
            for f in (
                {"code": "ws_growth", "growth": r["growth"]} if (r["growth"] or 0) >= 1.2 else None,
                {"code": "ws_citations", "value": r["cited_per_doc"], "median": med_cite}
                if r["cited_per_doc"] > med_cite
                else None,
                {"code": "ws_few_documents", "n": r["documents"]} if r["documents"] <= q1 else None,
                {"code": "ws_few_applicants", "n": r["applicants"]} if r["applicants"] <= 3 else None,
            )
            if f
        ]
    white.sort(key=lambda r: (-(r["growth"] or 0), -r["cited_per_doc"]))
    barriers = [
        dict(r, foreign=(None if r["leader_country"] is None else r["leader_country"] != home))
        for r in rows
        if r["leader_share"] >= 0.5 and r["documents"] >= 2 * min_docs and r["leader_country"] != home
    ]
    barriers.sort(key=lambda r: (-r["documents"], -r["leader_share"]))
    biggest = sorted(rows, key=lambda r: -r["documents"])[:400]
    return {
        "level": "group" if use_groups else "subclass",
        "cells": len(rows),
        "home": home,
        "map": [{k: r[k] for k in ("cell", "documents", "applicants", "growth")} for r in biggest],
        "thresholds": {
            "documents_q1": q1,
            "cited_per_doc_median": med_cite,
            "growth": 1.2,
            "leader_share": 0.5,
        },
        "white_space": white[:top],
        "barriers": barriers[:top],
    }
