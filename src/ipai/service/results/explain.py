"""Results of patent interpretation (``ipai.service.explain``; built by :mod:`ipai.explain.explainer`)."""

from __future__ import annotations

from typing import Any

from ipai.service.results.common import Result


class Explanation(Result):
    """``Service.explain``: problem, solution, effect, scope and figures quoted with their
    locations, labels in zh/en, and the fluent LLM version (``reason`` says why not)."""

    number: str
    pubno: str
    title: str
    text_lang: str
    title_lead: dict[str, str]
    languages: list[str]
    labels: dict[str, Any]
    note: Any
    mode: str
    reason: str | None
    reason_text: dict[str, str] | None
    llm: Any
    fluent: Any
    problem: list[dict[str, Any]]
    solution: list[dict[str, Any]]
    effect: list[dict[str, Any]]
    no_problem: dict[str, Any] | None
    scope: Any
    figures: list[dict[str, Any]]
    drawing_sheets: int
