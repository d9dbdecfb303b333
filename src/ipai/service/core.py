"""Service: one object per settings, owning the store; every front end goes through it.

:class:`Service` is a small facade. It owns the :class:`~ipai.service.context.ServiceContext`
(settings, store, search engine, background tasks, shared caches) and exposes one service per
feature as a typed attribute — ``svc.transfer.match_demand(…)``, ``svc.monitor.add_watch(…)``,
``svc.evidence.deposit_file(…)`` — besides the core document operations every face uses
(``resolve``, ``show``, ``search``, ``similar``, ``expand``, ``documents``, ``trademark``,
``existing``, ``health``, ``stats``)."""

from __future__ import annotations

from dataclasses import asdict
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ipai.errors import InputError, NotFound
from ipai.model import Trademark, dump_record
from ipai.service.context import Notice, ServiceContext

if TYPE_CHECKING:  # the features are imported when first used: a command pays for what it runs
    from collections.abc import Callable

    from ipai.search.protocol import SearchEngine
    from ipai.search.results import Results
    from ipai.service.analytics import AnalyticsService
    from ipai.service.applicants import ApplicantsService
    from ipai.service.assess import AssessService
    from ipai.service.checker import CheckerService
    from ipai.service.classify import ClassifyService
    from ipai.service.corpus import CorpusService
    from ipai.service.deals import DealsService
    from ipai.service.draft import DraftService
    from ipai.service.evidence import EvidenceService
    from ipai.service.explain import ExplainService
    from ipai.service.fto import FtoService
    from ipai.service.images import ImagesService
    from ipai.service.industry import IndustryService
    from ipai.service.manage import ManageService
    from ipai.service.monitor import MonitorService
    from ipai.service.qa import QaService
    from ipai.service.search import SearchService
    from ipai.service.search_tools import SearchToolsService
    from ipai.service.searches import SearchesService
    from ipai.service.security import SecurityService
    from ipai.service.status import StatusService
    from ipai.service.tasks import TaskRunner
    from ipai.service.transfer import TransferService
    from ipai.service.triz import TrizService
    from ipai.service.value import ValueService
    from ipai.settings import Settings
    from ipai.store import Store


class Service:
    """Use cases over one store: the feature services, composed over one context (each made on
    first use, given the context and the features it builds on)."""

    def __init__(self, settings: Settings | None = None) -> None:
        if settings is None:
            from ipai.settings import load_settings

            settings = load_settings()
        self.ctx = ServiceContext(settings)
        self.resolve = self.ctx.resolve  # (the context's method itself: same signature and docs)
        self._stats: tuple[tuple[int, int, int], dict[str, Any]] | None = None

    @staticmethod
    def formats() -> list[dict[str, Any]]:
        """The source formats (no store needed)."""
        from ipai.service.corpus import CorpusService

        return CorpusService.formats()

    # ---- the features ----------------------------------------------------------------------------
    @cached_property
    def status(self) -> StatusService:
        from ipai.service.status import StatusService

        return StatusService(self.ctx)

    @cached_property
    def security(self) -> SecurityService:
        from ipai.service.security import SecurityService

        return SecurityService(self.ctx)

    @cached_property
    def evidence(self) -> EvidenceService:
        from ipai.service.evidence import EvidenceService

        return EvidenceService(self.ctx)

    @cached_property
    def classifier(self) -> ClassifyService:
        from ipai.service.classify import ClassifyService

        return ClassifyService(self.ctx)

    @cached_property
    def assessment(self) -> AssessService:
        from ipai.service.assess import AssessService

        return AssessService(self.ctx, self.classifier)

    @cached_property
    def value(self) -> ValueService:
        from ipai.service.value import ValueService

        return ValueService(self.ctx, self.status)

    @cached_property
    def analytics(self) -> AnalyticsService:
        from ipai.service.analytics import AnalyticsService

        return AnalyticsService(self.ctx, self.status)

    @cached_property
    def applicants(self) -> ApplicantsService:
        from ipai.service.applicants import ApplicantsService

        return ApplicantsService(self.ctx, self.analytics)

    @cached_property
    def industry(self) -> IndustryService:
        from ipai.service.industry import IndustryService

        return IndustryService(self.ctx)

    @cached_property
    def checker(self) -> CheckerService:
        from ipai.service.checker import CheckerService

        return CheckerService(self.ctx)

    @cached_property
    def draft(self) -> DraftService:
        from ipai.service.draft import DraftService

        return DraftService(self.ctx, self.assessment, self.checker)

    @cached_property
    def explain(self) -> ExplainService:
        from ipai.service.explain import ExplainService

        return ExplainService(self.ctx)

    @cached_property
    def fto(self) -> FtoService:
        from ipai.service.fto import FtoService

        return FtoService(self.ctx, self.status, self.analytics)

    @cached_property
    def images(self) -> ImagesService:
        from ipai.service.images import ImagesService

        return ImagesService(self.ctx)

    @cached_property
    def manage(self) -> ManageService:
        from ipai.service.manage import ManageService

        return ManageService(self.ctx, self.assessment, self.security)

    @cached_property
    def deals(self) -> DealsService:
        from ipai.service.deals import DealsService

        return DealsService(self.ctx, self.status, self.evidence, self.security)

    @cached_property
    def monitor(self) -> MonitorService:
        from ipai.service.monitor import MonitorService

        return MonitorService(self.ctx, self.status)

    @cached_property
    def searches(self) -> SearchesService:
        from ipai.service.searches import SearchesService

        return SearchesService(self.ctx, self.monitor)

    @cached_property
    def transfer(self) -> TransferService:
        from ipai.service.transfer import TransferService

        return TransferService(self.ctx, self.classifier, self.value)

    @cached_property
    def qa(self) -> QaService:
        from ipai.service.qa import QaService

        return QaService(self.ctx)

    @cached_property
    def _searching(self) -> SearchService:
        from ipai.service.search import SearchService

        return SearchService(self.ctx, self.status)

    @cached_property
    def search_tools(self) -> SearchToolsService:
        from ipai.service.search_tools import SearchToolsService

        return SearchToolsService(self.ctx, self.status, self._searching)

    @cached_property
    def triz(self) -> TrizService:
        from ipai.service.triz import TrizService

        return TrizService(self.ctx, self._searching)

    @cached_property
    def corpus(self) -> CorpusService:
        from ipai.service.corpus import CorpusService

        return CorpusService(self.ctx, self.monitor, self.transfer)

    # the core document operations (the methods themselves: same signatures and docs)
    @cached_property
    def search(self) -> Callable[..., Results]:
        return self._searching.search

    @cached_property
    def similar(self) -> Callable[..., Results]:
        return self._searching.similar

    @cached_property
    def expand(self) -> Callable[..., Any]:
        return self._searching.expand

    @property
    def settings(self) -> Settings:
        """The settings every feature reads (replaceable, e.g. by a test)."""
        return self.ctx.settings

    @settings.setter
    def settings(self, value: Settings) -> None:
        self.ctx.settings = value

    @property
    def store(self) -> Store:
        """The store, opened (and migrated) on first use."""
        return self.ctx.store

    @property
    def search_engine(self) -> SearchEngine:
        """The search engine over this store (index opened on first use)."""
        return self.ctx.search_engine

    @property
    def tasks(self) -> TaskRunner:
        """The background-task runner (ingest and index jobs of the API and web UI)."""
        return self.ctx.tasks

    @property
    def notice(self) -> Notice:
        """Where messages for the user go (rebuilds…); front ends set it."""
        return self.ctx.notice

    @notice.setter
    def notice(self, fn: Notice) -> None:
        self.ctx.notice = fn

    def close(self) -> None:
        """Finish the running background task, release the search index and the store."""
        self.ctx.close()

    def warm(self) -> None:
        """Load the search index and models before the first query (servers); no-op without an index."""
        from ipai.search.analysis import index_tokens
        from ipai.text.lang import detect

        detect("warm up the language identifier")
        index_tokens("预热中文分词", "zh")
        if (self.settings.home / "index").exists():
            self.ctx.search_engine.warm()

    def warm_analytics(self) -> None:
        """Read the landscape facts of the newest documents into memory (servers run this in the
        background at start, so that the first landscape does not pay for reading them), and the
        corpus counts of the dashboard. Once per service: the web workers of ``ipai serve --workers
        N`` inherit what the supervisor read (walking it again would copy their shared pages)."""
        if self.ctx.analytics_warmed:
            return
        self.ctx.analytics_warmed = True
        self.stats()
        if not self.settings.analytics_cache_docs:
            return
        facts = self.ctx.facts_cache.get(self.store.recent_ids(self.settings.analytics_cache_docs))
        from ipai.analytics.entities.keys import org_tokens

        for f in facts:  # applicant keys are memoised: fill them too
            for a in f.applicants:
                org_tokens(a)
        self.value.value_scores(
            self.store.recent_ids(1)
        )  # the valuation reference (matching shows value scores)

    # ---- read ----------------------------------------------------------------------------
    def show(self, number: str) -> dict[str, Any]:
        """A document as JSON plus where it came from."""
        import json

        doc = self.resolve(number)
        return {
            "document": json.loads(dump_record(doc)),
            "provenance": self.store.document_sources(doc.id),
            "legal_status": self.status.status_of(doc).to_dict(),
            "family": self.status.family_of(doc),
        }

    def health(self) -> dict[str, Any]:
        """Counts and index state, cheaply (no grouping queries)."""
        index = self.corpus.index_status() if (self.settings.home / "index").exists() else None
        return {
            "documents": self.store.count_documents(),
            "trademarks": self.store.count_trademarks(),
            "index": index,
        }

    def existing(self, ids: list[str]) -> set[str]:
        """Which of these document ids are in the store (e.g. to link citations)."""
        return self.store.existing_ids(list(ids))

    def documents(self, *, offset: int = 0, limit: int = 20, country: str | None = None) -> dict[str, Any]:
        """A page of stored documents (newest first) with the total and the next offset."""
        if not 1 <= limit <= 500 or offset < 0:
            raise InputError(
                "limit must be 1–500 and offset ≥ 0", errors=[{"field": "limit", "message": "out of range"}]
            )
        items, total = self.store.list_documents(offset=offset, limit=limit, country=country)
        nxt = offset + limit if offset + limit < total else None
        return {"items": items, "total": total, "offset": offset, "limit": limit, "next_offset": nxt}

    def trademark(self, tm_id: str) -> Trademark:
        """A trademark by id (``TM-EM000001123`` or ``EM000001123``)."""
        key = tm_id if tm_id.startswith("TM-") else f"TM-{tm_id}"
        tm = self.store.get_trademark(key)
        if tm is None:
            raise NotFound(
                f"no trademark {tm_id!r} in the store",
                code="not_found_in_store",
                params={"what": "trademark", "id": tm_id},
            )
        return tm

    def stats(self) -> dict[str, Any]:
        """Corpus counts by jurisdiction, language, kind, year, section and source. Kept until a
        document or trademark is added, changed or removed (the store's change number and counts,
        three cheap reads, say so): the grouped counts take ~1 s on 50k documents (the dashboard)."""
        import copy

        key = (self.store.max_seq(), self.store.count_documents(), self.store.count_trademarks())
        if self._stats is None or self._stats[0] != key:
            from ipai.service.kept_stats import kept_stats

            self._stats = (key, kept_stats(self.settings, self.store.stats))
        return copy.deepcopy(self._stats[1])


def results_json(
    res: Results, *, top: int, offset: int, filters: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Search results in the API's shape (the CLI's ``--json`` prints the same keys)."""
    d = asdict(res)
    d["results"] = d.pop("hits")
    more = len(d["results"]) == top and (res.total_keyword > offset + top or res.mode != "keyword")
    return {
        "ok": True,
        **d,
        "offset": offset,
        "top": top,
        "next_offset": offset + top if more else None,
        "filters": {k: v for k, v in (filters or {}).items() if v not in (None, "")},
    }
