"""``ipai eval forecast``: hold out the last complete years and score ipai's forecasts against baselines.

The files are ingested into a temporary store; yearly series are built per CPC subclass, CPC main
group or title/abstract term; incomplete final years (publication lag after the data's last
publication date) are dropped; the last ``holdout`` complete years are hidden and forecast from the
years before. ``ipai`` is the shipped forecast (the per-series backtest winner); ``naive``,
``linear`` and ``damped`` are each method applied to every series.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ipai.analytics.trends.forecast import METHODS, errors, forecast
from ipai.analytics.trends.series import (
    LAG_MONTHS,
    cpc_keys,
    doc_terms,
    last_complete_year,
    trailing_dropoff,
    yearly_series,
)
from ipai.model import PatentDocument
from ipai.settings import Settings, load_settings

BY = ("cpc-subclass", "cpc-group", "term")


def _keys(by: str) -> Callable[[PatentDocument], Iterable[str]]:
    if by == "cpc-subclass":
        return lambda d: cpc_keys(d, "subclass")
    if by == "cpc-group":
        return lambda d: cpc_keys(d, "group")
    return lambda d: doc_terms(d, bigrams=False)[0]


def _summ(vals: list[float | None]) -> dict[str, float | None]:
    v = [x for x in vals if x is not None]
    return {
        "median": round(statistics.median(v), 2) if v else None,
        "mean": round(statistics.fmean(v), 2) if v else None,
    }


def backtest_series(
    per: dict[str, dict[int, int]],
    last: int,
    holdout: int,
    *,
    min_train_docs: int = 30,
    first_year: int | None = None,
    top: int = 25,
    level: float = 0.8,
) -> dict[str, Any]:
    """Forecast each series up to ``last - holdout``, score on the held-out years; the JSON summary."""
    cut = last - holdout
    held = list(range(cut + 1, last + 1))
    rows: list[dict[str, Any]] = []
    for key, s in per.items():
        train = {y: c for y, c in s.items() if y <= cut and (first_year is None or y >= first_year)}
        if sum(train.values()) < min_train_docs:
            continue
        train[cut] = train.get(cut, 0)  # years without documents up to the cut are zeros, not gaps
        actual = [s.get(y, 0) for y in held]
        f = forecast(train, horizon=holdout, level=level)
        preds = {"ipai": f.point, **f.candidates}
        errs = {m: errors(actual, p) for m, p in preds.items()}
        inside = sum(lo <= a <= hi for a, lo, hi in zip(actual, f.lower, f.upper, strict=False))
        rows.append(
            {
                "series": key,
                "train_docs": sum(train.values()),
                "train_years": len(f.history),
                "method": f.method,
                "reason": f.reason,
                "actual": actual,
                "forecast": f.point,
                "lower": f.lower,
                "upper": f.upper,
                "inside": inside,
                "naive": f.candidates["naive"],
                "linear": f.candidates["linear"],
                **{f"{m}_smape": e["smape"] for m, e in errs.items()},
                **{f"{m}_mae": e["mae"] for m, e in errs.items()},
            }
        )
    names = ("ipai",) + METHODS
    per_method = {
        m: {"mae": _summ([r[f"{m}_mae"] for r in rows]), "smape": _summ([r[f"{m}_smape"] for r in rows])}
        for m in names
    }
    wins = {}
    for base in ("naive", "linear"):
        w = sum(r["ipai_smape"] < r[f"{base}_smape"] for r in rows)
        t = sum(r["ipai_smape"] == r[f"{base}_smape"] for r in rows)
        wins[f"vs_{base}"] = {"wins": w, "ties": t, "losses": len(rows) - w - t}
    n_vals = len(rows) * holdout
    rows.sort(key=lambda r: -r["train_docs"])
    return {
        "series": len(rows),
        "held_out_years": held,
        "per_method": per_method,
        "ipai_vs": wins,
        "methods_chosen": dict(Counter(r["method"] for r in rows)),
        "interval_level": level,
        "interval_coverage": round(sum(r["inside"] for r in rows) / n_vals, 3) if n_vals else None,
        "table": rows[:top],
    }


def eval_forecast(
    paths: list[Path],
    settings: Settings,
    *,
    holdout: int = 3,
    by: str = "cpc-subclass",
    basis: str = "filing",
    min_train_docs: int = 30,
    top: int = 25,
    first_year: int | None = None,
) -> dict[str, Any]:
    """Ingest ``paths`` into a temporary store and backtest forecasts per series (see module doc)."""
    from ipai.errors import InputError
    from ipai.service import Service

    if by not in BY:
        raise InputError(f"--by must be one of {', '.join(BY)}")
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as td:
        svc = Service(load_settings(home=Path(td) / "home", progress=False))
        try:
            svc.corpus.ingest(paths)
            n = svc.store.count_documents()
            print(f"loaded {n:,} documents", file=sys.stderr)
            cutoff = None
            docs = []
            for d in svc.store.iter_documents():
                pd = d.publication_date or d.grant_date
                if pd and (cutoff is None or pd > cutoff):
                    cutoff = pd
                docs.append(d)
            per, totals, used = yearly_series(docs, _keys(by), basis=basis)
        finally:
            svc.close()
    if not totals or cutoff is None:
        raise InputError("no dated documents in the files")
    print(f"{len(per):,} series by {by}; dates used: {used}", file=sys.stderr)
    main_field = max((f for f in used if f != "undated"), key=lambda f: used[f])
    lag = LAG_MONTHS[main_field]
    last = min(last_complete_year(cutoff, lag), max(totals))
    dropped = sorted(y for y in totals if y > last)
    drop = trailing_dropoff(totals, last)
    if drop:  # the lag rule kept years the counts show are still filling in
        last = min(drop) - 1
        dropped = sorted(y for y in totals if y > last)
    print(
        f"last complete year {last} (cutoff {cutoff}, lag {lag} months); dropped {dropped}", file=sys.stderr
    )
    res = backtest_series(per, last, holdout, min_train_docs=min_train_docs, first_year=first_year, top=top)
    print(f"backtested {res['series']} series", file=sys.stderr)
    return {
        "files": [str(p) for p in paths],
        "documents": n,
        "by": by,
        "basis": basis,
        "dates_used": used,
        "data_cutoff": str(cutoff),
        "lag_months": lag,
        "last_complete_year": last,
        "dropped_incomplete_years": {str(y): totals[y] for y in dropped},
        "dropped_by_dropoff_check": drop,
        "documents_per_year_tail": {str(y): totals.get(y, 0) for y in range(last - 5, last + 1)},
        "min_train_docs": min_train_docs,
        **res,
        "seconds": round(time.perf_counter() - t0, 1),
    }
