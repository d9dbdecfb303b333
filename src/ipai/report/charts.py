"""Interactive charts for the HTML reports, built with Plotly (the ``ipai[report]`` extra).

Every chart has a title and named axes with units; the Plotly library is inlined once per report
(``library_script``), so a report file works offline and in a PDF printed by Chromium.
"""

from __future__ import annotations

import math
import re
from typing import Any

from ipai.errors import require

_ESCAPED = re.compile(r"\\u((?!00)(?!202[89])(?![dD][89a-fA-F])[0-9a-fA-F]{4})")
FONT = "system-ui, 'WenQuanYi Micro Hei', 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif"


def _go() -> Any:
    return require("plotly.graph_objects", "report", "HTML reports with charts")


def library_script() -> str:
    """The Plotly library as one inline ``<script>`` (about 4.8 MB; nothing is fetched)."""
    offline = require("plotly.offline", "report", "HTML reports with charts")
    return f'<script type="text/javascript">{offline.get_plotlyjs()}</script>'


def _div(fig: Any, div_id: str, height: int) -> str:
    fig.update_layout(height=height, margin={"l": 70, "r": 30, "t": 60, "b": 60}, font={"family": FONT},
                      template="plotly_white", title={"x": 0.01})
    out = fig.to_html(full_html=False, include_plotlyjs=False, div_id=div_id,
                      config={"displaylogo": False, "responsive": True})
    # Plotly's JSON escapes non-ASCII (\uXXXX) unless orjson is installed: write Chinese labels as
    # text either way, so the file reads the same in every environment (ASCII escapes such as \u003c stay)
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), out)


def bar(div_id: str, title: str, x: list[Any], y: list[float], x_name: str, y_name: str, *,
        horizontal: bool = False, height: int = 360) -> str:
    """A bar chart (horizontal: ``x`` are the categories on the vertical axis, top first)."""
    go = _go()
    if horizontal:
        fig = go.Figure(go.Bar(x=y[::-1], y=[str(v)[:40] for v in x[::-1]], orientation="h"))
        fig.update_layout(title=title, xaxis_title=y_name, yaxis_title=x_name)
    else:
        fig = go.Figure(go.Bar(x=[str(v) for v in x], y=y))
        fig.update_layout(title=title, xaxis_title=x_name, yaxis_title=y_name, xaxis_type="category")
    return _div(fig, div_id, height)


def lines(div_id: str, title: str, series: dict[str, dict[Any, float]], x_name: str, y_name: str,
          height: int = 360) -> str:
    """One line per series over the union of their x values."""
    go = _go()
    xs = sorted({k for s in series.values() for k in s})
    fig = go.Figure([go.Scatter(x=[str(v) for v in xs], y=[s.get(v, 0) for v in xs], mode="lines+markers",
                                name=name[:30]) for name, s in series.items()])
    fig.update_layout(title=title, xaxis_title=x_name, yaxis_title=y_name, xaxis_type="category")
    return _div(fig, div_id, height)


def heatmap(div_id: str, title: str, rows: list[str], cols: list[str], z: list[list[float]],
            x_name: str, y_name: str, unit: str, height: int = 520) -> str:
    """Counts of rows × columns, values written in the cells."""
    go = _go()
    fig = go.Figure(go.Heatmap(z=z[::-1], x=cols, y=[r[:40] for r in rows[::-1]], text=z[::-1],
                               texttemplate="%{text}", colorscale="YlOrRd", colorbar={"title": unit}))
    fig.update_layout(title=title, xaxis_title=x_name, yaxis_title=y_name)
    return _div(fig, div_id, height)


def network(div_id: str, title: str, nodes: list[dict[str, Any]], edges: list[dict[str, Any]],
            size_name: str, height: int = 520) -> str:
    """Nodes on a circle (largest first), edges drawn with their weight as width."""
    go = _go()
    n = max(len(nodes), 1)
    pos = {nd["id"]: (math.cos(2 * math.pi * i / n), math.sin(2 * math.pi * i / n)) for i, nd in enumerate(nodes)}
    traces = []
    for e in edges:
        if e["source"] in pos and e["target"] in pos:
            (x0, y0), (x1, y1) = pos[e["source"]], pos[e["target"]]
            traces.append(go.Scatter(x=[x0, x1], y=[y0, y1], mode="lines", hoverinfo="skip", showlegend=False,
                                     line={"width": min(8, 1 + e["weight"]), "color": "#9fb3c8"}))
    biggest = max((nd["count"] for nd in nodes), default=1) or 1
    traces.append(go.Scatter(
        x=[pos[nd["id"]][0] for nd in nodes], y=[pos[nd["id"]][1] for nd in nodes], mode="markers+text",
        text=[nd["id"][:28] for nd in nodes], textposition="top center", showlegend=False,
        marker={"size": [10 + 30 * nd["count"] / biggest for nd in nodes], "color": "#4263eb"},
        hovertext=[f"{nd['id']}: {nd['count']} {size_name}" for nd in nodes], hoverinfo="text"))
    fig = go.Figure(traces)
    fig.update_layout(title=title, xaxis={"visible": False}, yaxis={"visible": False})
    return _div(fig, div_id, height)


def forecast_band(div_id: str, title: str, fc: dict[str, Any], labels: dict[str, str], height: int = 380) -> str:
    """History as bars, the forecast as a line inside its prediction interval."""
    go = _go()
    hx = list(fc["history"])
    fx = [str(y) for y in fc["years"]]
    fig = go.Figure([
        go.Bar(x=hx, y=list(fc["history"].values()), name=labels["history"]),
        go.Scatter(x=fx + fx[::-1], y=list(fc["upper"]) + list(fc["lower"])[::-1], fill="toself",
                   line={"width": 0}, name=labels["interval"], opacity=0.3),
        go.Scatter(x=fx, y=fc["point"], mode="lines+markers", name=labels["point"])])
    fig.update_layout(title=title, xaxis_title=labels["year"], yaxis_title=labels["count"], xaxis_type="category")
    return _div(fig, div_id, height)


def radar(div_id: str, title: str, values: dict[str, float], name: str, height: int = 360,
          labels: dict[str, str] | None = None, axis: str = "percentile") -> str:
    """Percentiles (0–1) on a polar chart; ``labels`` name the axes (the keys by default)."""
    go = _go()
    keys = list(values)
    theta = [(labels or {}).get(k, k) for k in keys]
    fig = go.Figure(go.Scatterpolar(r=[values[k] for k in keys] + [values[keys[0]]] if keys else [],
                                    theta=theta + theta[:1], fill="toself", name=name[:30]))
    fig.update_layout(title=title, polar={"radialaxis": {"range": [0, 1], "title": {"text": axis}}})
    return _div(fig, div_id, height)


def topic_map(div_id: str, title: str, topics: list[dict[str, Any]], points: list[dict[str, Any]],
              axis_names: tuple[str, str], height: int = 560, labels: dict[Any, str] | None = None) -> str:
    """Documents as dots on the 2-D map, one colour per topic, each topic labelled at its centre
    (``labels`` by topic id, in the report's language; both languages' words by default)."""
    go = _go()
    label = {t["id"]: ((labels or {}).get(t["id"]) or t.get("label_en") or t.get("label_zh") or str(t["id"]))[:40]
             for t in topics}
    traces = []
    for t in topics:
        pts = [p for p in points if p["topic"] == t["id"]]
        traces.append(go.Scattergl(x=[p["x"] for p in pts], y=[p["y"] for p in pts], mode="markers",
                                   name=f"{label[t['id']]} ({t['size']})", marker={"size": 5, "opacity": 0.6},
                                   hovertext=[p["id"] for p in pts], hoverinfo="text+name"))
    traces.append(go.Scatter(x=[t["x"] for t in topics], y=[t["y"] for t in topics], mode="text",
                             text=[label[t["id"]] + (f"<br>{t['label_zh']}" if t.get("label_zh") and labels is None else "")
                                   for t in topics],
                             textfont={"size": 11}, showlegend=False, hoverinfo="skip"))
    fig = go.Figure(traces)
    fig.update_layout(title=title, xaxis_title=axis_names[0], yaxis_title=axis_names[1], legend={"font": {"size": 10}})
    return _div(fig, div_id, height)


def stacked(div_id: str, title: str, series: dict[str, dict[Any, float]], x_name: str, y_name: str,
            height: int = 420) -> str:
    """Stacked areas, one per series, over the union of their x values."""
    go = _go()
    xs = sorted({k for s in series.values() for k in s})
    fig = go.Figure([go.Scatter(x=[str(v) for v in xs], y=[s.get(v, 0) for v in xs], name=name[:40],
                                mode="lines", stackgroup="one") for name, s in series.items()])
    fig.update_layout(title=title, xaxis_title=x_name, yaxis_title=y_name, xaxis_type="category",
                      legend={"font": {"size": 10}})
    return _div(fig, div_id, height)


def cell_map(div_id: str, title: str, cells: list[dict[str, Any]], marked: dict[str, list[dict[str, Any]]],
             names: tuple[str, str], height: int = 480) -> str:
    """Classification cells by documents (log axis) and growth: all cells in grey, the ``marked``
    groups (name → cells) in colour; cells at one point share one label ("B60L11 +4")."""
    go = _go()
    fig = go.Figure(go.Scatter(x=[c["documents"] for c in cells], y=[c["growth"] or 0 for c in cells],
                               mode="markers", name="all", marker={"color": "#bcccdc", "size": 6},
                               hovertext=[c["cell"] for c in cells], hoverinfo="text+x+y"))
    for (name, rows), colour in zip(marked.items(), ("#f08c00", "#e03131", "#2f9e44")):
        at: dict[tuple[float, float], list[str]] = {}
        for r in rows:
            at.setdefault((r["documents"], r["growth"] or 0), []).append(r["cell"])
        pts = list(at.items())
        fig.add_trace(go.Scatter(
            x=[p[0][0] for p in pts], y=[p[0][1] for p in pts], mode="markers+text", name=name,
            text=[v[0] + (f" +{len(v) - 1}" if len(v) > 1 else "") for _, v in pts], textposition="top center",
            marker={"color": colour, "size": [10 + 2 * min(len(v), 10) for _, v in pts]},
            hovertext=[", ".join(v) for _, v in pts], hoverinfo="text+x+y"))
    fig.update_layout(title=title, xaxis_title=names[0], yaxis_title=names[1], xaxis_type="log")
    return _div(fig, div_id, height)


def path(div_id: str, title: str, steps: list[dict[str, Any]], x_name: str, height: int = 420) -> str:
    """A citation main path: documents by year, joined in path order, labelled with their titles."""
    go = _go()
    fig = go.Figure(go.Scatter(
        x=[s["year"] for s in steps], y=list(range(len(steps), 0, -1)), mode="lines+markers+text",
        text=[f"{s['id']} {str(s.get('title') or '')[:40]}" for s in steps], textposition="middle right",
        marker={"size": 10}, hovertext=[f"{s['id']} ({s['year']}): {s.get('title') or ''}" for s in steps],
        hoverinfo="text"))
    fig.update_layout(title=title, xaxis_title=x_name, yaxis={"visible": False})
    return _div(fig, div_id, height)
