"""How a report page carries its Plotly charts.

Each chart is a ``<div class="ipai-chart">`` followed by its figure as JSON (``<script
type="application/json">``: data, layout, config, and which of its parts show the documents' own
words). One inline script (:func:`setup_script`, the same for every report in a language) draws them:

- the file a user saves (``ipai report … -o report.html``) carries Plotly inline, draws every chart
  as the page is read, and works offline and in a PDF printed by Chromium;
- the web app's report loads Plotly from ``/static/vendor/plotly-<version>.min.js`` (cached by the
  browser for a year, instead of 4.8 MB inside every report) and draws a chart as it comes near the
  screen, the others one after another once the page has loaded, all of them before printing. Its
  Content-Security-Policy (:func:`csp`) lets only that file and the one inline script run.

A Chinese report's toolbar speaks Chinese (Plotly's zh-CN locale, :mod:`ipai.report.plotly_zh`);
tick labels, legend entries and point labels that show names or words from the documents are
marked ``data-source`` after each drawing, as the pages mark such text.
"""

from __future__ import annotations

import base64
import hashlib
import json
from functools import cache
from typing import Any

from ipai.errors import require

FONT = "system-ui, 'WenQuanYi Micro Hei', 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif"
# the toolbar a report offers: no box/lasso selection (nothing reads a selection) and no upload to
# Plotly's cloud (reports stay on the machine)
REMOVED_BUTTONS = ["select2d", "lasso2d", "sendDataToCloud", "sendChartToCloud"]
CONFIG = {"displaylogo": False, "responsive": True, "modeBarButtonsToRemove": REMOVED_BUTTONS}
# what a chart can draw from the documents, by the SVG elements Plotly draws it in
SOURCE_PARTS = {"ytick": ".ytick text", "legend": ".legendtext", "text": ".textpoint text"}

_DRAW_JS = """(function () {
  "use strict";
  var lazy = %(lazy)s, template = %(template)s;
  %(locale)s
  function mark(gd, sels) {
    sels.forEach(function (s) {
      gd.querySelectorAll(s).forEach(function (e) { e.setAttribute("data-source", ""); });
    });
  }
  function draw(gd) {
    if (gd.ipaiDrawn) return;
    gd.ipaiDrawn = true;
    var spec = JSON.parse(gd.nextElementSibling.textContent);
    spec.layout.template = template;
    Plotly.newPlot(gd, spec.data, spec.layout, spec.config);
    if (spec.source.length) {
      mark(gd, spec.source);
      gd.on("plotly_afterplot", function () { mark(gd, spec.source); });
    }
  }
  function start() {
    var all = Array.prototype.slice.call(document.querySelectorAll("div.ipai-chart"));
    window.addEventListener("beforeprint", function () { all.forEach(draw); });
    if (!lazy || !window.IntersectionObserver) { all.forEach(draw); return; }
    var seen = new IntersectionObserver(function (entries) {
      entries.forEach(function (e) { if (e.isIntersecting) { seen.unobserve(e.target); draw(e.target); } });
    }, {rootMargin: "300px"});
    all.forEach(function (gd) { seen.observe(gd); });
    var idle = window.requestIdleCallback || function (f) { return setTimeout(f, 20); };
    window.addEventListener("load", function () {
      var i = 0;
      (function next() {
        while (i < all.length && all[i].ipaiDrawn) i++;
        if (i < all.length) { draw(all[i]); idle(next); }
      })();
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();"""


def _json(value: Any) -> str:
    """JSON safe inside a ``<script>`` element (``<``, ``>``, ``&`` and line separators escaped);
    numpy numbers and arrays written as plain ones."""

    def plain(o: Any) -> Any:
        if hasattr(o, "tolist"):
            return o.tolist()
        if hasattr(o, "item"):
            return o.item()
        raise TypeError(f"not JSON: {type(o).__name__}")

    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=plain)
    for ch, esc in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(ch, esc)
    return text


@cache
def _template() -> str:
    """Plotly's ``plotly_white`` template as JSON (the same in every chart: sent once per page)."""
    pio = require("plotly.io", "report", "HTML reports with charts")
    return _json(pio.templates["plotly_white"].to_plotly_json())


@cache
def setup_script(lang: str, lazy: bool) -> str:
    """The report's one inline script: the template, the zh-CN locale for a Chinese report, and the
    code that draws the charts (all at once, or ``lazy``: near the screen first)."""
    locale = ""
    if lang == "zh":
        from ipai.report.plotly_zh import ZH_CN

        locale = f'Plotly.register({_json(ZH_CN)}); Plotly.setPlotConfig({{locale: "zh-CN"}});'
    return _DRAW_JS % {"lazy": "true" if lazy else "false", "template": _template(), "locale": locale}


def plotly_version() -> str:
    """The version of the plotly.js bundled with the installed plotly package (``4.1.1``)."""
    offline = require("plotly.offline", "report", "HTML reports with charts")
    return str(offline.get_plotlyjs_version())


def plotly_file() -> Any:
    """The plotly.js file of the installed plotly package (what the web app serves)."""
    from importlib.resources import files

    require("plotly.offline", "report", "HTML reports with charts")
    return files("plotly") / "package_data" / "plotly.min.js"


def library_script(lang: str = "en", src: str | None = None) -> str:
    """Plotly and the drawing script: Plotly inline (about 4.8 MB; nothing is fetched) and every
    chart drawn at once, or with ``src`` Plotly from that URL and the charts drawn lazily."""
    if src:
        lib = f'<script src="{src}"></script>'
    else:
        offline = require("plotly.offline", "report", "HTML reports with charts")
        lib = f'<script type="text/javascript">{offline.get_plotlyjs()}</script>'
    return f"{lib}\n<script>{setup_script(lang, bool(src))}</script>"


def csp(lang: str) -> str:
    """The Content-Security-Policy of a report the web app serves: Plotly from the app's own files,
    the drawing script by its hash, nothing else run or fetched."""
    digest = hashlib.sha256(setup_script(lang, True).encode("utf-8")).digest()
    return (
        "default-src 'none'; script-src 'self' 'sha256-" + base64.b64encode(digest).decode("ascii") + "'; "
        "style-src 'unsafe-inline'; img-src data: blob:; font-src data:; connect-src 'none'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )


def chart(fig: dict[str, Any], div_id: str, height: int, source: tuple[str, ...] = ()) -> str:
    """One chart's HTML: its ``<div>`` and its figure as JSON; ``source`` names the parts that show
    the documents' own words (:data:`SOURCE_PARTS`)."""
    layout = fig.setdefault("layout", {})
    layout.update(height=height, margin={"l": 70, "r": 30, "t": 60, "b": 60}, font={"family": FONT})
    layout["title"] = {"text": layout.get("title") or "", "x": 0.01}
    spec = {
        "data": fig["data"],
        "layout": layout,
        "config": CONFIG,
        "source": [SOURCE_PARTS[s] for s in source],
    }
    return (
        f'<div id="{div_id}" class="plotly-graph-div ipai-chart" style="height:{height}px; width:100%;"></div>'
        f'<script type="application/json">{_json(spec)}</script>'
    )
