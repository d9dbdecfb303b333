"""The HTML reports the web app serves load Plotly as a cached file of the app (not 4.8 MB inside
every report), run only that file and their one drawing script (named by its hash), speak the
reader's language in Plotly's toolbar, and mark the names a chart shows as source text; the file
``ipai report`` writes stays self-contained."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from typing import Any

QUERY = "neural network OR 无人机"
INLINE = re.compile(r"<script>(.*?)</script>", re.S)
CHART = re.compile(
    r'<div id="(c_\w+)" class="plotly-graph-div ipai-chart"[^>]*></div>'
    r'<script type="application/json">(.*?)</script>',
    re.S,
)


def _script_src(policy: str) -> str:
    return next(p for p in policy.split(";") if p.strip().startswith("script-src")).strip()


def test_web_report_loads_plotly_from_the_app(client: Any) -> None:
    from ipai.report.plotly_page import plotly_version
    from ipai.web.staticfiles import LONG_CACHE

    r = client.get("/report/landscape", params={"q": QUERY, "lang": "zh"})
    assert r.status_code == 200
    lib = f"/static/vendor/plotly-{plotly_version()}.min.js"
    assert re.findall(r'<script src="([^"]+)"></script>', r.text) == [lib]
    assert len(r.content) < 1_000_000  # the library is not inside (4.8 MB)
    inline = INLINE.findall(r.text)
    assert len(inline) == 1 and "var lazy = true" in inline[0]
    assert (
        'Plotly.register({"moduleType":"locale","name":"zh-CN"' in inline[0]
        and '"Autoscale":"自动缩放"' in inline[0]
    )
    digest = base64.b64encode(hashlib.sha256(inline[0].encode("utf-8")).digest()).decode("ascii")
    policy = r.headers["content-security-policy"]
    assert _script_src(policy) == f"script-src 'self' 'sha256-{digest}'" and "sandbox" not in policy
    js = client.get(lib)
    assert js.status_code == 200 and js.headers["cache-control"] == LONG_CACHE
    assert js.content.startswith(f"/**\n* plotly.js v{plotly_version()}".encode())
    # each chart: a div and its figure; the names of applicants on the bar chart's axis are source text
    charts = {k: json.loads(v) for k, v in CHART.findall(r.text)}
    assert {"c_year", "c_app", "c_matrix", "c_topics", "c_talent"} <= set(charts)
    app = charts["c_app"]
    assert app["source"] == [".ytick text"] and app["data"][0]["orientation"] == "h" and app["data"][0]["y"]
    assert charts["c_year"]["source"] == []
    assert "sendChartToCloud" in charts["c_year"]["config"]["modeBarButtonsToRemove"]
    assert all(t["type"] == "scatter" for t in charts["c_topics"]["data"])  # SVG: no WebGL needed
    en = client.get("/report/landscape", params={"q": QUERY, "lang": "en"})
    assert "Plotly.register" not in INLINE.findall(en.text)[0]
    assert _script_src(en.headers["content-security-policy"]) != _script_src(policy)  # its own script's hash


def test_company_report_in_the_app(client: Any, platform_service: Any) -> None:
    lead = platform_service.analytics.landscape(QUERY, top=1)["by_applicant"][0]["key"]
    r = client.get("/report/company", params={"name": lead, "lang": "zh"})
    assert r.status_code == 200 and "企业技术画像" in r.text and 'src="/static/vendor/plotly-' in r.text
    charts = dict(CHART.findall(r.text))
    assert json.loads(charts["c_inv"])["source"] == [".ytick text"]


def test_saved_report_is_self_contained(platform_service: Any) -> None:
    from ipai.report.landscape import to_html

    html = to_html(platform_service.analytics.landscape_report(QUERY), "en")
    assert "<script src" not in html and len(html) > 4_000_000  # Plotly inline: works offline
    inline = INLINE.findall(html)
    assert "var lazy = false" in inline[-1] and "Plotly.register" not in inline[-1]
    assert len(CHART.findall(html)) >= 10


def test_report_data_is_kept_until_the_data_changes(platform_service: Any) -> None:
    a = platform_service.analytics.landscape_report(QUERY)
    a["by_applicant"].clear()  # a caller's copy: changing it changes nothing kept
    b = platform_service.analytics.landscape_report(QUERY)
    assert b["by_applicant"] and b["timing_ms"] == a["timing_ms"]  # the same answer, not computed again
