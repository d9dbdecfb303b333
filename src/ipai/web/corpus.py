"""The corpus dashboard: counts from ``Service.stats()`` as charts and as tables."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ipai.web.i18n import Translator, pick_lang
from ipai.web.render import page

router = APIRouter()
SECTIONS = ("A", "B", "C", "D", "E", "F", "G", "H", "Y")
CHARTS = (  # (stats key, chart type)
    ("by_year", "bar"),
    ("by_jurisdiction", "bar"),
    ("by_language", "doughnut"),
    ("by_section", "bar"),
    ("by_doc_type", "doughnut"),
    ("by_source_format", "bar"),
)


def label(t: Translator, key: str, value: str) -> str:
    """A category of a stats table in the interface language (section names, languages,
    document types); other values (years, country codes, formats) as they are."""
    if key == "by_section" and value in SECTIONS:
        return f"{value} · {t('section.' + value)}"
    prefix = {"by_language": "langname.", "by_doc_type": "doctype."}.get(key)
    if prefix:
        return t.get(prefix + value, value or t("dash.unknown"))
    return value or t("dash.unknown")


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard(request: Request) -> HTMLResponse:
    """Documents by year, jurisdiction, language, section, type and source; trademark count."""
    stats: dict[str, Any] = request.app.state.service.stats()
    t = Translator(pick_lang(request)[0])
    charts = [
        {
            "key": key,
            "type": kind,
            "rows": [(k, label(t, key, k), v) for k, v in (stats.get(key) or {}).items()],
        }
        for key, kind in CHARTS
    ]
    return page(
        request,
        "dashboard.html",
        active="dashboard",
        stats=stats,
        charts=charts,
        kinds=stats.get("by_kind") or {},
    )
