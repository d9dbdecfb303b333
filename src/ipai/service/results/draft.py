"""Results of patent drafting (``ipai.service.draft``; built by :mod:`ipai.draft.drafter`)."""

from __future__ import annotations

from typing import Any, NotRequired

from ipai.service.results.common import Num, Result


class Draft(Result):
    """``Service.draft``: title, sections, claims with checker findings, versions and the
    expert/agent transcript."""

    lang: str
    mode: str
    title: str
    sections: dict[str, Any]
    claims: list[str]
    subject: NotRequired[Any]
    features: NotRequired[list[dict[str, Any]]]
    components: NotRequired[list[Any]]
    effects: NotRequired[list[Any]]
    problems: NotRequired[list[Any]]
    distinguishing: NotRequired[list[Any]]
    prior_art: NotRequired[list[dict[str, Any]]]
    transcript: list[dict[str, Any]]
    versions: list[dict[str, Any]]
    fallback: NotRequired[str | None]
    check: dict[str, Any]
    seconds: Num
