"""Service use cases of saved searches, search history and "monitor this search" (一键监控)
(``Service.searches``).

A saved search or history entry is a query with the search form's parameters (filters, mode,
sort, cross-lingual, family collapse). Each belongs to one owner:

- a signed-in user (session or API key): ``user:<name>`` — the same list in every browser;
- the laptop's local user (no sign-in configured): ``local``;
- an anonymous visitor of a server: ``visitor:<id>``, the random id the web UI keeps in a cookie
  (without one a visitor keeps nothing).

Nobody reads or deletes another owner's rows, whatever their role."""

from __future__ import annotations

import re
from typing import Any

from ipai.errors import InputError, NotFound
from ipai.security.context import current
from ipai.service.context import Feature, ServiceContext
from ipai.service.filters import Filters
from ipai.service.monitor import MonitorService

PARAMS = (
    "cc",
    "lang",
    "year_from",
    "year_to",
    "cls",
    "applicant",
    "doc_type",
    "status",
    "mode",
    "sort",
    "cross_lingual",
    "collapse",
)
MAX_NAME = 200
MAX_QUERY = 20_000
_VISITOR = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def search_owner(visitor: str | None = None) -> str | None:
    """Whose saved searches and history a call reads and writes (see the module docstring);
    None for an anonymous caller without a (well-formed) visitor id."""
    p = current()
    if p.via == "anonymous":
        return f"visitor:{visitor}" if visitor and _VISITOR.match(visitor) else None
    if p.via == "local":
        return "local"
    return f"user:{p.user}"


def clean_params(params: dict[str, Any] | None) -> dict[str, Any]:
    """The known search parameters that are set (filters checked as a search would check them)."""
    from ipai.service.search_tools import check_sort
    from ipai.service.status import check_collapse

    raw = {k: v for k, v in (params or {}).items() if k in PARAMS and v not in (None, "")}
    flt = Filters.from_mapping({k: raw[k] for k in raw if k in Filters.__dataclass_fields__})
    flt.clauses()  # a bad filter is an InputError naming it
    out: dict[str, Any] = {k: v for k, v in vars(flt).items() if v not in (None, "")}
    if raw.get("mode") not in (None, "hybrid"):
        if raw["mode"] not in ("keyword", "semantic"):
            raise InputError(
                "mode must be hybrid, keyword or semantic", errors=[{"field": "mode", "message": "unknown"}]
            )
        out["mode"] = raw["mode"]
    sort = check_sort(raw.get("sort"))
    if sort != "relevance":
        out["sort"] = sort
    if raw.get("cross_lingual") in (False, "false", "0", 0):
        out["cross_lingual"] = False
    if check_collapse(raw.get("collapse")):
        out["collapse"] = "family"
    return out


class SearchesService(Feature):
    """Saved searches, history and monitoring a search."""

    def __init__(self, ctx: ServiceContext, monitor: MonitorService) -> None:
        super().__init__(ctx)
        self.monitor = monitor

    def _owner(self, visitor: str | None) -> str:
        owner = search_owner(visitor)
        if owner is None:
            raise InputError(
                "saved searches need an account or the web page's visitor cookie",
                errors=[{"field": "visitor", "message": "missing"}],
            )
        return owner

    def save_search(
        self,
        query: str,
        name: str | None = None,
        params: dict[str, Any] | None = None,
        *,
        visitor: str | None = None,
        total: int | None = None,
    ) -> dict[str, Any]:
        """Save a search under a name (default: the query); returns the saved row."""
        query = _query(query)
        name = " ".join((name or "").split())[:MAX_NAME] or query[:MAX_NAME]
        owner = self._owner(visitor)
        sid = self.store.add_search(owner, "saved", query, clean_params(params), name=name, total=total)
        return self.saved_search(sid, visitor=visitor)

    def record_search(
        self,
        query: str,
        params: dict[str, Any] | None = None,
        *,
        visitor: str | None = None,
        total: int | None = None,
    ) -> int | None:
        """Add a search that was run to its owner's history (the same search again moves to the top);
        None when nobody owns it or history is off (``search_history_keep`` = 0)."""
        owner = search_owner(visitor)
        keep = self.settings.search_history_keep
        if owner is None or keep <= 0 or not query or not query.strip() or len(query) > MAX_QUERY:
            return None
        return int(
            self.store.add_search(
                owner, "history", query.strip(), clean_params(params), total=total, keep=keep
            )
        )

    def saved_searches(self, *, visitor: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
        """The caller's saved searches, newest first ([] for an anonymous caller without a visitor id)."""
        owner = search_owner(visitor)
        return self.store.list_searches(owner, "saved", limit=_limit(limit)) if owner else []

    def search_history(self, *, visitor: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
        """The caller's most recently run searches first."""
        owner = search_owner(visitor)
        return self.store.list_searches(owner, "history", limit=_limit(limit)) if owner else []

    def saved_search(self, search_id: int, *, visitor: str | None = None) -> dict[str, Any]:
        """One of the caller's saved searches or history entries; :class:`NotFound` otherwise."""
        owner = search_owner(visitor)
        row = self.store.get_search(owner, int(search_id)) if owner else None
        if row is None:
            raise NotFound(f"no saved search #{search_id}")
        return row

    def delete_saved_search(self, search_id: int, *, visitor: str | None = None) -> None:
        """Delete one of the caller's saved searches (or history entries)."""
        owner = search_owner(visitor)
        if not owner or not self.store.delete_searches(owner, search_id=int(search_id)):
            raise NotFound(f"no saved search #{search_id}")

    def clear_search_history(self, *, visitor: str | None = None) -> int:
        """Forget the caller's search history; how many entries went."""
        owner = search_owner(visitor)
        return self.store.delete_searches(owner, kind="history") if owner else 0

    def monitor_search(
        self,
        query: str,
        params: dict[str, Any] | None = None,
        *,
        name: str | None = None,
        severity: str | None = None,
    ) -> dict[str, Any]:
        """一键监控: a ``query`` watchlist for the query with its filters as clauses (it alerts on
        newly ingested documents the search would find); returns the watchlist."""
        query = _query(query)
        p = clean_params(params)
        flt = Filters(**{k: p[k] for k in p if k in Filters.__dataclass_fields__})
        clauses = flt.clauses()
        terms = f"({query}) {clauses}" if clauses else query
        title = " ".join((name or "").split())[:MAX_NAME] or _watch_name(query, clauses)
        values: dict[str, Any] = {"name": title, "kind": "query", "terms": terms}
        if severity:
            values["severity"] = severity
        return self.monitor.add_watch(values)


def _query(query: str | None) -> str:
    q = (query or "").strip()
    if not q:
        raise InputError("empty query", errors=[{"field": "q", "message": "empty"}])
    if len(q) > MAX_QUERY:
        raise InputError(
            f"query over {MAX_QUERY:,} characters", errors=[{"field": "q", "message": "too long"}]
        )
    return q


def _limit(limit: int) -> int:
    if not 1 <= limit <= 500:
        raise InputError("limit must be 1–500", errors=[{"field": "limit", "message": "out of range"}])
    return limit


def _watch_name(query: str, clauses: str) -> str:
    text = f"{query} {clauses}".strip()
    return text if len(text) <= 120 else text[:119] + "…"
