"""Results of the patentability assessment (``Service.assess``; built by :mod:`ipai.assess.report`)."""

from __future__ import annotations

from typing import Any, NotRequired

from ipai.service.results.common import Result


class Assessment(Result):
    """``Service.assess``: features, prior art with X/Y/A categories, the feature × document
    matrix with quoted passages, Y combinations, uncovered features, indicators, timing."""

    input: dict[str, Any]
    classes: NotRequired[list[dict[str, Any]] | None]
    query: NotRequired[str]
    features: list[dict[str, Any]]
    thresholds: NotRequired[dict[str, Any]]
    semantic: NotRequired[dict[str, Any]]
    lang: NotRequired[str]
    prior_art: list[dict[str, Any]]
    combinations: NotRequired[list[dict[str, Any]]]
    distinguishing: NotRequired[list[Any]]
    indicators: NotRequired[dict[str, Any]]
    timing_ms: NotRequired[dict[str, Any]]
