"""Running evaluation queries through the service and opening the result documents."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ipai.errors import InputError
from ipai.model import PatentDocument
from ipai.settings import Settings

MODES = ("hybrid", "keyword", "semantic")


@dataclass
class Ranking:
    """The results of one query: hits, their stored documents, the reported total, any refusal."""

    hits: list[Any] = field(default_factory=list)
    docs: dict[str, PatentDocument] = field(default_factory=dict)
    total: int = 0
    error: str | None = None

    @property
    def ids(self) -> list[str]:
        """Result ids in rank order."""
        return [h.id for h in self.hits]

    def doc(self, hit: Any) -> PatentDocument | None:
        """The stored document of a hit (``None`` if the store does not have it)."""
        return self.docs.get(hit.id)


def reported_total(res: Any) -> int:
    """Documents the engine reports as matching: ``total`` when it has one, else ``total_keyword``."""
    total = getattr(res, "total", None)
    if total is None:
        total = getattr(res, "total_keyword", 0)
    return int(total or 0)


def run_query(
    svc: Any,
    query: str,
    *,
    top: int,
    mode: str = "hybrid",
    filters: dict[str, Any] | None = None,
    fetch: bool = True,
) -> Ranking:
    """One search through the service; a refused query (input error) is an empty ranking with the message."""
    try:
        res = svc.search(query, top=top, mode=mode, filters=filters or None)
    except InputError as exc:
        return Ranking(error=exc.message)
    hits = list(res.hits)[:top]
    docs = svc.store.get_documents([h.id for h in hits]) if fetch and hits else {}
    return Ranking(hits=hits, docs=docs, total=reported_total(res))


def check_mode(mode: str) -> str:
    """``mode`` if it is a search mode, else an input error."""
    if mode not in MODES:
        raise InputError(f"unknown search mode {mode!r}: use {', '.join(MODES)}")
    return mode


def open_service(settings: Settings) -> Any:
    """A Service on the evaluated home; an input error when that home has no documents."""
    from ipai.service import Service

    if not settings.store and not Path(settings.home).is_dir():
        raise InputError(f"no store at {settings.home}: ingest and index documents first (or pass --home)")
    svc = Service(settings)
    if svc.store.count_documents() == 0:
        svc.close()
        raise InputError(
            f"the store at {settings.home} has no documents: ingest and index first (or pass --home)"
        )
    return svc


def check_filters(rows: list[Any]) -> None:
    """Raise an input error naming the line of the first query whose filters the service refuses."""
    from ipai.service.filters import Filters

    for row in rows:
        try:
            Filters.from_mapping(row.filters).clauses()
        except InputError as exc:
            raise InputError(f"{row.where()}: {exc.message}") from exc


def count_relevant(
    docs: Any, filters: list[dict[str, Any]], text: Any, patterns: list[list[Any]]
) -> list[int]:
    """Per query, the documents satisfying its filters whose ``text(doc)`` matches all its patterns."""
    from ipai.evals.judge import violations

    counts = [0] * len(filters)
    for doc in docs:
        body = text(doc)
        for i, (flt, pats) in enumerate(zip(filters, patterns, strict=True)):
            if all(p.search(body) for p in pats) and not violations(doc, flt):
                counts[i] += 1
    return counts
