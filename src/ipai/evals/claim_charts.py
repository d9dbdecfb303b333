"""``ipai eval claim-charts``: do the charts' element verdicts agree with a person's?

Each case is a real claim, a product description written for the case (English or Chinese; with
every element, with elements missing, with elements said in other words) and the expected verdict
of each element, named by a piece of its text (``[["second hinge", "absent"], …]``). The chart is
built as ``ipai fto compare`` builds it (on the evaluation corpus's index, for word weights), and

- **agreement**: the share of elements whose verdict (present / unclear / absent) is the expected one;
- **literal coverage error**: the mean absolute difference between the chart's literal coverage
  and the expected one (share of elements expected present).

``--calibrate`` refits the ``present`` / ``unclear`` cuts on the dev split (the support model
itself is fitted by ``ipai eval patentability --calibrate``) and stores them in ``support.json``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from ipai.assess import calibration
from ipai.errors import InputError
from ipai.evals.cases import Case, read_cases
from ipai.evals.corpus import corpus_service
from ipai.settings import Settings

STATUSES = ("present", "unclear", "absent")
TARGET_AGREEMENT = 0.85


def _check(cases: list[Case]) -> None:
    for c in cases:
        if not str(c.extra.get("product") or "").strip():
            raise InputError(
                f"case {c.id}: the field 'product' is empty or missing",
                errors=[{"field": "product", "message": "empty", "case": c.id}],
            )
        exp = c.extra.get("expected")
        if (
            not isinstance(exp, list)
            or not exp
            or not all(isinstance(e, list) and len(e) == 2 and e[1] in STATUSES for e in exp)
        ):
            raise InputError(
                f"case {c.id}: 'expected' must be a list of [element text, present|unclear|absent]",
                errors=[{"field": "expected", "message": "malformed", "case": c.id}],
            )


def match_element(snippet: str, features: list[dict[str, Any]]) -> str | None:
    """The feature a piece of element text names: equal, else starting with it, else the only one containing it."""
    s = snippet.lower()
    for test in (lambda t: t == s, lambda t: t.startswith(s), lambda t: s in t):
        hits = [f["id"] for f in features if test(f["feature"].lower())]
        if len(hits) == 1:
            return hits[0]
    return None


def _status(score: float, p: calibration.SupportParams) -> str:
    return "present" if score >= p.present else "unclear" if score >= p.unclear else "absent"


def run(svc: Any, case: Case) -> dict[str, Any]:
    """One case's chart: per labelled element its expected verdict and its support signals."""
    from ipai.fto.claims import claim_chart

    chart = claim_chart(svc.search_engine, case.text, str(case.extra["product"]), keep_signals=True)
    signals = dict(zip([f["id"] for f in chart["features"]], chart.pop("_signals"), strict=False))
    rows = []
    for snippet, expected in case.extra["expected"]:
        fid = match_element(snippet, chart["features"])
        rows.append(
            {
                "element": snippet,
                "feature": fid,
                "expected": expected,
                "signals": signals.get(fid) if fid else None,
            }
        )
    return {"case": case, "rows": rows, "chart": chart}


def score(row: dict[str, Any], p: calibration.SupportParams) -> float:
    """An element's support under parameters ``p`` (0 when the element was not found in the claim)."""
    if not row["signals"]:
        return 0.0
    rows, ver = row["signals"]
    return float(p.score(rows, ver).max()) if len(rows) else 0.0


def metrics(results: list[dict[str, Any]], p: calibration.SupportParams) -> dict[str, Any]:
    """Agreement and literal-coverage error, overall and per kind."""

    def block(group: list[dict[str, Any]]) -> dict[str, Any]:
        rows = [r for g in group for r in g["rows"]]
        agree = sum(_status(score(r, p), p) == r["expected"] for r in rows)
        errs = []
        for g in group:
            got = [_status(score(r, p), p) for r in g["rows"]]
            exp_cov = sum(r["expected"] == "present" for r in g["rows"]) / len(g["rows"])
            errs.append(abs(sum(s == "present" for s in got) / len(got) - exp_cov))
        confusion = {
            e: {
                s: sum(1 for r in rows if r["expected"] == e and _status(score(r, p), p) == s)
                for s in STATUSES
            }
            for e in STATUSES
        }
        return {
            "charts": len(group),
            "elements": len(rows),
            "unmatched_elements": sum(r["feature"] is None for r in rows),
            "agreement": round(agree / len(rows), 3) if rows else None,
            "literal_coverage_error": round(sum(errs) / len(errs), 3) if errs else None,
            "confusion": confusion,
        }

    kinds = sorted({g["case"].kind for g in results})
    return {
        "overall": block(results),
        "by_kind": {k: block([g for g in results if g["case"].kind == k]) for k in kinds},
    }


def eval_claim_charts(
    paths: list[Path],
    settings: Settings,
    *,
    split: str | None = None,
    calibrate: bool = False,
    details: bool = False,
    workdir: Path | None = None,
    corpus: list[Path] | None = None,
) -> dict[str, Any]:
    """Chart every case (dev too when calibrating) and compare with the expected verdicts."""
    if split not in (None, "dev", "test"):
        raise InputError("split must be dev or test", errors=[{"field": "split", "message": "dev or test"}])
    cases = read_cases(paths, text_field="claim", need_doc=False)
    _check(cases)
    wanted = [c for c in cases if calibrate and c.split == "dev" or split is None or c.split == split]
    t0 = time.perf_counter()
    with corpus_service(settings, workdir, corpus) as svc:
        svc.search_engine.ensure_fresh()
        results = []
        for n, c in enumerate(wanted, 1):
            results.append(run(svc, c))
            if n % 5 == 0:
                print(f"claim charts: {n}/{len(wanted)}", file=sys.stderr)
    p = calibration.params()
    out: dict[str, Any] = {
        "eval": "claim-charts",
        "files": [Path(x).name for x in paths],
        "split": split or "all",
    }
    if calibrate:
        dev = [r for g in results if g["case"].split == "dev" for r in g["rows"] if r["feature"]]
        p.present, p.unclear, agree = calibration.cut_verdicts(
            [score(r, p) for r in dev], [r["expected"] for r in dev]
        )
        p.calibrated_on = {
            **p.calibrated_on,
            "charts": {
                "files": [Path(x).name for x in paths],
                "split": "dev",
                "elements": len(dev),
                "dev_agreement": agree,
            },
        }
        out["calibrated"] = {"path": str(calibration.save(p)), "elements": len(dev), "dev_agreement": agree}
    report = [g for g in results if split is None or g["case"].split == split]
    out.update(metrics(report, p))
    out["parameters"] = {"present": p.present, "unclear": p.unclear}
    out["targets"] = {"agreement": TARGET_AGREEMENT}
    out["seconds"] = round(time.perf_counter() - t0, 1)
    if details:
        out["details"] = [
            {
                "id": g["case"].id,
                "kind": g["case"].kind,
                "split": g["case"].split,
                "doc": g["case"].doc,
                "elements": [
                    {
                        "element": r["element"],
                        "feature": r["feature"],
                        "expected": r["expected"],
                        "got": _status(score(r, p), p),
                        "score": round(score(r, p), 3),
                    }
                    for r in g["rows"]
                ],
            }
            for g in report
        ]
    return out
