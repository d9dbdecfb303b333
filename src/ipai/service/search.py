"""The search use cases every face shows: a ranked page of results for an examiner query (with
filters, legal status and family collapse), what to try when nothing was found, documents like a
stored one and associated terms. ``Service.search``, ``Service.similar`` and ``Service.expand``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ipai.errors import InputError
from ipai.service.context import Feature, ServiceContext
from ipai.service.filters import Filters, with_filters
from ipai.service.status import COLLAPSE_DEPTH, StatusService, check_collapse

if TYPE_CHECKING:
    from ipai.search.expand import Suggestion
    from ipai.search.results import Results


class SearchService(Feature):
    """Ranked search over the index, with legal status and families from :class:`StatusService`."""

    def __init__(self, ctx: ServiceContext, status: StatusService) -> None:
        super().__init__(ctx)
        self.status = status

    def search(
        self,
        query: str,
        *,
        top: int = 10,
        offset: int = 0,
        mode: str = "hybrid",
        cross_lingual: bool = True,
        filters: Filters | dict[str, Any] | None = None,
        collapse: str | None = None,
        today: Any = None,
    ) -> Results:
        """Hybrid search with the examiner syntax (see docs/search.md); ``filters`` (jurisdiction,
        years, class, applicant, language, type, status) are added as query clauses; hits carry
        their legal status on ``today`` (``status:`` clauses use it too); ``collapse="family"``
        gives one row per family with its members."""
        import time

        from ipai.search.query.parser import parse_query

        if not query or not query.strip():
            raise InputError("empty query", errors=[{"field": "q", "message": "empty"}], code="empty_query")
        if not 1 <= top <= 1000:
            raise InputError(
                "top must be between 1 and 1000",
                errors=[{"field": "top", "message": "out of range"}],
                code="range",
                params={"lo": 1, "hi": 1000},
            )
        if not 0 <= offset <= 10_000:
            raise InputError(
                "offset must be between 0 and 10000",
                errors=[{"field": "offset", "message": "out of range"}],
                code="range",
                params={"lo": 0, "hi": 10000},
            )
        t0 = time.perf_counter()
        node = parse_query(query)
        flt = filters if isinstance(filters, Filters) else Filters.from_mapping(filters or {})
        if not flt.is_empty():
            node = with_filters(node, flt)
        node = self.status.resolve_query(node, today)
        collapse = check_collapse(collapse)
        depth = min(1000, (offset + top) * COLLAPSE_DEPTH) if collapse else top
        res = self.search_engine.search_node(
            node, top=depth, offset=0 if collapse else offset, mode=mode, cross_lingual=cross_lingual
        )
        self.status.annotate_hits(res, today)
        if collapse:
            self.status.collapse_hits(res, top=top, offset=offset, today=today)
        res.query = query
        if offset == 0 and (not res.hits or res.missing):
            res.suggestions = self.nothing_found(
                query, res, flt, mode, cross_lingual, spelling_only=bool(res.hits)
            )
        res.took_ms = round((time.perf_counter() - t0) * 1000, 2)
        return res

    def nothing_found(
        self,
        query: str,
        res: Results,
        flt: Filters,
        mode: str,
        cross_lingual: bool,
        spelling_only: bool = False,
    ) -> dict[str, Any]:
        """What to try when a search found nothing (or some of its words are in no document):
        spellings of the words no document has (and the query with them); when nothing was
        found, also the query without each filter that is set (with its count) and the forms of
        the query's concepts in other languages."""
        from dataclasses import fields as dc_fields

        from ipai.search.didyoumean import spellings
        from ipai.search.query.parser import parse_query

        out: dict[str, Any] = {"spelling": [], "query": None, "without_filter": [], "terms": []}
        fixed = query
        for word in res.missing:
            alts = spellings(self.search_engine.encoder, word)
            if alts:
                out["spelling"].append({"word": word, "alternatives": alts})
                fixed = fixed.replace(word, alts[0], 1)
        if fixed != query:
            out["query"] = fixed
        if spelling_only:
            return out
        set_filters = [f.name for f in dc_fields(flt) if getattr(flt, f.name) not in (None, "")]
        if set_filters:
            node = parse_query(query)
            options = [[n] for n in set_filters] + ([set_filters] if len(set_filters) > 1 else [])
            for drop in options:
                kept = Filters(**{f: getattr(flt, f) for f in set_filters if f not in drop})
                probe = with_filters(node, kept) if not kept.is_empty() else node
                r = self.search_engine.search_node(
                    probe, top=1, mode=mode, cross_lingual=cross_lingual, fetch=False
                )
                if r.hits:
                    out["without_filter"].append({"drop": drop, "total": r.total})
        out["terms"] = [
            {"for": c["text"], "term": f["text"], "lang": f["lang"], "documents": f["documents"]}
            for c in res.concepts
            for f in c["forms"]
            if f["source"] != "query" and f["documents"]
        ][:6]
        return out

    def similar(self, number: str, *, top: int = 10, mode: str = "hybrid") -> Results:
        """Documents like a stored one."""
        doc = self.ctx.resolve(number)
        return self.search_engine.similar(doc.id, top=top, mode=mode)

    def expand(self, term: str, *, top: int = 20) -> list[Suggestion]:
        """Associated terms for a query term."""
        from ipai.search.expand import suggest

        if not term or not term.strip():
            raise InputError("empty term")
        self.search_engine.ensure_fresh()
        return suggest(self.search_engine, term.strip(), top)
