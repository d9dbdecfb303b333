"""The query-latency curve of ``ipai bench scale``: growth exponents, the Markdown table and the PNG
chart, on the figures of a real run (docs/distributed.md, 10k / 100k / 1M documents)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ipai.evals.bench.scale_chart import draw_chart, growth, markdown_table, slope

# query p50 / p99 (ms) of a measured run: one process, then the local engine
MEASURED = {
    10_000: (6.1, 31.0, 5.5, 28.4),
    100_000: (6.3, 40.2, 8.0, 47.9),
    1_000_000: (11.4, 75.3, 9.7, 66.0),
}


def _rows() -> list[dict[str, Any]]:
    return [
        {
            "docs": n,
            "single": {"query": {"p50_ms": s50, "p99_ms": s99}},
            "engine": {"query": {"p50_ms": e50, "p99_ms": e99}},
        }
        for n, (s50, s99, e50, e99) in reversed(MEASURED.items())  # any order in, size order out
    ]


def test_slope_is_the_exponent_of_a_power_law() -> None:
    xs = [1e4, 1e5, 1e6]
    assert slope(xs, [2 * x for x in xs]) == pytest.approx(1.0)
    assert slope(xs, [5.0, 5.0, 5.0]) == pytest.approx(0.0)
    assert slope(xs, [x**0.5 for x in xs]) == pytest.approx(0.5)
    assert slope([1e4], [3.0]) is None


def test_growth_of_the_measured_run_is_sub_linear() -> None:
    g = growth(_rows())
    assert g["docs"] == [10_000, 100_000, 1_000_000] and g["size_ratio"] == 100
    single, engine = g["single"], g["engine"]
    assert single["p50_ms"] == [6.1, 6.3, 11.4] and engine["p99_ms"] == [28.4, 47.9, 66.0]
    assert single["p50_ratio"] == pytest.approx(11.4 / 6.1, abs=0.01)
    assert 0 < single["p50_exponent"] < 0.2 and 0 < engine["p50_exponent"] < 0.2
    assert single["sub_linear"] and engine["sub_linear"]
    # a curve growing as fast as the corpus is not sub-linear
    linear = [dict(r, single={"query": {"p50_ms": r["docs"] / 1000, "p99_ms": 1.0}}) for r in _rows()]
    assert growth(linear)["single"]["sub_linear"] is False
    assert growth(linear)["single"]["p50_exponent"] == pytest.approx(1.0)


def test_markdown_table() -> None:
    lines = markdown_table(_rows()).splitlines()
    assert lines[0].startswith("| documents | × size |") and len(lines) == 2 + len(MEASURED)
    assert lines[2] == "| 10,000 | 1 | 6.1 / 31.0 | 1.00 | 5.5 / 28.4 | 1.00 |"
    assert lines[4] == "| 1,000,000 | 100 | 11.4 / 75.3 | 1.87 | 9.7 / 66.0 | 1.76 |"


def test_chart_is_a_small_png(tmp_path: Path) -> None:
    from PIL import Image

    path = draw_chart({"rows": _rows()}, tmp_path / "scale.png")
    with Image.open(path) as img:
        assert img.format == "PNG" and img.size == (900, 560)
        colours = {c for _, c in img.convert("RGB").getcolors(1 << 16) or []}
    assert (31, 119, 180) in colours and (230, 120, 20) in colours  # both set-ups drawn
    assert path.stat().st_size < 200_000


def test_cli_refuses_a_chart_in_a_missing_folder_before_any_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ipai.cli import main

    chart = tmp_path / "missing" / "scale.png"
    assert (
        main(["--home", str(tmp_path / "home"), "bench", "scale", "--sizes", "1000", "--chart", str(chart)])
        == 2
    )
    assert "--chart" in capsys.readouterr().err and not chart.parent.exists()


def _full_row(n: int, s50: float, s99: float, e50: float, e99: float) -> dict[str, Any]:
    """A row as ``bench_scale`` writes it (the figures beside the query ones are placeholders)."""
    phase = {"seconds": 1.0, "docs_per_s": float(n), "cpu_seconds": 1.0, "docs_per_s_per_core": n / 2}
    setup = {"ingest": phase, "index": phase, "total": phase}
    return {
        "docs": n,
        "single": setup | {"query": {"p50_ms": s50, "p99_ms": s99}},
        "engine": setup | {"query": {"p50_ms": e50, "p99_ms": e99}},
        "per_core_vs_linear": {"ingest": 0.5, "index": 0.5, "total": 0.5},
        "cpu_efficiency": {"total": 1.0},
    }


def test_a_saved_run_is_printed_and_charted_without_measuring(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from ipai.cli import main
    from ipai.errors import InputError
    from ipai.evals.bench.scale_chart import read_report

    rows = [_full_row(n, *v) for n, v in MEASURED.items()]
    saved = tmp_path / "scale.log"
    saved.write_text(
        "     docs | ingest …\n" + json.dumps({"rows": rows, "workers": 2}) + "\n", encoding="utf-8"
    )
    assert read_report(saved)["rows"] == rows
    chart = tmp_path / "scale.png"
    where = ["--home", str(tmp_path / "home")]
    assert main([*where, "bench", "scale", "--from-report", str(saved), "--chart", str(chart)]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    report = json.loads(out[-1])
    assert report["query_curve"]["single"]["sub_linear"] and report["chart"] == str(chart)
    assert "| 1,000,000 | 100 | 11.4 / 75.3 | 1.87 | 9.7 / 66.0 | 1.76 |" in out
    assert chart.stat().st_size > 0 and not (tmp_path / "home").exists()  # no store was opened
    (tmp_path / "empty.log").write_text("no report here\n", encoding="utf-8")
    with pytest.raises(InputError):
        read_report(tmp_path / "empty.log")


def test_a_curve_of_medians_only_is_drawn(tmp_path: Path) -> None:
    rows = [
        {"docs": n, "single": {"query": {"p50_ms": v[0]}}, "engine": {"query": {"p50_ms": v[2]}}}
        for n, v in MEASURED.items()
    ]
    g = growth(rows)
    assert "p99_ms" not in g["single"] and g["engine"]["sub_linear"]
    assert "| 10,000 | 1 | 6.1 / – | 1.00 | 5.5 / – | 1.00 |" in markdown_table(rows)
    assert draw_chart({"rows": rows}, tmp_path / "p50.png").stat().st_size < 200_000
