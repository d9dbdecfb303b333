"""The metric arithmetic of the search evaluations, on hand-made rankings."""

from __future__ import annotations

import pytest

from ipai.evals.metrics import (
    attainable_at_k,
    first_off_topic,
    grouped,
    mean,
    of_attainable,
    precision_at_k,
    precision_returned,
    reciprocal_first,
    reciprocal_rank,
    summarize,
)

T, F = True, False


def test_precision_at_10_three_of_ten() -> None:
    flags = [T, F, T, F, F, T, F, F, F, F]
    assert precision_at_k(flags, 10) == pytest.approx(0.3)
    assert precision_returned(flags, 10) == pytest.approx(0.3)


def test_missing_slots_are_misses_but_not_in_precision_returned() -> None:
    flags = [T, T, T, F, F]  # only five results returned
    assert precision_at_k(flags, 10) == pytest.approx(0.3)
    assert precision_returned(flags, 10) == pytest.approx(0.6)
    assert precision_at_k([], 10) == 0.0 and precision_returned([], 10) is None


def test_results_beyond_k_are_ignored() -> None:
    assert precision_at_k([T] * 5 + [F] * 5 + [T] * 10, 5) == 1.0
    assert precision_returned([F] * 10 + [T] * 10, 10) == 0.0


def test_ranks() -> None:
    assert reciprocal_rank(["a", "b", "c"], "b") == 0.5
    assert reciprocal_rank(["a"], "z") == 0.0
    assert reciprocal_first([F, F, T], 10) == pytest.approx(1 / 3)
    assert reciprocal_first([F, F, T], 2) == 0.0
    assert first_off_topic([T, T, F, F], 10) == 3
    assert first_off_topic([T, T], 10) is None


def test_attainable_precision() -> None:
    assert attainable_at_k(3, 10) == pytest.approx(0.3)
    assert attainable_at_k(50, 10) == 1.0
    assert of_attainable(0.3, 3, 10) == 1.0
    assert of_attainable(0.1, 3, 10) == pytest.approx(0.3333, abs=1e-4)
    assert of_attainable(0.0, 0, 10) is None and of_attainable(0.5, None, 10) is None


def test_macro_averages_and_groups() -> None:
    rows = [
        {"p": 1.0, "returned": 10, "g": "zh"},
        {"p": 0.0, "returned": 0, "g": "zh"},
        {"p": 0.5, "returned": 4, "g": "en"},
        {"p": None, "returned": 0, "g": "en"},
    ]
    s = summarize(rows, ("p",))
    assert s == {"queries": 4, "p": 0.5, "empty_results": 2}
    g = grouped(rows, lambda r: r["g"], ("p",))
    assert list(g) == ["zh", "en"]
    assert g["zh"] == {"queries": 2, "p": 0.5, "empty_results": 1}
    assert g["en"]["p"] == 0.5
    assert mean([]) is None
