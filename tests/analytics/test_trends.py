"""Trends on real data: backtested forecasts, naive fallback, Kleinberg bursts, ``ipai eval forecast``."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from ipai.analytics.trends import emerging_terms, forecast, kleinberg_bursts
from ipai.analytics.trends.series import cpc_keys, doc_terms, doc_year, last_complete_year


@pytest.fixture(scope="module")
def covid_docs(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> list:
    """Every document of the COVID Lens set (filings up to 2019), read through the service."""
    from ipai.service import Service
    from ipai.settings import load_settings

    svc = Service(load_settings(home=tmp_path_factory.mktemp("trends") / "home", progress=False))
    try:
        svc.corpus.ingest([shared_data / "covid-patents-lens-biblio"])
        return list(svc.store.iter_documents())
    finally:
        svc.close()


def _subclass_series(docs: list, code: str, last: int) -> dict[int, int]:
    s: dict[int, int] = {}
    for d in docs:
        y, _ = doc_year(d)
        if y is not None and y <= last and code in cpc_keys(d):
            s[y] = s.get(y, 0) + 1
    return s


def test_forecast_real_series_has_backtest_and_intervals(covid_docs: list) -> None:
    s = _subclass_series(covid_docs, "C07K", 2017)
    assert s[2004] == 280 and s[2017] == 46  # the SARS peak and the last complete year in the data
    f = forecast(s, horizon=3, level=0.8)
    assert f.years == [2018, 2019, 2020]
    assert set(f.backtest) == {"naive", "linear", "damped"}
    assert all(b["origins"] == 8 and b["points"] == 21 for b in f.backtest.values())
    # the shipped method is the backtest winner on this series
    assert f.method == min(f.backtest, key=lambda m: f.backtest[m]["smape"])
    assert f.point == pytest.approx(f.candidates[f.method], abs=0.01)
    for lo, p, hi in zip(f.lower, f.point, f.upper, strict=False):
        assert 0 <= lo < p < hi
    assert f.upper[2] - f.lower[2] >= f.upper[0] - f.lower[0]  # wider further out
    assert "backtest sMAPE" in f.reason
    json.dumps(f.to_dict())


def test_short_and_flat_series_fall_back_to_naive(covid_docs: list) -> None:
    real = _subclass_series(covid_docs, "A61K", 2017)
    short = {y: real[y] for y in (2013, 2014, 2015, 2016, 2017)}
    f = forecast(short, horizon=2)
    assert f.method == "naive" and "backtest not run" in f.reason and f.backtest == {}
    assert f.point == [float(real[2017])] * 2
    assert f.lower[0] < real[2017] / 2 and f.upper[0] > real[2017] * 2  # wide
    flat = forecast({y: 12 for y in range(2000, 2015)}, horizon=3)
    assert flat.method == "naive" and "constant" in flat.reason and flat.point == [12.0] * 3
    assert flat.lower[0] < 12 < flat.upper[0]


def test_bursts_find_sars_and_mers_in_covid_set(covid_docs: list) -> None:
    by_year: dict[int, list] = defaultdict(list)
    labels: dict[str, str] = {}
    for d in covid_docs:
        y, _ = doc_year(d)
        if y is not None and y <= 2017:
            terms, surface = doc_terms(d)
            by_year[y].append(terms)
            for k, v in surface.items():
                labels.setdefault(k, v)
    trends = {t.term: t for t in emerging_terms(by_year, labels=labels, min_docs=20, top=None)}
    sars = trends["sar"]
    assert sars.label == "sars"
    assert [(b.start, b.end) for b in sars.bursts] == [(2003, 2004)]  # the 2002-2003 SARS outbreak
    mers = trends["middl east"]
    assert mers.emerging and mers.bursts[-1].start == 2014 and mers.bursts[-1].end == 2017
    assert not sars.emerging


def test_kleinberg_no_burst_on_constant_rate() -> None:
    assert kleinberg_bursts([10] * 12, [100] * 12, list(range(2000, 2012))) == []
    b = kleinberg_bursts([2, 3, 2, 30, 35, 3, 2], [100] * 7, list(range(2000, 2007)))
    assert [(x.start, x.end) for x in b] == [(2003, 2004)]


def test_last_complete_year_with_lag() -> None:
    import datetime as dt

    assert last_complete_year(dt.date(2020, 2, 27), 18) == 2017
    assert last_complete_year(dt.date(2020, 7, 1), 18) == 2018
    assert last_complete_year(dt.date(2018, 12, 25), 0) == 2018
    assert last_complete_year(dt.date(2018, 10, 2), 0) == 2017


def test_eval_forecast_cli_prints_json(shared_data: Path) -> None:
    from typer.testing import CliRunner

    from ipai.cli import _register, app

    _register()  # every command group, as the console script does
    f = shared_data / "covid-patents-lens-biblio" / "Coronavirus-patents-SARS-MERS-TAC.jsonl"
    r = CliRunner().invoke(app, ["--no-progress", "eval", "forecast", str(f), "--holdout", "2", "--top", "5"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert out["held_out_years"] == [out["last_complete_year"] - 1, out["last_complete_year"]]
    assert out["series"] >= 3 and len(out["table"]) == min(5, out["series"])
    assert set(out["per_method"]) == {"ipai", "naive", "linear", "damped"}
    assert 0 <= out["interval_coverage"] <= 1
    w = out["ipai_vs"]["vs_naive"]
    assert w["wins"] + w["ties"] + w["losses"] == out["series"]
