"""``ipai eval triz FILE``: are the example patents on the user's topic and about the principle?

Each case (JSON lines: ``{"id", "problem", "topic_terms", "subclasses", "principles", "split"}``) is
run through the TRIZ assistant on the configured store (the contradiction described in text; up to
three example patents per principle). The rules were fixed before any tuning:

* an example is **on topic** when its title or abstract contains one of the case's ``topic_terms``
  (case-insensitive) or it has an IPC/CPC subclass among the case's ``subclasses``;
* an example is **about the principle** when its title or abstract contains one of the principle's
  keywords of the TRIZ data set (``triz_data``; prefix match, so "segment" matches "segmented");
* **distinct lists**: the share of pairs of principles of one problem whose example lists differ
  (one generic list for every principle scores 0);
* **expected principles** (when the case lists some): the share found among the principles offered.
"""

from __future__ import annotations

import re
import time
from itertools import combinations
from pathlib import Path
from typing import Any

from ipai.errors import InputError
from ipai.evals.queryfile import read_jsonl


def read_cases(path: Path) -> list[dict[str, Any]]:
    """TRIZ cases; a bad line is an error naming the line and the field."""
    out = []
    for n, c in read_jsonl(path):
        if not isinstance(c.get("problem"), str) or not c["problem"].strip():
            raise InputError(
                f"line {n}: field 'problem' missing or empty",
                errors=[{"field": "problem", "message": f"line {n}"}],
            )
        if not isinstance(c.get("topic_terms"), list) or not c["topic_terms"]:
            raise InputError(
                f"line {n}: field 'topic_terms' must be a non-empty list",
                errors=[{"field": "topic_terms", "message": f"line {n}"}],
            )
        out.append(c)
    return out


def _text(doc: Any) -> str:
    return " ".join([*doc.titles.values(), *doc.abstracts.values()]).lower()


def on_topic(doc: Any, case: dict[str, Any]) -> bool:
    """The topic rule of the module doc."""
    text = _text(doc)
    if any(t.lower() in text for t in case["topic_terms"]):
        return True
    subs = {c.code.replace(" ", "")[:4].upper() for c in doc.classifications}
    return bool(subs & {s.upper() for s in case.get("subclasses", [])})


def about_principle(doc: Any, keywords: list[str]) -> bool:
    """The principle rule of the module doc."""
    text = _text(doc)
    return any(re.search(r"\b" + re.escape(k.lower()), text) for k in keywords)


def eval_triz(path: Path, svc: Any, *, details: bool = False) -> dict[str, Any]:
    """Run every case and judge its example patents (see module doc)."""
    cases = read_cases(path)
    if svc.store.count_documents() == 0:
        raise InputError(
            "the store is empty: load patents first (ipai ingest) / 库为空，请先导入专利",
            errors=[{"field": "store", "message": "empty"}],
        )
    data = svc.triz._triz_data()
    t0 = time.perf_counter()
    tot = {
        "examples": 0,
        "on_topic": 0,
        "about_principle": 0,
        "both": 0,
        "pairs": 0,
        "distinct": 0,
        "expected": 0,
        "expected_found": 0,
    }
    by_split: dict[str, dict[str, int]] = {}
    rows = []
    for c in cases:
        r = svc.triz.triz(text=c["problem"], top_examples=3)
        lists = []
        row = {"id": c["id"], "pair": [r["improving"]["id"], r["worsening"]["id"]], "principles": []}
        n = {"examples": 0, "on_topic": 0, "about_principle": 0, "both": 0}
        for q in r["principles"]:
            ids = [p["id"] for p in q.get("patents", [])]
            lists.append(tuple(ids))
            docs = svc.search_engine.documents(ids)
            kws = data.principles[q["id"]].keywords
            judged = []
            for i in ids:
                d = docs.get(i)
                t, a = (on_topic(d, c), about_principle(d, kws)) if d else (False, False)
                n["examples"] += 1
                n["on_topic"] += t
                n["about_principle"] += a
                n["both"] += t and a
                judged.append(
                    {"id": i, "title": (d.title if d else "")[:80], "on_topic": t, "about_principle": a}
                )
            row["principles"].append({"id": q["id"], "name": q["name"], "patents": judged})
        pairs = list(combinations(lists, 2))
        distinct = sum(1 for a, b in pairs if a != b)
        offered = {q["id"] for q in r["principles"]}
        exp = c.get("principles") or []
        for key in ("all", c.get("split", "all")):
            sums = tot if key == "all" else by_split.setdefault(key, {k: 0 for k in tot})
            for k, v in n.items():
                sums[k] += v
            sums["pairs"] += len(pairs)
            sums["distinct"] += distinct
            sums["expected"] += len(exp)
            sums["expected_found"] += len(offered & set(exp))
            if key == c.get("split", "all"):
                break
        if details:
            rows.append(row)

    def rates(t: dict[str, int]) -> dict[str, Any]:
        def r(a: str, b: str) -> float | None:
            return round(t[a] / t[b], 3) if t[b] else None

        return {
            "examples": t["examples"],
            "on_topic": r("on_topic", "examples"),
            "about_principle": r("about_principle", "examples"),
            "on_topic_and_about_principle": r("both", "examples"),
            "distinct_lists": r("distinct", "pairs"),
            "expected_principles_found": r("expected_found", "expected"),
        }

    return {
        "eval": "triz",
        "cases": len(cases),
        "store_documents": svc.store.count_documents(),
        **rates(tot),
        "by_split": {k: rates(v) for k, v in sorted(by_split.items())},
        **({"details": rows} if details else {}),
        "rule": "src/ipai/evals/triz.py (fixed before tuning)",
        "seconds": round(time.perf_counter() - t0, 1),
    }
