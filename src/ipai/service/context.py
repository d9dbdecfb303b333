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
    from ipai.service.tasks import TaskRunner

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
        ``index_shards`` > 1 the sharded one, which queries the shards in parallel."""
        if self._search is None:
            if self.settings.index_shards > 1:
                from ipai.search.sharded import ShardedSearchEngine

                self._search = ShardedSearchEngine(self.settings, self.store, notice=self.notice)
            else:
                from ipai.search.engine import SingleSearchEngine

                self._search = SingleSearchEngine(self.settings, self.store, notice=self.notice)
        return self._search

    @property
    def tasks(self) -> TaskRunner:
        """The background-task runner (ingest and index jobs of the API and web UI)."""
        if self._tasks is None:
            from ipai.service.tasks import TaskRunner

            self._tasks = TaskRunner(
                self.store,
                max_queued=self.settings.task_queue_max,
                per_user=self.settings.task_queue_per_user,
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
