"""``ipai eval claims``: run the claim checker over every claim set in data files.

The files are ingested into a temporary store; each stored document's claims are checked per
language (with the description when it is in the same language), under the document's own office
(US → US, EP → EP, CN → CN, others → CN) unless ``office`` is given. The result: findings per 100
claims by rule, by source (office of the document) and by language, and, with ``sample``, a
reproducible random sample of findings (seeded) to check by hand.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from ipai.draft.checker import OFFICES, check_claims
from ipai.errors import InputError
from ipai.settings import Settings, load_settings


def _per100(c: Counter[str], n: int) -> dict[str, float]:
    return {k: round(100 * v / n, 2) for k, v in sorted(c.items(), key=lambda kv: -kv[1])} if n else {}


def check_document(doc: Any, office: str | None = None) -> list[dict[str, Any]]:
    """Check every language's claim set of a stored document; one checker result per language."""
    out = []
    cc = (doc.pubno.country or doc.id[:2] or "").upper()
    off = office or (cc if cc in OFFICES else "CN")
    desc = doc.description
    for lang in sorted({c.lang for c in doc.claims}):
        claims = [c for c in doc.claims if c.lang == lang]
        text = desc.text if desc is not None and desc.lang == lang else None
        res = check_claims(claims, description=text, lang=lang, office=off, ui_lang="en")
        res["number"] = doc.id
        res["source"] = cc or "?"
        out.append(res)
    return out


def eval_claims(
    paths: list[Path],
    settings: Settings | None = None,
    *,
    office: str | None = None,
    sample: int = 0,
    seed: int = 0,
) -> dict[str, Any]:
    """Ingest ``paths`` into a temporary store and check every stored claim set (see module doc)."""
    from ipai.service import Service

    if office is not None and office.upper() not in OFFICES:
        raise InputError(
            f"--office must be one of {', '.join(OFFICES)}",
            errors=[{"field": "office", "message": "unknown"}],
        )
    t0 = time.perf_counter()
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as td:
        svc = Service(load_settings(home=Path(td) / "home", progress=False))
        try:
            svc.corpus.ingest(paths)
            print(f"loaded {svc.store.count_documents():,} documents", file=sys.stderr)
            for doc in svc.store.iter_documents():
                if doc.claims:
                    results.extend(check_document(doc, office.upper() if office else None))
        finally:
            svc.close()
    if not results:
        raise InputError("no claims in the files", errors=[{"field": "paths", "message": "no claims"}])
    return summarise(results, sample=sample, seed=seed, seconds=time.perf_counter() - t0)


def summarise(
    results: list[dict[str, Any]], *, sample: int = 0, seed: int = 0, seconds: float = 0.0
) -> dict[str, Any]:
    """Findings per 100 claims by rule, source and language; optionally a seeded sample of findings."""
    n = sum(r["counts"]["claims"] for r in results)
    by_rule: Counter[str] = Counter()
    by_sev: Counter[str] = Counter()
    per_source: dict[str, dict[str, Any]] = defaultdict(lambda: {"claims": 0, "sets": 0, "rules": Counter()})
    per_lang: dict[str, dict[str, Any]] = defaultdict(lambda: {"claims": 0, "rules": Counter()})
    all_findings = []
    for r in results:
        texts = {c["num"]: c["text"] for c in r["claims"]}
        src = per_source[r["source"]]
        src["claims"] += r["counts"]["claims"]
        src["sets"] += 1
        per_lang[r["lang"]]["claims"] += r["counts"]["claims"]
        for f in r["findings"]:
            by_rule[f["rule"]] += 1
            by_sev[f["severity"]] += 1
            src["rules"][f["rule"]] += 1
            per_lang[r["lang"]]["rules"][f["rule"]] += 1
            t = texts.get(f["claim"], "")
            all_findings.append(
                {
                    "number": r["number"],
                    "office": r["office"],
                    "lang": r["lang"],
                    **f,
                    "context": t[max(0, f["start"] - 80) : f["end"] + 80],
                }
            )
    out: dict[str, Any] = {
        "claim_sets": len(results),
        "claims": n,
        "findings": len(all_findings),
        "per_100_claims": _per100(by_rule, n),
        "per_100_claims_by_severity": _per100(by_sev, n),
        "by_source": {
            k: {
                "claim_sets": v["sets"],
                "claims": v["claims"],
                "per_100_claims": _per100(v["rules"], v["claims"]),
            }
            for k, v in sorted(per_source.items())
        },
        "by_lang": {
            k: {"claims": v["claims"], "per_100_claims": _per100(v["rules"], v["claims"])}
            for k, v in sorted(per_lang.items())
        },
        "seconds": round(seconds, 1),
    }
    if sample:
        rng = random.Random(seed)
        picked = rng.sample(all_findings, min(sample, len(all_findings)))
        out["sample"] = {"seed": seed, "size": len(picked), "findings": picked}
    return out


def run(
    paths: list[Path], settings: Settings | None, office: str | None, sample: int, seed: int
) -> dict[str, Any]:
    """The CLI entry point (``settings`` unused: the store is temporary)."""
    del settings
    return eval_claims(paths, office=office, sample=sample, seed=seed)
