"""The query-latency curve of ``ipai bench scale``: growth exponents, a Markdown table and a PNG chart.

Latency against corpus size on log–log axes: a straight line of slope 1 is cost linear in the
corpus, slope 0 is constant. :func:`growth` fits the slope (least squares over every size) and
gives the ratios from the smallest to the largest size; the chart is drawn with Pillow (a core
dependency), so no plotting library is needed.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

SETUPS = ("single", "engine")
STATS = ("p50_ms", "p99_ms")
COLOURS = {"single": (31, 119, 180), "engine": (230, 120, 20)}
LINEAR = (150, 150, 150)
SIZE = (900, 560)
MARGIN = {"left": 80, "right": 190, "top": 56, "bottom": 84}


def slope(xs: list[float], ys: list[float]) -> float | None:
    """Least-squares slope of log(y) on log(x): the exponent of y ∝ x^k (None with < 2 points)."""
    pts = [(math.log(x), math.log(y)) for x, y in zip(xs, ys, strict=True) if x > 0 and y > 0]
    if len(pts) < 2:
        return None
    mx = sum(p[0] for p in pts) / len(pts)
    my = sum(p[1] for p in pts) / len(pts)
    den = sum((p[0] - mx) ** 2 for p in pts)
    return round(sum((p[0] - mx) * (p[1] - my) for p in pts) / den, 3) if den else None


def growth(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Per set-up and statistic: the latencies by size, the fitted exponent, and the latency ratio
    largest ÷ smallest beside the size ratio (sub-linear when the first is the smaller)."""
    rows = sorted(rows, key=lambda r: r["docs"])
    docs = [float(r["docs"]) for r in rows]
    out: dict[str, Any] = {"docs": [r["docs"] for r in rows]}
    size_ratio = round(docs[-1] / docs[0], 2) if rows else None
    out["size_ratio"] = size_ratio
    for setup in SETUPS:
        curve: dict[str, Any] = {}
        for stat in STATS:
            if not all(stat in r[setup]["query"] for r in rows):
                continue
            ms = [float(r[setup]["query"][stat]) for r in rows]
            ratio = round(ms[-1] / ms[0], 2) if ms and ms[0] else None
            curve[stat] = ms
            curve[f"{stat[:3]}_exponent"] = slope(docs, ms)
            curve[f"{stat[:3]}_ratio"] = ratio
        ratio = curve["p50_ratio"]
        curve["sub_linear"] = bool(ratio is not None and size_ratio is not None and ratio < size_ratio)
        out[setup] = curve
    return out


def markdown_table(rows: list[dict[str, Any]]) -> str:
    """The curve as a Markdown table: latency by size for both set-ups, and each as a multiple of
    the smallest size's beside the size's own multiple."""
    rows = sorted(rows, key=lambda r: r["docs"])
    first = rows[0]
    lines = [
        "| documents | × size | single p50 / p99 (ms) | × p50 | engine p50 / p99 (ms) | × p50 |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        cells = [f"{r['docs']:,}", f"{r['docs'] / first['docs']:.0f}"]
        for setup in SETUPS:
            q, q0 = r[setup]["query"], first[setup]["query"]
            p99 = f"{q['p99_ms']:.1f}" if "p99_ms" in q else "–"
            cells.append(f"{q['p50_ms']:.1f} / {p99}")
            cells.append(f"{q['p50_ms'] / q0['p50_ms']:.2f}" if q0["p50_ms"] else "–")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def read_report(path: Path) -> dict[str, Any]:
    """The report of an earlier run: the last line of ``path`` that is a JSON object with ``rows``
    (the saved output of ``ipai bench scale``, table and progress lines before it)."""
    import json

    for line in reversed(path.read_text(encoding="utf-8").splitlines()):
        if line.startswith("{"):
            try:
                out = json.loads(line)
            except ValueError:
                continue
            if isinstance(out, dict) and out.get("rows"):
                return out
    from ipai.errors import InputError

    raise InputError(f"no ipai bench scale report (a JSON line with rows) in {path}")


def _font(size: int) -> Any:
    from PIL import ImageFont

    try:
        return ImageFont.load_default(size=size)
    except (TypeError, OSError):  # Pillow without FreeType: the fixed bitmap font
        return ImageFont.load_default()


def _ticks(lo: float, hi: float) -> list[float]:
    """1-2-5 ticks per decade between lo and hi."""
    out = []
    for e in range(math.floor(math.log10(lo)), math.ceil(math.log10(hi)) + 1):
        for m in (1, 2, 5):
            v = m * 10.0**e
            if lo <= v <= hi:
                out.append(v)
    return out


def _label(v: float, unit: str = "") -> str:
    if v >= 1_000_000:
        return f"{v / 1_000_000:g}M"
    if v >= 1_000:
        return f"{v / 1_000:g}k"
    return f"{v:g}{unit}"


def draw_chart(report: dict[str, Any], path: Path) -> Path:
    """Write the latency curve of a ``bench_scale`` report as a PNG (log–log, p50 solid and p99
    dashed for both set-ups, and the line of cost linear in size from the smallest single p50)."""
    from PIL import Image, ImageDraw

    rows = sorted(report["rows"], key=lambda r: r["docs"])
    g = growth(rows)
    docs = [float(r["docs"]) for r in rows]
    values = [float(r[s]["query"][k]) for r in rows for s in SETUPS for k in STATS if k in r[s]["query"]]
    x_lo, x_hi = docs[0] / 1.3, docs[-1] * 1.3
    linear = [rows[0]["single"]["query"]["p50_ms"] * d / docs[0] for d in docs]
    y_lo = max(min(values) / 1.5, 0.01)
    y_hi = max(max(values), min(max(linear), max(values) * 20)) * 1.5
    w, h = SIZE
    left, right, top, bottom = MARGIN["left"], w - MARGIN["right"], MARGIN["top"], h - MARGIN["bottom"]

    def px(d: float) -> float:
        return left + (math.log(d) - math.log(x_lo)) / (math.log(x_hi) - math.log(x_lo)) * (right - left)

    def py(ms: float) -> float:
        ms = min(max(ms, y_lo), y_hi)
        return bottom - (math.log(ms) - math.log(y_lo)) / (math.log(y_hi) - math.log(y_lo)) * (bottom - top)

    img = Image.new("RGB", SIZE, "white")
    dr = ImageDraw.Draw(img)
    small, normal, big = _font(12), _font(14), _font(17)
    for v in _ticks(y_lo, y_hi):
        y = py(v)
        dr.line([(left, y), (right, y)], fill=(232, 232, 232))
        dr.text((left - 8, y), _label(v), fill="black", font=small, anchor="rm")
    for v in _ticks(x_lo, x_hi):
        x = px(v)
        dr.line([(x, top), (x, bottom)], fill=(232, 232, 232))
        dr.text((x, bottom + 8), _label(v), fill="black", font=small, anchor="mt")
    dr.rectangle([left, top, right, bottom], outline="black")
    dr.text(
        ((left + right) / 2, 20),
        "ipai bench scale: hybrid query latency",
        fill="black",
        font=big,
        anchor="mm",
    )
    dr.text(
        ((left + right) / 2, bottom + 32),
        "documents in the corpus (log)",
        fill="black",
        font=normal,
        anchor="mt",
    )
    dr.text((left, top - 8), "ms per query (log)", fill="black", font=normal, anchor="ld")
    _dashed(dr, [(px(d), py(v)) for d, v in zip(docs, linear, strict=True)], LINEAR, 2, 3)
    for setup in SETUPS:
        colour = COLOURS[setup]
        for stat in STATS:
            if stat not in g[setup]:
                continue
            pts = [(px(d), py(float(r[setup]["query"][stat]))) for d, r in zip(docs, rows, strict=True)]
            if stat == "p50_ms":
                dr.line(pts, fill=colour, width=3)
            else:
                _dashed(dr, pts, colour, 2, 7)
            for x, y in pts:
                dr.ellipse([x - 4, y - 4, x + 4, y + 4], fill=colour)
    _legend(dr, right + 14, top + 4, g, normal, small)
    img.quantize(colors=32).save(path, optimize=True)
    return path


def _dashed(dr: Any, pts: list[tuple[float, float]], colour: Any, width: int, dash: float) -> None:
    for (x0, y0), (x1, y1) in zip(pts, pts[1:], strict=False):
        n = max(1, int(math.hypot(x1 - x0, y1 - y0) / dash))
        for i in range(0, n, 2):
            a, b = i / n, min(i + 1, n) / n
            dr.line(
                [(x0 + (x1 - x0) * a, y0 + (y1 - y0) * a), (x0 + (x1 - x0) * b, y0 + (y1 - y0) * b)],
                fill=colour,
                width=width,
            )


def _legend(dr: Any, x: float, y: float, g: dict[str, Any], font: Any, small: Any) -> None:
    for setup, name in (("single", "one process"), ("engine", "local engine")):
        colour = COLOURS[setup]
        dr.line([(x, y + 8), (x + 28, y + 8)], fill=colour, width=3)
        dr.text((x + 36, y + 8), f"{name} p50", fill="black", font=font, anchor="lm")
        if "p99_ms" in g[setup]:
            _dashed(dr, [(x, y + 28), (x + 28, y + 28)], colour, 2, 7)
            dr.text((x + 36, y + 28), f"{name} p99", fill="black", font=font, anchor="lm")
        k = g[setup]["p50_exponent"]
        dr.text((x, y + 46), f"p50 ~ size^{k:.2f}" if k is not None else "", fill=colour, font=small)
        y += 78
    _dashed(dr, [(x, y + 8), (x + 28, y + 8)], LINEAR, 2, 3)
    dr.text((x + 36, y + 8), "linear in size", fill="black", font=font, anchor="lm")
    sizes = f"{_label(g['docs'][0])} to {_label(g['docs'][-1])}: size x{g['size_ratio']:g}"
    dr.text((x, y + 30), sizes, fill="black", font=small)
