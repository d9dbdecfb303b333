"""The context every feature service works in: the settings, the store, the search engine, the
background tasks and the caches they share, opened on first use and closed together.

Feature services (:mod:`ipai.service.transfer`, :mod:`ipai.service.monitor`, …) take one
:class:`ServiceContext` explicitly (and the few other feature services they build on); the
:class:`ipai.service.Service` facade owns the context and composes them."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any

from ipai.errors import InputError, NotFound
from ipai.model import PatentDocument, parse_pubno
from ipai.settings import Settings
from ipai.store import Store, open_store

if TYPE_CHECKING:
    from ipai.search.protocol import SearchEngine
    from ipai.service.facts import FactsCache
    from ipai.service.generations import Follower
    from ipai.service.tasks import Kinds, TaskRunner

Notice = Callable[[str], None]
Memo = tuple[threading.Lock, "OrderedDict[Hashable, Any]"]


class ServiceContext:
    """Settings, store, search engine, tasks and shared caches of one service."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.notice: Notice = lambda msg: None  # front ends set this to show messages (rebuilds…)
        self._store: Store | None = None
        self._search: SearchEngine | None = None
        self._tasks: TaskRunner | None = None
        self._facts: FactsCache | None = None
        self.memo: Memo = (threading.Lock(), OrderedDict())  # answers kept by ipai.service.memo
        self.task_kinds: Kinds = {}  # background task kinds the features registered (ipai.service.tasks)
        # under ``ipai serve --workers N`` (ipai.service.generations): "enqueue" in the web workers,
        # which then only read the search index and follow the writer's generations; "writer" in
        # the one process that runs tasks and refreshes the index
        self.task_role = "local"
        self._follow: Follower | None = None
        self.analytics_warmed = False  # Service.warm_analytics has run (once per service)

    @property
    def store(self) -> Store:
        """The store, opened (and migrated) on first use."""
        if self._store is None:
            self.settings.home.mkdir(parents=True, exist_ok=True)
            self._store = open_store(self.settings)
        return self._store

    @property
    def search_engine(self) -> SearchEngine:
        """The hybrid search engine over this store (index opened on first use); with
        ``index_shards`` > 1 the sharded one, which queries the shards in parallel. In a web worker
        of several (``task_role`` enqueue) the engine only reads, and a newer index generation the
        writer published replaces it (checked at most every two seconds, a file's status)."""
        if self._follow is not None:
            fresh = self._follow.check(self._search)
            if fresh is not None:
                self._search = fresh
        if self._search is None:
            self._search = self.new_search_engine()
        return self._search

    def new_search_engine(self) -> SearchEngine:
        """A search engine over this store, not yet opened (read-only in a web worker of several)."""
        engine: SearchEngine
        if self.settings.index_shards > 1:
            from ipai.search.sharded import ShardedSearchEngine

            engine = ShardedSearchEngine(self.settings, self.store, notice=self.notice)
        else:
            from ipai.search.engine import SingleSearchEngine

            engine = SingleSearchEngine(self.settings, self.store, notice=self.notice)
        engine.read_only = self.task_role == "enqueue"
        return engine

    def follow_index(self) -> None:
        """Read the search index only and follow the generations the writer process publishes
        (a web worker of ``ipai serve --workers N``); tasks are then only recorded here."""
        from ipai.service.generations import Follower

        self.task_role = "enqueue"
        self._follow = Follower(self)
        if self._search is not None:
            self._search.read_only = True

    @property
    def search_opened(self) -> bool:
        """Whether the search engine has been created (it may still open the index lazily)."""
        return self._search is not None

    def become_writer(self) -> None:
        """Be the writer process of ``ipai serve --workers N`` (forked from a preloaded web
        worker's state): run the recorded tasks, open the index for writing."""
        self.task_role = "writer"
        self._follow = None
        self._tasks = None  # the next use makes a writer's runner
        self.release_search()

    def release_search(self) -> None:
        """Close the search engine (opened again on next use): the writer frees its memory between jobs."""
        if self._search is not None:
            self._search.close()
            self._search = None

    @property
    def tasks(self) -> TaskRunner:
        """The background-task runner (ingest and index jobs of the API and web UI)."""
        if self._tasks is None:
            from ipai.service.tasks import TaskRunner

            self._tasks = TaskRunner(
                self.store,
                max_queued=self.settings.task_queue_max,
                per_user=self.settings.task_queue_per_user,
                role=self.task_role,
                kinds=self.task_kinds,
            )
        return self._tasks

    @property
    def facts_cache(self) -> FactsCache:
        """Landscape facts per document, kept between calls (see ipai.service.facts)."""
        if self._facts is None or self._facts.store is not self.store:
            from ipai.service.facts import FactsCache

            self._facts = FactsCache(self.store, self.settings.analytics_cache_docs)
        return self._facts

    def close(self) -> None:
        """Finish the running background task, release the search index and the store."""
        if self._tasks is not None:
            self._tasks.close()
            self._tasks = None
        if self._search is not None:
            self._search.close()
            self._search = None
        if self._store is not None:
            self._store.close()
            self._store = None
        self._facts = None

    def resolve(self, number: str) -> PatentDocument:
        """A document from any spelling of its publication number (``US 8,926,509 B2``,
        ``US8926509``, ``EP3404678B1``); raises :class:`NotFound` or an ambiguity error."""
        try:
            pn = parse_pubno(number)
        except InputError as exc:
            raise InputError(
                f"not a publication number: {number!r}", code="not_pubno", params={"number": number}
            ) from exc
        doc = self.store.get_document(pn.doc_id)
        if doc:
            return doc
        cands = self.store.find_documents(pn.country, pn.number)
        if pn.kind:
            cands = [d for d in cands if d.pubno.kind_letter == pn.kind[0]]
        if len(cands) == 1:
            return cands[0]
        if len(cands) > 1:
            ids = ", ".join(d.id for d in cands)
            raise InputError(
                f"{number!r} matches several publications ({ids}); add the kind code",
                code="ambiguous_pubno",
                params={"number": number, "ids": ids},
            )
        raise NotFound(
            f"no document {number!r} in the store",
            code="not_found_in_store",
            params={"what": "document", "id": number},
        )


class Feature:
    """Base of the feature services: the context and typed shortcuts to what it holds."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    @property
    def settings(self) -> Settings:
        return self.ctx.settings

    @property
    def store(self) -> Store:
        return self.ctx.store

    @property
    def search_engine(self) -> SearchEngine:
        return self.ctx.search_engine
