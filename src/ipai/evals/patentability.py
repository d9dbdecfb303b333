"""``ipai eval patentability``: does a paraphrased or translated claim make its own document X,
and how often is an unrelated document X?

Each case is a claim written differently from a real document's (a paraphrase an agent would
write, in English or Chinese; the same claim in another language: the EP B1 claims in German and
French, Chinese and English translations) and the document it comes from. On the evaluation
corpus (:mod:`ipai.evals.corpus`) the claim is assessed as a user would (hybrid search, top 10,
support read by meaning), and

- **own X**: its own document comes out X (the document must be retrieved and disclose every
  feature);
- **false X, unrelated**: the claim is assessed against two documents of another technical field
  (one in the claim's language, one in the other), which must never be X;
- **false X, neighbours**: the other retrieved documents (same field, different inventions) that
  come out X (reported, not a target: a retrieved neighbour may really anticipate).

``--calibrate`` refits the support model and the X threshold on the dev split
(:mod:`ipai.assess.calibration`) and stores them in ``support.json``; the numbers reported are then
those of the refitted parameters on the requested split.
"""

from __future__ import annotations

import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ipai.assess import calibration
from ipai.assess.features import decompose
from ipai.assess.report import map_documents, prior_art
from ipai.errors import InputError
from ipai.evals.cases import Case, read_cases
from ipai.evals.corpus import corpus_service
from ipai.settings import Settings

TARGET_OWN_X, TARGET_FALSE_X = 0.8, 0.05
TOP = 10
Bags = list[tuple[np.ndarray, np.ndarray]]  # per feature: candidate signal rows, read-by-meaning flags


@dataclass
class Outcome:
    """What one case gave: the signal bags of its own document, its neighbours and the unrelated
    documents (the categories follow from the bags and the parameters)."""

    case: Case
    features: int = 0
    own: Bags | None = None
    own_rank: int | None = None
    promise: dict[str, float] = field(default_factory=dict)
    neighbours: dict[str, Bags] = field(default_factory=dict)
    unrelated: dict[str, Bags] = field(default_factory=dict)
    error: str | None = None


def support(bags: Bags, p: calibration.SupportParams) -> list[float]:
    """Each feature's best support."""
    return [float(p.score(rows, ver).max()) if len(rows) else 0.0 for rows, ver in bags]


def is_x(bags: Bags | None, p: calibration.SupportParams) -> bool:
    """X: every feature supported at or above ``covered``."""
    if not bags:
        return False
    return min(support(bags, p)) >= p.covered


def _sections(doc: Any) -> set[str]:
    return {c.code[:1] for c in doc.classifications if c.code}


class Unrelated:
    """Documents of another field to test false X against: one in each script."""

    def __init__(self, svc: Any) -> None:
        self.by_script: dict[str, list[tuple[str, frozenset[str]]]] = {"zh": [], "latin": []}
        for d in svc.store.iter_documents():
            text = bool(d.claims or d.abstracts)
            secs = frozenset(_sections(d))
            if text and secs and d.doc_type != "design":
                zh = any(c.lang == "zh" for c in d.claims) or "zh" in d.abstracts
                self.by_script["zh" if zh else "latin"].append((d.id, secs))

    def pick(self, case: Case, own: Any, lang: str) -> list[str]:
        """One document of each script sharing no classification section with the case's document."""
        rng = random.Random(case.id)
        secs = _sections(own) if own is not None else set()
        out = []
        for script in ("zh", "latin") if lang == "zh" else ("latin", "zh"):
            pool = [i for i, s in self.by_script[script] if not (s & secs) and i != case.doc]
            if pool:
                out.append(rng.choice(pool))
        return out


def run_case(svc: Any, case: Case, unrelated: Unrelated) -> Outcome:
    """Assess one case's claim: searched (own document and neighbours) and against unrelated documents."""
    out = Outcome(case)
    engine = svc.search_engine
    try:
        dec = decompose(case.text)
    except InputError as exc:
        out.error = exc.message
        return out
    out.features = len(dec.features)
    _, ranked = prior_art(engine, dec, top=TOP)
    _, mapper = map_documents(engine, dec, ranked, keep_signals=True)
    for i, (rank, doc, _) in enumerate(ranked):
        bags = mapper.signals.get(i, [])
        out.promise[doc.id] = round(mapper.promise.get(i, 0.0), 3)
        if doc.id == case.doc:
            out.own, out.own_rank = bags, rank
        else:
            out.neighbours[doc.id] = bags
    own_doc = svc.store.get_documents([case.doc]).get(case.doc)
    picks = unrelated.pick(case, own_doc, dec.lang)
    if picks:
        _, ranked = prior_art(engine, dec, candidates=picks)
        _, mapper = map_documents(engine, dec, ranked, keep_signals=True)
        out.unrelated = {doc.id: mapper.signals.get(i, []) for i, (_, doc, _) in enumerate(ranked)}
    return out


def _rate(n: int, d: int) -> float | None:
    return round(n / d, 3) if d else None


def metrics(outs: list[Outcome], p: calibration.SupportParams) -> dict[str, Any]:
    """Own-X rate, retrieval and false-X rates, overall and per kind."""

    def block(group: list[Outcome]) -> dict[str, Any]:
        ok = [o for o in group if o.error is None]
        own_x = sum(is_x(o.own, p) for o in ok)
        unrel = [b for o in ok for b in o.unrelated.values()]
        neigh = [b for o in ok for b in o.neighbours.values()]
        return {
            "cases": len(group),
            "skipped": len(group) - len(ok),
            "own_retrieved": _rate(sum(o.own is not None for o in ok), len(ok)),
            "own_x": _rate(own_x, len(ok)),
            "false_x_unrelated": _rate(sum(is_x(b, p) for b in unrel), len(unrel)),
            "unrelated": len(unrel),
            "false_x_neighbours": _rate(sum(is_x(b, p) for b in neigh), len(neigh)),
            "neighbours": len(neigh),
        }

    kinds = sorted({o.case.kind for o in outs})
    return {
        "overall": block(outs),
        "by_kind": {k: block([o for o in outs if o.case.kind == k]) for k in kinds},
    }


def fit(
    outs: list[Outcome], base: calibration.SupportParams
) -> tuple[calibration.SupportParams, dict[str, Any]]:
    """Refit the support model and the thresholds on these outcomes (the dev split)."""
    # feature level: a feature is disclosed by its own document and by nothing of another field
    # (a retrieved neighbour may well disclose some features: it only counts at document level)
    bags = []
    for o in outs:
        if o.own:
            bags += [(rows, ver, 1) for rows, ver in o.own]
        for b in o.unrelated.values():
            bags += [(rows, ver, 0) for rows, ver in b]
    # words only: a feature stated in the claim's own language in its own document, against every
    # feature of the retrieved neighbours and of the unrelated documents
    lexical = [
        (rows, ver, 1) for o in outs if o.own for rows, ver in o.own if len(rows) and not rows[:, 2].all()
    ]
    lexical += [
        (rows, ver, 0)
        for o in outs
        for b in list(o.neighbours.values()) + list(o.unrelated.values())
        for rows, ver in b
    ]
    p = calibration.fit_support(bags, base, lexical_bags=lexical)
    pos = [min(support(o.own, p)) for o in outs if o.own]
    neg = [
        min(support(b, p))
        for o in outs
        for b in list(o.unrelated.values()) + list(o.neighbours.values())
        if b
    ]
    p.covered, recall, fp = calibration.cut_covered(pos, neg)
    fpos = [s for o in outs if o.own for s in support(o.own, p)]
    fneg = [s for o in outs for b in o.unrelated.values() for s in support(b, p)]
    partial, bal = calibration.cut_balanced(fpos, fneg)
    p.partial = round(min(partial, p.covered * 0.75), 4)
    record = {
        "own_documents": len(pos),
        "negatives": len(neg),
        "dev_own_x_among_retrieved": recall,
        "dev_false_x": fp,
        "feature_balanced_accuracy": bal,
    }
    return p, record


def eval_patentability(
    paths: list[Path],
    settings: Settings,
    *,
    split: str | None = None,
    calibrate: bool = False,
    details: bool = False,
    workdir: Path | None = None,
    corpus: list[Path] | None = None,
) -> dict[str, Any]:
    """Run the cases (all splits when calibrating: dev to fit, the requested split to report)."""
    if split not in (None, "dev", "test"):
        raise InputError("split must be dev or test", errors=[{"field": "split", "message": "dev or test"}])
    cases = read_cases(paths)
    wanted = [c for c in cases if calibrate and c.split == "dev" or split is None or c.split == split]
    t0 = time.perf_counter()
    with corpus_service(settings, workdir, corpus) as svc:
        svc.search_engine.ensure_fresh()
        unrelated = Unrelated(svc)
        outs = []
        for n, c in enumerate(wanted, 1):
            outs.append(run_case(svc, c, unrelated))
            if n % 10 == 0:
                print(f"patentability: {n}/{len(wanted)} cases", file=sys.stderr)
    p = calibration.params()
    result: dict[str, Any] = {
        "eval": "patentability",
        "files": [Path(x).name for x in paths],
        "split": split or "all",
    }
    if calibrate:
        dev = [o for o in outs if o.case.split == "dev"]
        p, record = fit(dev, p)
        p.calibrated_on = {
            **p.calibrated_on,
            "patentability": {
                "files": [Path(x).name for x in paths],
                "split": "dev",
                "cases": len(dev),
                **record,
            },
        }
        result["calibrated"] = {"path": str(calibration.save(p)), **record}
    report = [o for o in outs if split is None or o.case.split == split]
    result.update(metrics(report, p))
    result["parameters"] = {"covered": p.covered, "partial": p.partial, "model": p.full}
    result["targets"] = {"own_x": TARGET_OWN_X, "false_x_unrelated": TARGET_FALSE_X}
    result["seconds"] = round(time.perf_counter() - t0, 1)
    if details:
        result["details"] = [_detail(o, p) for o in report]
    return result


def _detail(o: Outcome, p: calibration.SupportParams) -> dict[str, Any]:
    own = support(o.own, p) if o.own else None
    return {
        "id": o.case.id,
        "kind": o.case.kind,
        "split": o.case.split,
        "doc": o.case.doc,
        "error": o.error,
        "features": o.features,
        "own_rank": o.own_rank,
        "own_x": is_x(o.own, p),
        "own_support": [round(s, 3) for s in own] if own else None,
        "promise": o.promise,
        "false_x": sorted(i for i, b in {**o.unrelated, **o.neighbours}.items() if is_x(b, p)),
        "unrelated": {i: round(min(support(b, p)), 3) if b else None for i, b in o.unrelated.items()},
    }
