"""``ipai eval explain FILES…``: are the right sentences found, and does a reader get the explanation
in their own language?

Three measurements, on the documents of the given files (ingested into a temporary store):

1. **found** — the share of *grants* (and, apart, of applications) with a problem, a solution and an
   effect quote, per office;
2. **agreement** with a labelled set (``--cases``, JSON lines: ``{"id", "file", "split", "problem":
   [{"where", "text"}…] | [] | null, "effect": …}``; a list of acceptable passages, ``[]`` when the
   document states none, ``null`` when not labelled): the first quote **agrees** when it comes from
   one of the labelled passages (the same description paragraph; for the abstract or a claim, the
   quote and the labelled text overlap), and for ``[]`` when nothing is quoted; also whether any of
   the quotes agrees; per split (dev / test) and role;
3. **reader language** (``--lang zh|en``): on documents written in another language, the share of
   the explanation's own text (everything outside the “quotes”) written in the reader's language
   (CJK characters for zh, Latin letters for en).
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from ipai.errors import InputError
from ipai.explain.explainer import explain, plain_text
from ipai.explain.sections import doc_lang, paragraph_sections
from ipai.model import PatentDocument
from ipai.settings import Settings, load_settings

ROLES = ("problem", "solution", "effect")
_QUOTED = re.compile(r"“[^”]*”")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")


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


def agrees(quote: dict[str, Any], expected: dict[str, Any]) -> bool:
    """A quote agrees with a labelled passage: same description paragraph; in the abstract or a
    claim, the same location and overlapping text (one contains the other)."""
    if quote["where"] != expected["where"]:
        return False
    if quote["where"].startswith("description"):
        return True
    a, b = quote["text"], expected.get("text", "")
    return bool(b) and (b in a or a in b)


def reader_share(text: str, ui: str) -> float | None:
    """Share of the reader's script among the letters outside “quotes” (CJK for zh, Latin for en)."""
    own = _QUOTED.sub("", text)
    cjk, latin = len(_CJK.findall(own)), len(_LATIN.findall(own))
    if not cjk + latin:
        return None
    return (cjk if ui == "zh" else latin) / (cjk + latin)


def read_cases(path: Path) -> list[dict[str, Any]]:
    """The labelled cases; a malformed line is an error naming the line and field."""
    out = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(
            f"cases: cannot read {path}: {exc.strerror}", errors=[{"field": "cases", "message": "unreadable"}]
        ) from exc
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            c = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"cases line {n}: not JSON ({exc.msg})",
                errors=[{"field": f"line {n}", "message": "not JSON"}],
            ) from exc
        for key in ("id", "problem", "effect"):
            if key not in c:
                raise InputError(
                    f"cases line {n}: missing field {key!r}", errors=[{"field": key, "message": f"line {n}"}]
                )
        for role in ("problem", "effect"):
            if c[role] is not None and not (
                isinstance(c[role], list) and all(isinstance(e, dict) and "where" in e for e in c[role])
            ):
                raise InputError(
                    f"cases line {n}: {role} must be a list of {{where, text}} or null",
                    errors=[{"field": role, "message": f"line {n}"}],
                )
        out.append(c)
    return out


def _rate(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None


def _agreement(
    cases: list[dict[str, Any]], results: dict[str, dict[str, Any]], details: bool
) -> dict[str, Any]:
    tally: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0, 0]))
    rows, missing = [], []
    for c in cases:
        res = results.get(c["id"])
        if res is None:
            missing.append(c["id"])
            continue
        split = c.get("split", "all")
        for role in ("problem", "effect"):
            exp = c[role]
            if exp is None:
                continue
            quotes = res[role]
            first = (not quotes) if not exp else bool(quotes) and any(agrees(quotes[0], e) for e in exp)
            anyq = (not quotes) if not exp else any(agrees(q, e) for q in quotes for e in exp)
            for key in (split, "all"):
                t = tally[key][role]
                t[0] += 1
                t[1] += first
                t[2] += anyq
            if details:
                rows.append(
                    {
                        "id": c["id"],
                        "split": split,
                        "role": role,
                        "first_agrees": first,
                        "any_agrees": anyq,
                        "quoted": [{"where": q["where"], "text": q["text"][:200]} for q in quotes],
                        "expected": [e["where"] for e in exp],
                    }
                )
    out: dict[str, Any] = {
        k: {
            role: {"cases": t[0], "first": _rate(t[1], t[0]), "any": _rate(t[2], t[0])}
            for role, t in v.items()
        }
        for k, v in sorted(tally.items())
    }
    for v in out.values():
        n = sum(r["cases"] for r in v.values())
        v["both_roles_first"] = _rate(sum(round((r["first"] or 0) * r["cases"]) for r in v.values()), n)
    out["cases_missing"] = missing
    if details:
        out["cases"] = rows
    return out


def eval_explain(
    paths: list[Path],
    settings: Settings | None = None,
    *,
    cases: Path | None = None,
    ui: str | None = None,
    details: bool = False,
) -> dict[str, Any]:
    """Ingest ``paths`` into a temporary store, explain every document with text, and measure (see
    module doc)."""
    from ipai.service import Service
    from ipai.service.explain import e5_similarity

    if ui not in (None, "zh", "en"):
        raise InputError(
            "lang must be zh or en / lang 只能是 zh 或 en", errors=[{"field": "lang", "message": "zh or en"}]
        )
    labelled = read_cases(cases) if cases else []
    t0 = time.perf_counter()
    base = settings or load_settings(progress=False)
    with tempfile.TemporaryDirectory() as td:
        svc = Service(
            load_settings(home=Path(td) / "home", progress=False, encoder_cache=base.encoder_cache_path)
        )
        try:
            svc.corpus.ingest(paths)
            docs = sorted(
                (d for d in svc.store.iter_documents() if d.abstracts or d.claims), key=lambda d: d.id
            )
        finally:
            svc.close()
    if not docs:
        raise InputError(
            "no documents with an abstract or claims in the files",
            errors=[{"field": "paths", "message": "no documents"}],
        )
    print(f"explaining {len(docs)} documents", file=sys.stderr)
    similarity = e5_similarity(base.encoder_cache_path)
    found: dict[str, dict[str, Any]] = defaultdict(lambda: defaultdict(int))
    results: dict[str, dict[str, Any]] = {}
    shares: list[float] = []
    lang_rows = []
    for d in docs:
        res = explain(d, doc_lang(d), similarity=similarity)
        results[d.id] = res
        kind = "grants" if d.doc_type == "patent" else "applications"
        for key in (kind, f"{kind} {d.pubno.country}"):
            found[key]["documents"] += 1
            for role in ROLES:
                found[key][role] += bool(res[role])
            found[key]["all_three"] += all(res[r] for r in ROLES)
        if ui and res["text_lang"] != ui:
            share = reader_share(plain_text(res, ui), ui)
            if share is not None:
                shares.append(share)
                lang_rows.append({"id": d.id, "text_lang": res["text_lang"], "share": round(share, 3)})
    found_out = {
        k: {"documents": v["documents"], **{r: _rate(v[r], v["documents"]) for r in (*ROLES, "all_three")}}
        for k, v in sorted(found.items())
    }
    out: dict[str, Any] = {"eval": "explain", "documents": len(docs), "found": found_out}
    if labelled:
        out["agreement"] = _agreement(labelled, results, details)
        out["cases_file"] = str(cases)
    if ui:
        out["reader_language"] = {
            "lang": ui,
            "documents_in_other_language": len(shares),
            "mean_share": round(sum(shares) / len(shares), 3) if shares else None,
            "min_share": round(min(shares), 3) if shares else None,
            "share_of_documents_at_least_0.9": _rate(sum(s >= 0.9 for s in shares), len(shares)),
            **({"documents": lang_rows} if details else {}),
        }
    out["rule"] = "docs/explain.md"
    out["seconds"] = round(time.perf_counter() - t0, 1)
    return out
