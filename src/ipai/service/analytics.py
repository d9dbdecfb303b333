"""Service use cases of the "use" scenarios: landscapes, hotspots and forecasts, company portraits."""

from __future__ import annotations

from typing import Any

from ipai.errors import InputError, NotFound
from ipai.service.context import Feature, ServiceContext
from ipai.service.filters import Filters, with_filters
from ipai.service.memo import kept
from ipai.service.status import StatusService


class AnalyticsService(Feature):
    """Analytics over the documents a query matches."""

    def __init__(self, ctx: ServiceContext, status: StatusService) -> None:
        super().__init__(ctx)
        self.status = status

    # ---- analytics -----------------------------------------------------------------------------
    def landscape(
        self,
        query: str,
        *,
        filters: dict[str, Any] | None = None,
        limit: int = 25_000,
        top: int = 20,
        cross_lingual: bool = True,
        trends: bool = True,
        home: str = "CN",
        count: str = "documents",
        today: Any = None,
    ) -> dict[str, Any]:
        """Landscape of the documents a query matches (keyword side, best ``limit`` first):
        counts by year, jurisdiction, class, applicant, inventor; applicant × class; co-applicants.
        ``count="families"`` counts families (同族) instead of publications; ``status:`` clauses of
        the query are taken on ``today``. Kept until the data changes (:mod:`ipai.service.memo`)."""
        import datetime as dt

        if not query or not query.strip():
            raise InputError("empty query", errors=[{"field": "q", "message": "empty"}], code="empty_query")
        if not 1 <= limit <= 200_000:
            raise InputError(
                "limit must be between 1 and 200000",
                errors=[{"field": "limit", "message": "out of range"}],
                code="range",
                params={"lo": 1, "hi": 200000},
            )
        if count not in ("documents", "families"):
            raise InputError(
                "count must be documents or families", errors=[{"field": "count", "message": "unknown"}]
            )
        # kept until the data (or the day: status clauses, the last complete year) changes
        key = (
            "landscape",
            query,
            tuple(sorted((str(k), repr(v)) for k, v in (filters or {}).items())),
            limit,
            top,
            cross_lingual,
            trends,
            home,
            count,
            str(today or dt.date.today()),
        )

        def compute() -> dict[str, Any]:  # with fewer garbage collections (ipai.analytics.gcpause)
            from ipai.analytics.gcpause import fewer_collections

            with fewer_collections():
                return self._landscape(query, filters, limit, top, cross_lingual, trends, home, count, today)

        return kept(self.ctx, key, compute, index=True)

    def _landscape(
        self,
        query: str,
        filters: dict[str, Any] | None,
        limit: int,
        top: int,
        cross_lingual: bool,
        trends: bool,
        home: str,
        count: str,
        today: Any,
    ) -> dict[str, Any]:
        import time

        from ipai.analytics.landscape import landscape
        from ipai.search.query.parser import parse_query

        t0 = time.perf_counter()
        node = parse_query(query)
        flt = Filters.from_mapping(filters or {})
        if not flt.is_empty():
            node = with_filters(node, flt)
        node = self.status.resolve_query(node, today)
        ids, total = self.search_engine.match_ids(node, limit=limit, cross_lingual=cross_lingual)
        t1 = time.perf_counter()
        facts = self.ctx.facts_cache.get(ids)
        extra = self._family_extra(ids) if count == "families" else None
        t2 = time.perf_counter()
        out = landscape(facts, top=top, resolve=_entity_resolver(), count=count, family_tokens=extra)
        if trends:
            import datetime as dt
            from collections import Counter

            from ipai.analytics.landscape import hotspots
            from ipai.analytics.trends.series import last_complete_year

            # the data's cut-off: the newest publication year still carrying ≥ 5 % of the peak year
            pubs = Counter(f.pub_year for f in facts if f.pub_year)
            peak = max(pubs.values(), default=0)
            newest = max((y for y, n in pubs.items() if n >= 0.05 * peak), default=dt.date.today().year)
            # filings reach the data ~18 months after filing: later years are incomplete
            last = last_complete_year(dt.date(newest, 12, 31), 18)
            out["hotspots"] = hotspots(facts, last_year=last)
            from ipai.analytics.whitespace import whitespace

            out["whitespace"] = whitespace(facts, last_year=last, home=home)
        t3 = time.perf_counter()
        return {
            "query": query,
            "filters": flt.clauses(),
            "matched": total,
            "analysed": len(facts),
            "truncated": total > len(facts),
            **out,
            "timing_ms": {
                "match": round((t1 - t0) * 1000, 1),
                "read": round((t2 - t1) * 1000, 1),
                "aggregate": round((t3 - t2) * 1000, 1),
                "total": round((t3 - t0) * 1000, 1),
            },
        }

    def _family_extra(self, ids: list[str]) -> dict[str, list[str]]:
        """Family tokens the landscape facts do not carry: each document's own application and the
        members its source lists (from the store's facts table; only when families are counted)."""
        from ipai.service.facts import read_family_extra

        self.ctx.facts_cache.sync()
        return read_family_extra(self.store, ids)

    def facts(self, query: str, limit: int) -> list[Any]:
        from ipai.search.query.parser import parse_query

        node = self.status.resolve_query(parse_query(query))  # status:/family: clauses
        ids, _ = self.search_engine.match_ids(node, limit=limit)
        return self.ctx.facts_cache.get(ids)

    def topics(self, query: str, *, limit: int = 5_000, k: int | None = None) -> dict[str, Any]:
        """Topic map of the documents a query matches (see ipai.analytics.topics); kept until the
        store or the index changes (ipai.service.memo)."""
        if not query or not query.strip():
            raise InputError("empty query", errors=[{"field": "q", "message": "empty"}], code="empty_query")
        return kept(self.ctx, ("topics", query, limit, k), lambda: self._topics(query, limit, k), index=True)

    def _topics(self, query: str, limit: int, k: int | None) -> dict[str, Any]:
        """The topic map, computed (seconds on thousands of documents: :meth:`topics` keeps it)."""
        from ipai.analytics.topics import topic_map, translate_terms
        from ipai.search.query.parser import parse_query

        ids, total = self.search_engine.match_ids(parse_query(query), limit=limit)
        ids, vecs = self.search_engine.doc_vectors(ids)
        rows = self.store.get_fields(
            ids, ("titles", "abstracts", "filing_date", "priority_date", "publication_date")
        )
        texts = {
            i: " ".join([*(r.get("titles") or {}).values(), *(r.get("abstracts") or {}).values()])
            for i, r in rows.items()
        }
        years = {
            i: next(
                (int(r[k][:4]) for k in ("priority_date", "filing_date", "publication_date") if r.get(k)),
                None,
            )
            for i, r in rows.items()
        }
        out = {"query": query, "matched": total, **topic_map(ids, vecs, texts, years, k=k)}
        translate_terms(
            out["topics"], self.search_engine.planner.builder.concepts
        )  # labels in either language
        return out

    def evolution(
        self, query: str, *, limit: int = 5_000, topics: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """Citation main path of the documents a query matches; with too few citations inside the
        set, a topic timeline instead (see ipai.analytics.evolution)."""
        from ipai.analytics.evolution import citation_edges, main_path
        from ipai.search.query.parser import parse_query

        if not query or not query.strip():
            raise InputError("empty query", errors=[{"field": "q", "message": "empty"}], code="empty_query")
        ids, total = self.search_engine.match_ids(parse_query(query), limit=limit)
        rows = self.store.get_fields(
            ids, ("pubno", "citations", "priority_date", "filing_date", "publication_date", "titles")
        )
        for r in rows.values():
            r["year"] = next(
                (int(r[k][:4]) for k in ("priority_date", "filing_date", "publication_date") if r.get(k)),
                None,
            )
        edges = citation_edges(rows)
        if len(edges) >= 10:
            mp = main_path(list(rows), edges)
            path = [
                {
                    "id": i,
                    "year": rows[i]["year"],
                    "title": next(iter((rows[i].get("titles") or {}).values()), ""),
                }
                for i in mp["path"]
            ]
            return {
                "query": query,
                "matched": total,
                "method": "citation main path (SPC)",
                "citations": len(edges),
                "main_path": path,
                "top_edges": mp["spc"],
            }
        t = topics or self.topics(query, limit=limit)
        timeline = [
            {
                "topic": tp["label_en"] or tp["label_zh"],
                "label_zh": tp["label_zh"],
                "by_year": tp["by_year"],
                "first_year": min(tp["by_year"], default=None),
                "size": tp["size"],
                "terms": tp.get("terms"),
                "translated": tp.get("translated"),
            }
            for tp in t["topics"]
        ]
        timeline.sort(key=lambda x: x["first_year"] or 9999)
        return {
            "query": query,
            "matched": total,
            "method": f"topic timeline (too few citations inside the set: {len(edges)})",
            "citations": len(edges),
            "timeline": timeline,
        }

    def landscape_report(self, query: str, *, limit: int = 25_000, top: int = 20) -> dict[str, Any]:
        """Everything the landscape report shows: the landscape (with hotspots, forecast, white
        space), the topic map, the technology evolution and the talent ranking; kept until the data
        changes (:mod:`ipai.service.memo`: the report shown again, or in the other language, is not
        computed again)."""
        import datetime as dt
        import time

        def compute() -> dict[str, Any]:
            t0 = time.perf_counter()
            out = self.landscape(query, limit=limit, top=top)
            out["topics"] = self.topics(query)
            out["evolution"] = self.evolution(query, topics=out["topics"])
            out["talent"] = self.talent(query, top=top)
            out["timing_ms"]["report_total"] = round((time.perf_counter() - t0) * 1000, 1)
            return out

        return kept(
            self.ctx, ("landscape_report", query, limit, top, str(dt.date.today())), compute, index=True
        )

    def talent(self, query: str, *, limit: int = 2_000, top: int = 20) -> dict[str, Any]:
        """Inventors ranked for a technical demand (relevance, recency, impact) with their
        co-inventor network (see ipai.analytics.talent)."""
        from ipai.analytics.talent import rank_inventors

        if not query or not query.strip():
            raise InputError("empty query", errors=[{"field": "q", "message": "empty"}], code="empty_query")
        facts = self.facts(query, limit)
        return {"query": query, "documents": len(facts), **rank_inventors(facts, top=top)}

    def _company_docs(self, name: str, spellings: list[str] | None = None) -> tuple[list[Any], str, set[str]]:
        """The documents of the applicant entity ``name`` belongs to (all its spellings, resolved
        by ipai.analytics.entities, or the ``spellings`` given), its label and its spellings."""
        from ipai.analytics.entities.parties import org_labels

        if spellings:  # an entity found by find_applicant: its spellings in either script
            given = {s for s in spellings if s.strip()}
            found = self.facts(" OR ".join('pa:"{}"'.format(s.replace('"', " ")) for s in given), 100_000)
            return [f for f in found if given & set(f.applicants)], name, given
        cands = self.facts(_company_words(name), 100_000)
        names = [a for f in cands for a in f.applicants]
        labels = org_labels(names + [name])
        target = labels[name]
        variants = {a for a in names if labels.get(a) == target}
        return [f for f in cands if variants & set(f.applicants)], target, variants

    def company(
        self, name: str, *, spellings: list[str] | None = None, peers_limit: int = 25_000, top: int = 10
    ) -> dict[str, Any]:
        """Enterprise portrait and innovation strength among peers (see ipai.analytics.company); the
        applicant's ``spellings`` when known (:meth:`find_applicant`), else those ``name`` resolves to.
        Kept until the data changes (:mod:`ipai.service.memo`)."""
        import datetime as dt

        key = ("company", name, tuple(sorted(spellings or ())), peers_limit, top, str(dt.date.today()))
        return kept(
            self.ctx,
            key,
            lambda: self._company(name, spellings=spellings, peers_limit=peers_limit, top=top),
            index=True,
        )

    def _company(
        self, name: str, *, spellings: list[str] | None = None, peers_limit: int = 25_000, top: int = 10
    ) -> dict[str, Any]:
        import datetime as dt
        import time
        from collections import Counter, defaultdict

        from ipai.analytics.company import portrait, strength
        from ipai.analytics.trends.series import last_complete_year

        name = (name or "").strip().replace('"', " ")
        if not name:
            raise InputError(
                "empty company name", errors=[{"field": "name", "message": "empty"}], code="empty_company"
            )
        t0 = time.perf_counter()
        docs, label, variants = self._company_docs(name, spellings)
        if not docs:
            raise NotFound(
                f"no documents with applicant {name!r} in the store",
                code="no_applicant_docs",
                params={"name": name},
            )
        pubs = Counter(f.pub_year for f in docs if f.pub_year)
        newest = max(
            (y for y, n in pubs.items() if n >= 0.05 * max(pubs.values())), default=dt.date.today().year
        )
        last = last_complete_year(dt.date(newest, 12, 31), 18)
        out = portrait(label, docs, top=top, own=variants)
        out["variants"] = sorted(variants)[:30]
        lead = [x["key"] for x in out["technology_mix"][:3]]
        peers: dict[str, list[Any]] = defaultdict(list)
        resolve = _entity_resolver()
        field_docs = self.facts(" OR ".join(f"cls:{s}*" for s in lead), peers_limit) if lead else []
        names = [a for f in field_docs for a in f.applicants]
        ent = resolve(names) if resolve else {n: n for n in names}
        own = {f.id for f in docs}
        for f in field_docs:
            if f.id in own:
                continue
            for a in {ent[a] for a in f.applicants}:
                peers[a].append(f)
        peers = {a: d for a, d in sorted(peers.items(), key=lambda kv: -len(kv[1]))[:50]}
        peers[label] = docs
        out["strength"] = strength(label, peers, last)
        out["field"] = {"subclasses": lead, "documents": len(field_docs), "last_complete_year": last}
        out["timing_ms"] = round((time.perf_counter() - t0) * 1000, 1)
        return out


def _company_words(name: str) -> str:
    """The applicant query of a company name: its distinctive words, in any order and form
    (``pa:(UNIV CALIFORNIA)`` also finds THE REGENTS OF THE UNIVERSITY OF CALIFORNIA)."""
    from ipai.analytics.entities.keys import GOVERNING_TOKENS, LEGAL_TOKENS
    from ipai.text.chinese import has_han
    from ipai.text.names import normalize_name

    if has_han(name):
        return f'pa:"{name}"'
    words = [w for w in normalize_name(name).split() if w not in LEGAL_TOKENS and w not in GOVERNING_TOKENS]
    words = [w for w in words if w.isalnum()] or normalize_name(name).split()
    return f"pa:({' '.join(words)})" if words else f'pa:"{name}"'


def _entity_resolver() -> Any:
    """Applicant/inventor entity resolution when ``ipai.analytics.entities`` provides it, else
    ``None`` (the landscape then merges names by their normal form)."""
    try:
        from ipai.analytics.entities import resolve_names
    except ImportError:
        return None
    return lambda names: resolve_names(names, "applicant")
