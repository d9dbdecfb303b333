"""Interactive charts for the HTML reports, drawn by Plotly (the ``ipai[report]`` extra).

Every chart has a title and named axes with units. A chart is a Plotly figure written as plain
data (traces and layout as dicts: no figure objects to validate, a report renders in milliseconds)
and put in the page by :func:`ipai.report.plotly_page.chart`; ``source`` names the parts of a chart
that show the documents' own words (names on an axis, in the legend, beside points). How the page
loads Plotly and draws the charts (inline in a saved file, a cached file in the web app) is
:mod:`ipai.report.plotly_page`.
"""

from __future__ import annotations

import math
from typing import Any

from ipai.report.plotly_page import chart, library_script  # noqa: F401 - library_script: what the reports call

# Plotly's YlOrRd (ColorBrewer), light to dark
YL_OR_RD = ["#ffffcc", "#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#bd0026", "#800026"]
Source = tuple[str, ...]


def _axis(title: str | None = None, **more: Any) -> dict[str, Any]:
    return ({"title": {"text": title}} if title is not None else {}) | more


def _fig(data: list[dict[str, Any]], title: str, **layout: Any) -> dict[str, Any]:
    return {"data": data, "layout": {"title": title, **layout}}


def bar(
    div_id: str,
    title: str,
    x: list[Any],
    y: list[float],
    x_name: str,
    y_name: str,
    *,
    horizontal: bool = False,
    height: int = 360,
    source: Source = (),
) -> str:
    """A bar chart (horizontal: ``x`` are the categories on the vertical axis, top first)."""
    if horizontal:
        fig = _fig(
            [{"type": "bar", "x": list(y[::-1]), "y": [str(v)[:40] for v in x[::-1]], "orientation": "h"}],
            title,
            xaxis=_axis(y_name),
            yaxis=_axis(x_name),
        )
    else:
        fig = _fig(
            [{"type": "bar", "x": [str(v) for v in x], "y": list(y)}],
            title,
            xaxis=_axis(x_name, type="category"),
            yaxis=_axis(y_name),
        )
    return chart(fig, div_id, height, source)


def lines(
    div_id: str,
    title: str,
    series: dict[str, dict[Any, float]],
    x_name: str,
    y_name: str,
    height: int = 360,
    source: Source = (),
) -> str:
    """One line per series over the union of their x values."""
    xs = sorted({k for s in series.values() for k in s})
    data = [
        {
            "type": "scatter",
            "x": [str(v) for v in xs],
            "y": [s.get(v, 0) for v in xs],
            "mode": "lines+markers",
            "name": name[:30],
        }
        for name, s in series.items()
    ]
    return chart(
        _fig(data, title, xaxis=_axis(x_name, type="category"), yaxis=_axis(y_name)), div_id, height, source
    )


def heatmap(
    div_id: str,
    title: str,
    rows: list[str],
    cols: list[str],
    z: list[list[float]],
    x_name: str,
    y_name: str,
    unit: str,
    height: int = 520,
    source: Source = (),
) -> str:
    """Counts of rows × columns, values written in the cells."""
    scale = [[i / (len(YL_OR_RD) - 1), c] for i, c in enumerate(YL_OR_RD)]
    data = [
        {
            "type": "heatmap",
            "z": z[::-1],
            "x": cols,
            "y": [r[:40] for r in rows[::-1]],
            "text": z[::-1],
            "texttemplate": "%{text}",
            "colorscale": scale,
            "colorbar": {"title": {"text": unit}},
        }
    ]
    return chart(_fig(data, title, xaxis=_axis(x_name), yaxis=_axis(y_name)), div_id, height, source)


def network(
    div_id: str,
    title: str,
    nodes: list[dict[str, Any]],
    edges: list[dict[str, Any]],
    size_name: str,
    height: int = 520,
    source: Source = (),
) -> str:
    """Nodes on a circle (largest first), edges drawn with their weight as width."""
    n = max(len(nodes), 1)
    pos = {
        nd["id"]: (math.cos(2 * math.pi * i / n), math.sin(2 * math.pi * i / n)) for i, nd in enumerate(nodes)
    }
    data = []
    for e in edges:
        if e["source"] in pos and e["target"] in pos:
            (x0, y0), (x1, y1) = pos[e["source"]], pos[e["target"]]
            data.append(
                {
                    "type": "scatter",
                    "x": [x0, x1],
                    "y": [y0, y1],
                    "mode": "lines",
                    "hoverinfo": "skip",
                    "showlegend": False,
                    "line": {"width": min(8, 1 + e["weight"]), "color": "#9fb3c8"},
                }
            )
    biggest = max((nd["count"] for nd in nodes), default=1) or 1
    data.append(
        {
            "type": "scatter",
            "x": [pos[nd["id"]][0] for nd in nodes],
            "y": [pos[nd["id"]][1] for nd in nodes],
            "mode": "markers+text",
            "text": [nd["id"][:28] for nd in nodes],
            "textposition": "top center",
            "showlegend": False,
            "marker": {"size": [10 + 30 * nd["count"] / biggest for nd in nodes], "color": "#4263eb"},
            "hovertext": [f"{nd['id']}: {nd['count']} {size_name}" for nd in nodes],
            "hoverinfo": "text",
        }
    )
    fig = _fig(data, title, xaxis={"visible": False}, yaxis={"visible": False})
    return chart(fig, div_id, height, source)


def forecast_band(
    div_id: str, title: str, fc: dict[str, Any], labels: dict[str, str], height: int = 380
) -> str:
    """History as bars, the forecast as a line inside its prediction interval."""
    hx = list(fc["history"])
    fx = [str(y) for y in fc["years"]]
    data: list[dict[str, Any]] = [
        {"type": "bar", "x": hx, "y": list(fc["history"].values()), "name": labels["history"]},
        {
            "type": "scatter",
            "x": fx + fx[::-1],
            "y": list(fc["upper"]) + list(fc["lower"])[::-1],
            "fill": "toself",
            "line": {"width": 0},
            "name": labels["interval"],
            "opacity": 0.3,
        },
        {
            "type": "scatter",
            "x": fx,
            "y": list(fc["point"]),
            "mode": "lines+markers",
            "name": labels["point"],
        },
    ]
    fig = _fig(data, title, xaxis=_axis(labels["year"], type="category"), yaxis=_axis(labels["count"]))
    return chart(fig, div_id, height)


def radar(
    div_id: str,
    title: str,
    values: dict[str, float],
    name: str,
    height: int = 360,
    labels: dict[str, str] | None = None,
    axis: str = "percentile",
) -> str:
    """Percentiles (0–1) on a polar chart; ``labels`` name the axes (the keys by default)."""
    keys = list(values)
    theta = [(labels or {}).get(k, k) for k in keys]
    data = [
        {
            "type": "scatterpolar",
            "r": [values[k] for k in keys] + [values[keys[0]]] if keys else [],
            "theta": theta + theta[:1],
            "fill": "toself",
            "name": name[:30],
        }
    ]
    fig = _fig(data, title, polar={"radialaxis": {"range": [0, 1], "title": {"text": axis}}})
    return chart(fig, div_id, height)


def topic_map(
    div_id: str,
    title: str,
    topics: list[dict[str, Any]],
    points: list[dict[str, Any]],
    axis_names: tuple[str, str],
    height: int = 560,
    labels: dict[Any, str] | None = None,
    source: Source = (),
) -> str:
    """Documents as dots on the 2-D map, one colour per topic, each topic labelled at its centre
    (``labels`` by topic id, in the report's language; both languages' words by default). SVG, not
    WebGL: drawn in any browser and in a PDF printed without a GPU."""
    label = {
        t["id"]: ((labels or {}).get(t["id"]) or t.get("label_en") or t.get("label_zh") or str(t["id"]))[:40]
        for t in topics
    }
    data: list[dict[str, Any]] = []
    for t in topics:
        pts = [p for p in points if p["topic"] == t["id"]]
        data.append(
            {
                "type": "scatter",
                "x": [p["x"] for p in pts],
                "y": [p["y"] for p in pts],
                "mode": "markers",
                "name": f"{label[t['id']]} ({t['size']})",
                "marker": {"size": 5, "opacity": 0.6},
                "hovertext": [p["id"] for p in pts],
                "hoverinfo": "text+name",
            }
        )
    data.append(
        {
            "type": "scatter",
            "x": [t["x"] for t in topics],
            "y": [t["y"] for t in topics],
            "mode": "text",
            "text": [
                label[t["id"]] + (f"<br>{t['label_zh']}" if t.get("label_zh") and labels is None else "")
                for t in topics
            ],
            "textfont": {"size": 11},
            "showlegend": False,
            "hoverinfo": "skip",
        }
    )
    fig = _fig(
        data, title, xaxis=_axis(axis_names[0]), yaxis=_axis(axis_names[1]), legend={"font": {"size": 10}}
    )
    return chart(fig, div_id, height, source)


def stacked(
    div_id: str,
    title: str,
    series: dict[str, dict[Any, float]],
    x_name: str,
    y_name: str,
    height: int = 420,
    source: Source = (),
) -> str:
    """Stacked areas, one per series, over the union of their x values."""
    xs = sorted({k for s in series.values() for k in s})
    data = [
        {
            "type": "scatter",
            "x": [str(v) for v in xs],
            "y": [s.get(v, 0) for v in xs],
            "name": name[:40],
            "mode": "lines",
            "stackgroup": "one",
        }
        for name, s in series.items()
    ]
    fig = _fig(
        data, title, xaxis=_axis(x_name, type="category"), yaxis=_axis(y_name), legend={"font": {"size": 10}}
    )
    return chart(fig, div_id, height, source)


def cell_map(
    div_id: str,
    title: str,
    cells: list[dict[str, Any]],
    marked: dict[str, list[dict[str, Any]]],
    names: tuple[str, str],
    height: int = 480,
) -> str:
    """Classification cells by documents (log axis) and growth: all cells in grey, the ``marked``
    groups (name → cells) in colour; cells at one point share one label ("B60L11 +4")."""
    data = [
        {
            "type": "scatter",
            "x": [c["documents"] for c in cells],
            "y": [c["growth"] or 0 for c in cells],
            "mode": "markers",
            "name": "all",
            "marker": {"color": "#bcccdc", "size": 6},
            "hovertext": [c["cell"] for c in cells],
            "hoverinfo": "text+x+y",
        }
    ]
    for (name, rows), colour in zip(marked.items(), ("#f08c00", "#e03131", "#2f9e44"), strict=False):
        at: dict[tuple[float, float], list[str]] = {}
        for r in rows:
            at.setdefault((r["documents"], r["growth"] or 0), []).append(r["cell"])
        pts = list(at.items())
        data.append(
            {
                "type": "scatter",
                "x": [p[0][0] for p in pts],
                "y": [p[0][1] for p in pts],
                "mode": "markers+text",
                "name": name,
                "text": [v[0] + (f" +{len(v) - 1}" if len(v) > 1 else "") for _, v in pts],
                "textposition": "top center",
                "marker": {"color": colour, "size": [10 + 2 * min(len(v), 10) for _, v in pts]},
                "hovertext": [", ".join(v) for _, v in pts],
                "hoverinfo": "text+x+y",
            }
        )
    fig = _fig(data, title, xaxis=_axis(names[0], type="log"), yaxis=_axis(names[1]))
    return chart(fig, div_id, height)


def path(
    div_id: str, title: str, steps: list[dict[str, Any]], x_name: str, height: int = 420, source: Source = ()
) -> str:
    """A citation main path: documents by year, joined in path order, labelled with their titles."""
    data = [
        {
            "type": "scatter",
            "x": [s["year"] for s in steps],
            "y": list(range(len(steps), 0, -1)),
            "mode": "lines+markers+text",
            "text": [f"{s['id']} {str(s.get('title') or '')[:40]}" for s in steps],
            "textposition": "middle right",
            "marker": {"size": 10},
            "hovertext": [f"{s['id']} ({s['year']}): {s.get('title') or ''}" for s in steps],
            "hoverinfo": "text",
        }
    ]
    return chart(_fig(data, title, xaxis=_axis(x_name), yaxis={"visible": False}), div_id, height, source)
