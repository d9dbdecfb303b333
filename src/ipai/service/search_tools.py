"""Service use cases of the search results page beyond one ranked page: sorting the whole matched
set by publication date or citations, and facets with counts (``Service.search_tools``).

The *matched set* of a query is what a landscape is drawn over: the documents the keyword side
matches with Boolean semantics (every word carried, in any of its forms; with four or more words,
75 % of them) and the filters — :meth:`SearchEngine.match_ids`, best first. Sorting orders up to
``search_sort_max`` of them by a stored fact and pages through that order; facets count up to
``search_facet_max`` of them (applicant, year, country, class) and ask the index for the exact
count of each legal status and of each applicant shown (the count a click on it finds)."""

from __future__ import annotations

import threading
import time
from collections import Counter, OrderedDict
from typing import TYPE_CHECKING, Any

from ipai.errors import InputError
from ipai.service.context import Feature, ServiceContext
from ipai.service.filters import Filters, with_filters
from ipai.service.search import SearchService
from ipai.service.search_export import COLUMNS, Export, export_rows
from ipai.service.status import StatusService

if TYPE_CHECKING:
    from ipai.service.sorted_results import SortedResults

SORTS = ("relevance", "date_desc", "date_asc", "citations")
FACET_VALUES = 10  # values shown per facet (years: FACET_YEARS)
FACET_YEARS = 15
_KEY_FIELDS = ("publication_date", "grant_date", "cited_by_count")


def check_sort(sort: str | None) -> str:
    """``sort`` checked (empty means relevance)."""
    if sort in (None, ""):
        return "relevance"
    if sort not in SORTS:
        raise InputError(
            f"sort must be one of {', '.join(SORTS)}", errors=[{"field": "sort", "message": "unknown"}]
        )
    return sort


def _ymd(v: str | None) -> int:
    return int(v[:10].replace("-", "")) if v and v[:4].isdigit() else 0


class SortKeys:
    """Publication date (YYYYMMDD, 0 unknown) and forward citations per document id, kept between
    requests (paging through a sorted set reads each document once) and dropped when the store changes."""

    def __init__(self, store: Any, max_entries: int) -> None:
        self.store = store
        self.max_entries = max_entries
        self._data: OrderedDict[str, tuple[int, int]] = OrderedDict()
        self._seq: int | None = None
        self._lock = threading.Lock()

    def get(self, ids: list[str]) -> dict[str, tuple[int, int]]:
        seq = self.store.max_seq()
        with self._lock:
            if seq != self._seq:
                self._data.clear()
                self._seq = seq
            have = {i: self._data[i] for i in ids if i in self._data}
        missing = [i for i in ids if i not in have]
        if missing:
            for i, f in self.store.get_fields(missing, _KEY_FIELDS).items():
                have[i] = (
                    _ymd(f.get("publication_date") or f.get("grant_date")),
                    int(f.get("cited_by_count") or 0),
                )
            with self._lock:
                for i in missing:
                    if i in have:
                        self._data[i] = have[i]
                while len(self._data) > self.max_entries:
                    self._data.popitem(last=False)
        return have


def order_ids(ids: list[str], keys: dict[str, tuple[int, int]], sort: str) -> list[str]:
    """``ids`` (best first) in the order ``sort`` asks for; ties keep their relevance order and
    documents without a date go last in both date orders."""
    if sort == "date_desc":
        return sorted(ids, key=lambda i: -keys.get(i, (0, 0))[0])
    if sort == "date_asc":
        return sorted(ids, key=lambda i: (keys.get(i, (0, 0))[0] == 0, keys.get(i, (0, 0))[0]))
    if sort == "citations":
        return sorted(ids, key=lambda i: -keys.get(i, (0, 0))[1])
    return list(ids)


class SearchToolsService(Feature):
    """Sorted result pages and facets."""

    def __init__(self, ctx: ServiceContext, status: StatusService, searching: SearchService) -> None:
        super().__init__(ctx)
        self.status = status
        self.searching = searching
        self._sort_keys: SortKeys | None = None

    @property
    def sort_keys(self) -> SortKeys:
        """Sort keys per document, kept between calls."""
        if self._sort_keys is None or self._sort_keys.store is not self.store:
            self._sort_keys = SortKeys(self.store, max(2 * self.settings.search_sort_max, 10_000))
        return self._sort_keys

    def query_node(
        self, query: str, filters: Filters | dict[str, Any] | None = None, today: Any = None
    ) -> Any:
        """The parsed query with the filters added and ``status:``/``family:`` clauses resolved."""
        from ipai.search.query.parser import parse_query

        if not query or not query.strip():
            raise InputError("empty query", errors=[{"field": "q", "message": "empty"}])
        node = parse_query(query)
        flt = filters if isinstance(filters, Filters) else Filters.from_mapping(filters or {})
        if not flt.is_empty():
            node = with_filters(node, flt)
        return self.status.resolve_query(node, today)

    def _count(self, node: Any, extra: Filters, cross_lingual: bool, today: Any) -> int:
        """Documents of the matched set of ``node`` that also satisfy ``extra`` (the drill-down's count)."""
        probe = self.status.resolve_query(with_filters(node, extra), today)
        return int(self.search_engine.match_ids(probe, limit=1, cross_lingual=cross_lingual)[1])

    # ---- sorting ---------------------------------------------------------------------------------
    def search_sorted(
        self,
        query: str,
        *,
        sort: str | None = "relevance",
        top: int = 10,
        offset: int = 0,
        mode: str = "hybrid",
        cross_lingual: bool = True,
        filters: Filters | dict[str, Any] | None = None,
        collapse: str | None = None,
        today: Any = None,
    ) -> SortedResults:
        """A page of results in the order ``sort`` asks for: ``relevance`` is :meth:`search`;
        ``date_desc``/``date_asc`` (publication date) and ``citations`` (forward citations as stored,
        most first) order the whole matched set (up to ``search_sort_max`` documents, best first) and
        page through it. The results carry ``sort`` and ``sorted`` (how many documents were ordered)."""
        from ipai.search.results import Results, make_hit
        from ipai.service.sorted_results import SortedResults
        from ipai.service.status import COLLAPSE_DEPTH, check_collapse

        sort = check_sort(sort)
        if sort == "relevance":
            res = self.searching.search(
                query,
                top=top,
                offset=offset,
                mode=mode,
                cross_lingual=cross_lingual,
                filters=filters,
                collapse=collapse,
                today=today,
            )
            return SortedResults.of(res, sort, None)
        if not 1 <= top <= 1000:
            raise InputError(
                "top must be between 1 and 1000", errors=[{"field": "top", "message": "out of range"}]
            )
        if not 0 <= offset <= 10_000:
            raise InputError(
                "offset must be between 0 and 10000", errors=[{"field": "offset", "message": "out of range"}]
            )
        collapse = check_collapse(collapse)
        t0 = time.perf_counter()
        node = self.query_node(query, filters, today)
        ids, total = self.search_engine.match_ids(
            node, limit=self.settings.search_sort_max, cross_lingual=cross_lingual
        )
        order = order_ids(ids, self.sort_keys.get(ids), sort)
        meta = self.search_engine.search_node(
            node, top=1, mode="keyword", cross_lingual=cross_lingual, fetch=False, count=False
        )
        terms = list(dict.fromkeys(f["text"] for c in meta.concepts for f in c["forms"] if f["documents"]))
        depth = min(len(order), (offset + top) * COLLAPSE_DEPTH) if collapse else 0
        page = order[:depth] if collapse else order[offset : offset + top]
        res = Results(
            query=query,
            mode=mode,
            hits=[],
            total_keyword=total,
            took_ms=0.0,
            lang=meta.lang,
            cross_lingual=cross_lingual,
            total=total,
            concepts=meta.concepts,
            missing=meta.missing,
        )
        if collapse:
            from ipai.search.results import Hit

            res.hits = [Hit(id=i, rank=n, score=0.0) for n, i in enumerate(page, 1)]
            self.status.collapse_hits(res, top=top, offset=offset, today=today)
            families = {h.id: (h.rank, h.family) for h in res.hits}
            page = list(families)
        docs = self.store.get_documents(page)
        res.hits = [make_hit(docs[i], n, 0.0, {}, terms) for n, i in enumerate(page, offset + 1) if i in docs]
        if collapse:
            for h in res.hits:
                h.rank, h.family = families[h.id]
        self.status.annotate_hits(res, today)
        if offset == 0 and not res.hits:
            flt = filters if isinstance(filters, Filters) else Filters.from_mapping(filters or {})
            res.suggestions = self.searching.nothing_found(query, res, flt, "keyword", cross_lingual)
        res.took_ms = round((time.perf_counter() - t0) * 1000, 2)
        return SortedResults.of(res, sort, len(order))

    # ---- export ---------------------------------------------------------------------------------
    def export_results(
        self,
        query: str | None = None,
        *,
        ids: list[str] | None = None,
        filters: Filters | dict[str, Any] | None = None,
        sort: str | None = "relevance",
        cross_lingual: bool = True,
        today: Any = None,
        lang: str = "en",
        base_url: str = "",
        limit: int | None = None,
    ) -> Export:
        """The rows of a result set: the documents ``ids`` names (the selection, in its order; unknown
        ids are skipped) or else the matched set of ``query`` in the order of ``sort``; at most
        ``limit`` (default and ceiling: the setting ``search_export_max``) rows. ``base_url``
        prefixes the link column (``https://host/root``)."""
        lang = lang if lang in ("en", "zh") else "en"
        cap = self.settings.search_export_max
        if limit is not None and not 1 <= limit <= cap:
            raise InputError(
                f"limit must be between 1 and {cap} (setting search_export_max)",
                errors=[{"field": "limit", "message": "out of range"}],
            )
        cap = limit or cap
        if ids is not None:
            wanted = list(dict.fromkeys(i.strip() for i in ids if i and i.strip()))
            if not wanted:
                raise InputError("no document selected", errors=[{"field": "ids", "message": "empty"}])
            if len(wanted) > cap:
                raise InputError(
                    f"at most {cap} documents can be exported (setting search_export_max)",
                    errors=[{"field": "ids", "message": "too many"}],
                )
            have = self.store.existing_ids(wanted)
            chosen, matched = [i for i in wanted if i in have], len(wanted)
        else:
            sort = check_sort(sort)
            node = self.query_node(query or "", filters, today)
            depth = cap if sort == "relevance" else max(cap, self.settings.search_sort_max)
            found, matched = self.search_engine.match_ids(node, limit=depth, cross_lingual=cross_lingual)
            if sort != "relevance":
                found = order_ids(found, self.sort_keys.get(found), sort)
            chosen = found[:cap]
        cols = [c for c, _ in COLUMNS]
        return Export(
            columns=cols,
            headers=[h[lang] for _, h in COLUMNS],
            count=len(chosen),
            matched=matched,
            rows=export_rows(self.store, self.status, chosen, lang, base_url.rstrip("/"), today),
        )

    # ---- facets ----------------------------------------------------------------------------------
    def search_facets(
        self,
        query: str,
        *,
        filters: Filters | dict[str, Any] | None = None,
        cross_lingual: bool = True,
        today: Any = None,
        top: int = FACET_VALUES,
    ) -> dict[str, Any]:
        """Counts of the matched set by applicant (entity-resolved names), publication year,
        jurisdiction, CPC/IPC subclass and legal status; each value carries the filter that drills
        down to it (``filter``: a mapping of search filters). Year, country and class are counted
        over the first ``search_facet_max`` matched documents (``capped`` says when there are more);
        each applicant shown and each status is counted by the index over the whole set (the
        number a click on it finds)."""
        from ipai.service.analytics import _entity_resolver
        from ipai.status import LABELS, STATUSES

        t0 = time.perf_counter()
        flt = filters if isinstance(filters, Filters) else Filters.from_mapping(filters or {})
        node = self.query_node(query, flt, today)
        cap = self.settings.search_facet_max
        ids, total = self.search_engine.match_ids(node, limit=cap, cross_lingual=cross_lingual)
        facts = self.ctx.facts_cache.get(ids) if ids else []
        years = Counter(f.pub_year for f in facts if f.pub_year)
        countries = Counter(f.country for f in facts if f.country)
        classes = Counter(c for f in facts for c in f.subclasses)
        out: dict[str, Any] = {
            "query": query,
            "filters": {k: v for k, v in vars(flt).items() if v not in (None, "")},
            "matched": total,
            "counted": len(facts),
            "capped": total > len(facts),
            "facets": {},
        }
        fac = out["facets"]
        fac["applicant"] = self._applicant_facet(node, facts, top, cross_lingual, today, _entity_resolver())
        fac["year"] = [
            {"value": str(y), "count": n, "filter": {"year_from": y, "year_to": y}}
            for y, n in sorted(years.most_common(FACET_YEARS), reverse=True)
        ]
        fac["country"] = [
            {"value": c, "count": n, "filter": {"cc": c}} for c, n in countries.most_common(top)
        ]
        fac["cls"] = [{"value": c, "count": n, "filter": {"cls": c}} for c, n in classes.most_common(top)]
        status: list[dict[str, Any]] = []
        if total:
            for s in STATUSES:
                n = self._count(node, Filters(status=s), cross_lingual, today)
                if n:
                    status.append({"value": s, "count": n, "label": LABELS[s], "filter": {"status": s}})
        fac["status"] = sorted(status, key=lambda x: -x["count"])
        out["took_ms"] = round((time.perf_counter() - t0) * 1000, 2)
        return out

    def _applicant_facet(
        self, node: Any, facts: list[Any], top: int, cross_lingual: bool, today: Any, resolve: Any
    ) -> list[dict[str, Any]]:
        """The most frequent applicants of the counted documents (name variants merged into one
        entity when the resolver is there), each counted exactly by the index as ``pa:"name"``."""
        names = [a for f in facts for a in f.applicants]
        if not names:
            return []
        label = resolve(names) if resolve else {n: n for n in names}
        per_doc = Counter(x for f in facts for x in {label.get(a, a) for a in f.applicants})
        out = []
        for name, _ in per_doc.most_common(top):
            value = name.replace('"', " ").strip()
            n = self._count(node, Filters(applicant=value), cross_lingual, today) if value else 0
            if n:
                out.append({"value": value, "count": n, "filter": {"applicant": value}})
        return sorted(out, key=lambda x: -x["count"])
