"""``ipai eval match``: patents as pseudo-demands.

For a sample of documents that carry claims, the first independent claim is rewritten as a need
(claim number and claim language removed: "comprising" → "with", "wherein" → "where", "said" →
"the"; the title is never used) and matched against everything else in the files (the source
document itself is left out of the candidates). Scored:

- **CPC neighbours**: a proposed patent is relevant when it shares the source's CPC main group
  (``--level subclass`` for subclasses): recall@10 = share of demands with a relevant patent in the
  top 10, MRR of the first relevant patent, precision@10;
- **owner**: where the source has an applicant/assignee, whether that owner (normal form) is among
  the top-10 proposed owners, found through its *other* patents (recall@10, MRR).

ipai (hybrid search of the key terms, calibrated relevance) is compared with itself searching the
key terms on the keyword side only (BM25) on the same demands.
"""

from __future__ import annotations

import random
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from ipai.analytics.entities.keys import org_core
from ipai.settings import Settings, load_settings

_NUM = re.compile(r"^\s*\d+\s*[.)]\s*")
_LEGAL = [
    (re.compile(r"\bcomprising\b", re.I), "with"),
    (re.compile(r"\bwherein\b", re.I), "where"),
    (re.compile(r"\bsaid\b", re.I), "the"),
    (re.compile(r"\bconsisting (essentially )?of\b", re.I), "with"),
    (re.compile(r"\(\s*\d+[a-z]?\s*\)"), ""),
    (re.compile("其特征在于"), ""),
    (re.compile("所述"), ""),
]


def pseudo_demand(claim: str) -> str:
    """A claim rewritten as a need (see the module doc)."""
    text = _NUM.sub("", claim)
    for rx, repl in _LEGAL:
        text = rx.sub(repl, text)
    text = " ".join(text.split())
    return ("需要：" if re.search(r"[\u4e00-\u9fff]", text[:50]) else "We need ") + text


def _key(code: str, level: str) -> str:
    code = code.replace(" ", "")
    return code[:4] if level == "subclass" else code.split("/")[0]


def eval_match(
    paths: list[Path],
    settings: Settings,
    *,
    sample: int = 200,
    level: str = "group",
    seed: int = 7,
    top: int = 10,
) -> dict[str, Any]:
    """Ingest ``paths`` into a temporary store and score ipai vs BM25 on pseudo-demands."""
    from ipai.errors import InputError
    from ipai.service import Service
    from ipai.text.lang import detect
    from ipai.transfer.matcher import match_demand

    if level not in ("group", "subclass"):
        raise InputError(
            "--level must be group or subclass", errors=[{"field": "level", "message": "unknown"}]
        )
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as td:
        svc = Service(load_settings(home=Path(td) / "home", progress=False))
        try:
            svc.corpus.ingest(paths)
            svc.corpus.index()
            n_docs = svc.store.count_documents()
            cands = []
            for d in svc.store.iter_documents():
                claim = next((c for c in d.claims if c.independent), None)
                classes = {_key(c.code, level) for c in d.classifications if c.scheme in ("cpc", "ipc")}
                if claim and len(claim.text) >= 80 and classes:
                    owners = [org_core(p.name) for p in (d.applicants or d.assignees) if p.name]
                    cands.append((d.id, claim.text, classes, owners))
            if not cands:
                raise InputError("no document in the files has an independent claim and a CPC/IPC class")
            rnd = random.Random(seed)
            picked = rnd.sample(cands, min(sample, len(cands)))
            print(
                f"{n_docs:,} documents, {len(cands):,} with a claim and classes; {len(picked)} pseudo-demands",
                file=sys.stderr,
            )
            fields = svc.store.get_fields  # classes of proposed patents
            systems = {"ipai": "hybrid", "bm25": "keyword"}  # system → search mode
            scores: dict[str, dict[str, list[float]]] = {
                s: {"rr": [], "hit": [], "prec": [], "orr": [], "ohit": [], "ms": []} for s in systems
            }
            for i, (doc_id, claim_text, classes, owners) in enumerate(picked, 1):
                text = pseudo_demand(claim_text)
                for name, mode in systems.items():
                    r = match_demand(
                        svc.search_engine, text, detect(text), top=top, exclude={doc_id}, mode=mode
                    )
                    scores[name]["ms"].append(r["timing_ms"]["total"])
                    ids = [p["target"] for p in r["patents"][:top]]
                    cls = fields(ids, ("classifications",))
                    rel = [
                        bool(
                            {
                                _key(c.get("code") or "", level)
                                for c in (cls.get(x, {}).get("classifications") or [])
                            }
                            & classes
                        )
                        for x in ids
                    ]
                    first = next((k for k, v in enumerate(rel, 1) if v), None)
                    scores[name]["rr"].append(1 / first if first else 0.0)
                    scores[name]["hit"].append(1.0 if first else 0.0)
                    scores[name]["prec"].append(sum(rel) / top)
                    if owners:
                        o = [org_core(x["target"]) for x in r["owners"][:top]]
                        pos = next((k for k, x in enumerate(o, 1) if x in owners), None)
                        scores[name]["orr"].append(1 / pos if pos else 0.0)
                        scores[name]["ohit"].append(1.0 if pos else 0.0)
                if i % 25 == 0:
                    print(f"  {i}/{len(picked)}", file=sys.stderr)
        finally:
            svc.close()

    def mean(v: list[float]) -> float | None:
        return round(sum(v) / len(v), 4) if v else None

    def p50(v: list[float]) -> float | None:
        return round(sorted(v)[len(v) // 2], 1) if v else None

    out = {
        s: {
            f"cpc_{level}_recall@{top}": mean(v["hit"]),
            f"cpc_{level}_mrr": mean(v["rr"]),
            f"cpc_{level}_precision@{top}": mean(v["prec"]),
            f"owner_recall@{top}": mean(v["ohit"]),
            "owner_mrr": mean(v["orr"]),
            "demands_with_owner": len(v["ohit"]),
            "match_ms_p50": p50(v["ms"]),
        }
        for s, v in scores.items()
    }
    return {
        "files": [str(p) for p in paths],
        "documents": n_docs,
        "candidates": len(cands),
        "pseudo_demands": len(picked),
        "level": level,
        "seed": seed,
        **out,
        "seconds": round(time.perf_counter() - t0, 1),
    }
