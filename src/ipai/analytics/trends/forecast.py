"""Filing forecasts for yearly count series, each shipped with its own backtest.

Three methods compete on every series:

- ``naive`` — the last observed value, repeated;
- ``linear`` — an ordinary least-squares line over the last :data:`LINEAR_WINDOW` years, clipped at 0;
- ``damped`` (ipai's model) — Holt's linear trend with a damped trend on ``log1p(count)``; its
  smoothing and damping parameters are chosen per series from a grid by one-step-ahead squared error.

A rolling-origin backtest on the series' own history (every origin with at least
:data:`MIN_TRAIN` years before it, up to :data:`MAX_ORIGINS` origins) scores each method by sMAPE;
the shipped forecast uses the winner, ties going to the simpler method (naive, then linear). A
series too short for the backtest ships the naive forecast with a wide interval, and says so.

Prediction intervals come from the backtest itself: the root mean square of the winner's
``log1p`` errors at each horizon, widened to at least Poisson noise, ``±t·σ`` on the ``log1p`` scale
with ``t`` the Student quantile for as many degrees of freedom as backtest errors (σ is estimated
from 3–8 errors, and of the method that scored best on them: a normal ``z`` under-covered, 0.69–0.71
for a nominal 0.8 on the shared sets). They are never narrower than the method's measured error.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from statistics import NormalDist
from typing import Any

import numpy as np

MIN_TRAIN = 6  # years of history before a backtest origin
MIN_ORIGINS = 3  # origins needed for the backtest to choose a method
MAX_ORIGINS = 8  # the most recent origins used
LINEAR_WINDOW = 10  # years the linear baseline is fitted on
METHODS = ("naive", "linear", "damped")  # order = preference on ties (simplest first)

_A, _B, _P = np.meshgrid(
    [0.2, 0.35, 0.5, 0.65, 0.8, 0.95], [0.05, 0.1, 0.2, 0.35], [0.7, 0.85, 0.95], indexing="ij"
)
_ALPHA, _BETA, _PHI = _A.ravel(), _B.ravel(), _P.ravel()


@dataclass
class Forecast:
    """Point forecasts and intervals for the years after a series, with the backtest behind them."""

    years: list[int]
    point: list[float]
    lower: list[float]
    upper: list[float]
    level: float
    method: str
    reason: str
    backtest: dict[str, dict[str, float | int | None]] = field(default_factory=dict)
    candidates: dict[str, list[float]] = field(default_factory=dict)
    history: dict[int, int] = field(default_factory=dict)
    # the reason as a code and its values (written in the reader's language by ipai.analytics.texts)
    facts: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (years as keys become strings)."""
        d = asdict(self)
        d["history"] = {str(k): v for k, v in self.history.items()}
        return d


# ---- the three methods: each maps a history (1-D array) and a horizon to forecasts -------------


def naive(y: np.ndarray, horizon: int) -> np.ndarray:
    """Last value repeated."""
    return np.full(horizon, float(y[-1]))


def linear(y: np.ndarray, horizon: int) -> np.ndarray:
    """OLS line over the last :data:`LINEAR_WINDOW` points, extrapolated, clipped at 0."""
    w = y[-LINEAR_WINDOW:].astype(float)
    if len(w) < 2:
        return naive(y, horizon)
    t = np.arange(len(w), dtype=float)
    slope, icept = np.polyfit(t, w, 1)
    return np.clip(icept + slope * (len(w) - 1 + np.arange(1, horizon + 1)), 0.0, None)


def _holt_grid(z: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Run damped Holt for every grid parameter at once; returns level, trend, one-step SSE."""
    level = np.full(_ALPHA.shape, z[0])
    trend = np.full(_ALPHA.shape, z[1] - z[0] if len(z) > 1 else 0.0)
    sse = np.zeros(_ALPHA.shape)
    for x in z[1:]:
        pred = level + _PHI * trend
        sse += (x - pred) ** 2
        new_level = _ALPHA * x + (1 - _ALPHA) * pred
        trend = _BETA * (new_level - level) + (1 - _BETA) * _PHI * trend
        level = new_level
    return level, trend, sse


def damped(y: np.ndarray, horizon: int) -> np.ndarray:
    """Damped-trend Holt on ``log1p(y)`` with grid-fitted parameters (ipai's model)."""
    if len(y) < 3:
        return naive(y, horizon)
    z = np.log1p(y.astype(float))
    level, trend, sse = _holt_grid(z)
    k = int(np.argmin(sse))
    steps = np.cumsum(_PHI[k] ** np.arange(1, horizon + 1))
    return np.clip(np.expm1(level[k] + steps * trend[k]), 0.0, None)


_FN: dict[str, Callable[[np.ndarray, int], np.ndarray]] = {"naive": naive, "linear": linear, "damped": damped}


# ---- error measures -----------------------------------------------------------------------------


def errors(
    actual: Sequence[float] | np.ndarray, pred: Sequence[float] | np.ndarray
) -> dict[str, float | None]:
    """MAE, MAPE (over non-zero actuals, in %) and sMAPE (in %, 0 where both are 0)."""
    a, f = np.asarray(actual, float), np.asarray(pred, float)
    if not len(a):
        return {"mae": None, "mape": None, "smape": None}
    nz = a != 0
    den = np.abs(a) + np.abs(f)
    sm = np.where(den > 0, 2 * np.abs(f - a) / np.where(den > 0, den, 1), 0.0)
    return {
        "mae": round(float(np.mean(np.abs(f - a))), 3),
        "mape": round(float(np.mean(np.abs(f[nz] - a[nz]) / a[nz]) * 100), 2) if nz.any() else None,
        "smape": round(float(np.mean(sm) * 100), 2),
    }


# ---- series handling ----------------------------------------------------------------------------


def dense(series: dict[int, int]) -> tuple[list[int], np.ndarray]:
    """Contiguous years from the first to the last key, missing years as 0."""
    if not series:
        return [], np.zeros(0)
    y0, y1 = min(series), max(series)
    years = list(range(y0, y1 + 1))
    return years, np.array([float(series.get(y, 0)) for y in years])


def backtest(y: np.ndarray, horizon: int) -> tuple[dict[str, dict[str, Any]], dict[str, list[list[float]]]]:
    """Rolling-origin backtest of every method; scores and the log1p errors per horizon step."""
    n = len(y)
    origins = [o for o in range(MIN_TRAIN, n)][-MAX_ORIGINS:]
    scores: dict[str, dict[str, Any]] = {}
    logerr: dict[str, list[list[float]]] = {}
    for m in METHODS:
        acts: list[float] = []
        preds: list[float] = []
        per_h: list[list[float]] = [[] for _ in range(horizon)]
        for o in origins:
            h = min(horizon, n - o)
            f = _FN[m](y[:o], h)
            acts.extend(y[o : o + h])
            preds.extend(f)
            for i in range(h):
                per_h[i].append(float(np.log1p(y[o + i]) - np.log1p(f[i])))
        scores[m] = {**errors(acts, preds), "origins": len(origins), "points": len(acts)}
        logerr[m] = per_h
    return scores, logerr


def _sigmas(per_h: list[list[float]], point: np.ndarray, floor: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Per-horizon σ on the log1p scale and the number of errors behind it: RMS backtest error,
    else the 1-step σ·√h; ≥ Poisson noise."""
    h = len(point)
    rms = [float(np.sqrt(np.mean(np.square(e)))) if len(e) >= MIN_ORIGINS else None for e in per_h[:h]]
    n = [len(e) for e in per_h[:h]]
    base = next((r for r in rms if r is not None), floor)
    base_n = next((k for r, k in zip(rms, n, strict=False) if r is not None), MIN_ORIGINS)
    out, dof = [], []
    for i in range(h):
        known = i < len(rms) and rms[i] is not None
        s = rms[i] if known else base * np.sqrt(i + 1)
        out.append(max(s, floor * np.sqrt(i + 1), 1.0 / np.sqrt(point[i] + 1.0)))
        dof.append(n[i] if known else base_n)
    return np.array(out), np.array(dof, dtype=float)


def _interval(
    point: np.ndarray, sig: np.ndarray, level: float, dof: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """``point`` ± quantile·σ on the log1p scale: Student t with ``dof`` degrees of freedom (normal without)."""
    if dof is None:
        q = np.full(len(point), NormalDist().inv_cdf(0.5 + level / 2))
    else:
        from scipy.special import (
            stdtrit,
        )  # what scipy.stats.t.ppf computes, without importing scipy.stats (~1 s)

        q = stdtrit(np.maximum(dof, 1.0), 0.5 + level / 2)
    c = np.log1p(point)
    return np.clip(np.expm1(c - q * sig), 0.0, None), np.expm1(c + q * sig)


def forecast(series: dict[int, int], horizon: int = 3, level: float = 0.8) -> Forecast:
    """Forecast the ``horizon`` years after ``series`` (year → count) with ``level`` intervals.

    The method is the backtest winner on this series; the backtest table is part of the result.
    """
    if horizon < 1:
        raise ValueError("horizon must be at least 1")
    if not 0 < level < 1:
        raise ValueError("level must be between 0 and 1")
    years, y = dense(series)
    if not len(y):
        raise ValueError("empty series")
    fut = list(range(years[-1] + 1, years[-1] + 1 + horizon))
    cands = {m: [round(float(v), 3) for v in _FN[m](y, horizon)] for m in METHODS}
    n_needed = MIN_TRAIN + MIN_ORIGINS
    if len(y) < n_needed:
        d = np.diff(np.log1p(y))
        sd = float(np.std(d)) if len(d) >= 2 else 0.0
        point = np.array(cands["naive"])
        lo, hi = _interval(
            point,
            np.maximum(1.0, sd) * np.sqrt(np.arange(1, horizon + 1)),
            level,
            np.full(horizon, max(len(d) - 1, 1), dtype=float),
        )
        return Forecast(
            fut,
            _r(point),
            _r(lo),
            _r(hi),
            level,
            "naive",
            f"backtest not run: {len(y)} years of history, {n_needed} needed; "
            "naive forecast with a wide interval",
            {},
            cands,
            dict(zip(years, map(int, y), strict=False)),
            {"code": "fc_short", "years": len(y), "needed": n_needed},
        )
    scores, logerr = backtest(y, horizon)
    if np.all(y == y[0]):
        method, reason = "naive", "constant series: the last value is the forecast"
        facts: dict[str, Any] = {"code": "fc_constant"}
    else:
        method = min(METHODS, key=lambda m: (scores[m]["smape"], METHODS.index(m)))
        others = ", ".join(f"{m} {scores[m]['smape']}" for m in METHODS if m != method)
        reason = f"lowest backtest sMAPE ({scores[method]['smape']} vs {others})"
        facts = {
            "code": "fc_lowest_smape",
            "smape": scores[method]["smape"],
            "others": [{"method": m, "smape": scores[m]["smape"]} for m in METHODS if m != method],
        }
    point = np.array(cands[method])
    sig, dof = _sigmas(logerr[method], point)
    lo, hi = _interval(point, sig, level, dof)
    return Forecast(
        fut,
        _r(point),
        _r(lo),
        _r(hi),
        level,
        method,
        reason,
        scores,
        cands,
        dict(zip(years, map(int, y), strict=False)),
        facts,
    )


def _r(a: np.ndarray) -> list[float]:
    return [round(float(v), 2) for v in a]
