"""``ipai eval matching``: technical demands written as enterprises write them, matched against the
configured store (the demo store holds the shared data the demands were written from).

The demand file (``evals/cases/demands.tsv``, or JSONL with the same keys) has ``id``, ``split``
(dev/test), ``lang``, ``demand`` and ``rule``: the on-topic judgement, fixed before any tuning
(:mod:`ipai.transfer.judge`; ``-`` for a need no stored patent answers). Scored:

- **precision@5**: the share of on-topic patents among the first five proposed, over the demands
  that have on-topic patents (target ≥ 0.8);
- **no good match**: for the unrelated demands, how often even the best proposal stays below the
  calibrated threshold; for the others, how often the best one reaches it;
- **calibration quality**: Brier score, expected calibration error, log loss and ROC AUC of the
  shown relevance against the on-topic judgements of the first ten proposals.

``--calibrate`` fits the relevance model (:mod:`ipai.transfer.calibration`) on the dev split's
proposals and stores it in the package; run it on dev, then report on test.
"""

from __future__ import annotations

import csv
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ipai.errors import InputError
from ipai.transfer.judge import Rule, parse_rule, patent_classes, patent_text

P_AT = 5
JUDGED = 10  # proposals judged per demand for the calibration quality
FIT_POOL = 20  # proposals per dev demand the calibration is fitted on
SPLITS = ("dev", "test")


@dataclass(frozen=True)
class DemandCase:
    """One demand of the evaluation set."""

    id: str
    split: str
    lang: str
    text: str
    rule: Rule
    note: str = ""


def read_demands(path: Path) -> list[DemandCase]:
    """The demand set (TSV or JSONL); :class:`InputError` names the line and field in error."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such demand file", errors=[{"field": "file", "message": "not found"}])
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".jsonl":
        rows = []
        for n, line in enumerate(text.splitlines(), 1):
            if line.strip():
                try:
                    rows.append((n, json.loads(line)))
                except ValueError:
                    raise InputError(
                        f"{path.name} line {n}: not JSON",
                        errors=[{"field": f"line {n}", "message": "not JSON"}],
                    ) from None
    else:
        rows = [(n, r) for n, r in enumerate(csv.DictReader(text.splitlines(), delimiter="\t"), 2)]
    out = []
    for n, r in rows:
        missing = [k for k in ("id", "split", "demand", "rule") if not str(r.get(k) or "").strip()]
        if missing:
            raise InputError(
                f"{path.name} line {n}: missing {', '.join(missing)}",
                errors=[{"field": k, "message": f"missing on line {n}"} for k in missing],
            )
        split = str(r["split"]).strip()
        if split not in SPLITS:
            raise InputError(
                f"{path.name} line {n}: split must be dev or test, not {split!r}",
                errors=[{"field": "split", "message": f"line {n}: dev or test"}],
            )
        out.append(
            DemandCase(
                str(r["id"]).strip(),
                split,
                str(r.get("lang") or "").strip(),
                str(r["demand"]).strip(),
                parse_rule(str(r["rule"]), where=f"rule (line {n})"),
                str(r.get("note") or ""),
            )
        )
    if not out:
        raise InputError(f"{path.name}: no demands", errors=[{"field": "file", "message": "empty"}])
    return out


def _judge(svc: Any, case: DemandCase, patents: list[dict[str, Any]]) -> list[bool]:
    """On-topic judgement of each proposed patent by the demand's rule."""
    ids = [p["target"] for p in patents]
    fields = svc.store.get_fields(ids, ("titles", "abstracts", "claims", "classifications")) if ids else {}
    return [case.rule.holds(patent_text(fields.get(i, {})), patent_classes(fields.get(i, {}))) for i in ids]


def eval_matching(
    svc: Any,
    path: Path,
    *,
    split: str | None = None,
    details: bool = False,
    calibrate: bool = False,
    log: Callable[[str], None] = lambda m: print(m, file=sys.stderr),
) -> dict[str, Any]:
    """Run every demand of the file (or of one split) through matching and score it."""
    from ipai.transfer import calibration

    if split is not None and split not in SPLITS:
        raise InputError("--split must be dev or test", errors=[{"field": "split", "message": "dev or test"}])
    if calibrate and split not in (None, "dev"):
        raise InputError(
            "--calibrate fits on the dev split only", errors=[{"field": "split", "message": "dev"}]
        )
    cases = [c for c in read_demands(path) if split is None or c.split == split]
    if calibrate:
        cases = [c for c in cases if c.split == "dev"]
    n_docs = svc.store.count_documents()
    if n_docs == 0:
        raise InputError(
            "the store has no documents: run with the store the demands were written for "
            "(IPAI_HOME=var/demo after ./run demo)",
            errors=[{"field": "store", "message": "empty"}],
        )
    t0 = time.perf_counter()
    runs = []
    for i, c in enumerate(cases, 1):
        r = svc.transfer.match_demand(c.text, top=FIT_POOL if calibrate else JUDGED, save=False)
        labels = _judge(svc, c, r["patents"])
        runs.append((c, r, labels))
        if i % 10 == 0:
            log(f"  {i}/{len(cases)} demands")
    out: dict[str, Any] = {"file": str(path), "store_documents": n_docs, "demands": len(cases)}
    if calibrate:
        rows = [
            (p["explanation"]["meaning_z"], p["explanation"]["coverage"], lab)
            for _, r, labels in runs
            for p, lab in zip(r["patents"], labels, strict=False)
        ]
        coef, intercept = calibration.fit(rows)
        calibration.save(
            coef,
            intercept,
            0.5,
            {
                "file": Path(path).name,
                "split": "dev",
                "demands": len(cases),
                "pairs": len(rows),
                "on_topic": sum(1 for *_, y in rows if y),
                "method": "logistic regression of the on-topic rule's "
                "judgement on (standardised e5 meaning, key-term coverage) over each dev demand's proposals",
            },
        )
        out["calibrated"] = {
            "coef": coef,
            "intercept": intercept,
            "threshold": 0.5,
            "pairs": len(rows),
            "file": str(calibration.PATH),
        }
        rerun = [(c, svc.transfer.match_demand(c.text, top=JUDGED, save=False)) for c, _, _ in runs]
        runs = [(c, r, _judge(svc, c, r["patents"])) for c, r in rerun]
    out.update(_scores(runs, calibration.threshold()))
    for s in SPLITS:
        part = [x for x in runs if x[0].split == s]
        if part and split is None:
            out[s] = _scores(part, calibration.threshold())
    out["threshold"] = calibration.threshold()
    out["calibrated_on"] = calibration.calibration().get("calibrated_on")
    if details:
        out["details"] = [
            {
                "id": c.id,
                "split": c.split,
                "demand": c.text,
                "key_terms": [t["text"] for t in r["key_terms"]],
                "best": r["best"],
                "good_match": r["good_match"],
                "top": [
                    {
                        "id": p["target"],
                        "title": p["label"][:80],
                        "relevance": p["score"],
                        "meaning": p["explanation"]["meaning"],
                        "meaning_z": p["explanation"]["meaning_z"],
                        "coverage": p["explanation"]["coverage"],
                        "on_topic": lab,
                    }
                    for p, lab in zip(r["patents"][:JUDGED], labels, strict=False)
                ],
            }
            for c, r, labels in runs
        ]
    out["seconds"] = round(time.perf_counter() - t0, 1)
    return out


def _scores(runs: list[tuple[DemandCase, dict[str, Any], list[bool]]], thr: float) -> dict[str, Any]:
    """precision@5, good/no-good-match rates and calibration quality of a set of runs."""
    from ipai.transfer.calibration import quality

    answerable = [(c, r, lab) for c, r, lab in runs if c.rule.answerable]
    unrelated = [(c, r, lab) for c, r, lab in runs if not c.rule.answerable]
    p5 = [sum(lab[:P_AT]) / P_AT for _, _, lab in answerable]
    probs = [p["score"] for _, r, lab in runs for p in r["patents"][:JUDGED]]
    labels = [bool(y) for _, r, lab in runs for y in lab[:JUDGED]]
    return {
        "precision@5": round(sum(p5) / len(p5), 4) if p5 else None,
        "answerable": len(answerable),
        "good_match_rate": round(sum(r["good_match"] for _, r, _ in answerable) / len(answerable), 4)
        if answerable
        else None,
        "unrelated": len(unrelated),
        "no_good_match_rate": round(sum(not r["good_match"] for _, r, _ in unrelated) / len(unrelated), 4)
        if unrelated
        else None,
        "calibration": quality(probs, labels),
    }
