"""The search engine contract: what the service and the scenarios may ask of a search engine, the
single index (:class:`ipai.search.engine.SingleSearchEngine`) and the sharded one
(:class:`ipai.search.sharded.ShardedSearchEngine`) alike. Both build on
:class:`ipai.search.engine_base.EngineBase`, which holds the code they share.

Keys: the ranker's view (:class:`ipai.search.rank.Side`) speaks of documents by the engine's own
integer keys (a vector row; ``row * shards + shard`` in a sharded index); :meth:`SearchEngine.doc_ids`
turns keys into document ids.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

import numpy as np

from ipai.model import PatentDocument
from ipai.search.plan import Plan, Planner
from ipai.search.rank import Side
from ipai.search.results import Results
from ipai.search.vector.encoders import Encoder
from ipai.settings import Settings
from ipai.store.ports import ChangeFeed, DocumentStore

Notice = Callable[[str], None]  # a message for the operator (an index rebuilt, a layout prepared)
Progress = Callable[[int, int], None]  # (documents done, documents in all) while indexing


class CorpusSource(DocumentStore, ChangeFeed, Protocol):
    """The store as a search engine reads it: documents by id, and the change feed it indexes."""


@runtime_checkable
class SearchEngine(Side, Protocol):
    """Hybrid search (keyword BM25 + semantic vectors) over the documents of one store."""

    settings: Settings
    store: CorpusSource
    planner: Planner  # compiles parsed queries against the index's statistics
    read_only: bool  # only read the index: no refresh, no rebuild (a web worker of ipai serve --workers N)

    @property
    def encoder(self) -> Encoder:
        """The semantic encoder of queries and short texts (opens the index)."""
        ...

    # ---- lifecycle and indexing ----------------------------------------------------------------
    def warm(self) -> None:
        """Open the index and load the models a first query would otherwise wait for."""
        ...

    def close(self) -> None:
        """Release files, connections and threads."""
        ...

    def status(self) -> dict[str, Any]:
        """Documents indexed, changes pending, encoder, location."""
        ...

    def refresh(
        self, *, rebuild: bool = False, progress: Progress | None = None, learn: bool = True
    ) -> dict[str, Any]:
        """Index what changed in the store (everything on ``rebuild``); ``learn``: then bring the
        term space up to date."""
        ...

    def learn_terms(self) -> dict[str, Any]:
        """Bring the term space (words of the other script close in meaning) up to the vocabulary."""
        ...

    def ensure_fresh(self) -> None:
        """Build a missing index or catch up with the store (checked at most every few seconds)."""
        ...

    # ---- searching -----------------------------------------------------------------------------
    def search(
        self,
        query: str,
        *,
        top: int = 10,
        offset: int = 0,
        mode: str = "hybrid",
        cross_lingual: bool = True,
        explain: bool = True,
        depth: int | None = None,
    ) -> Results:
        """Search with the examiner syntax or plain text; ``mode`` keyword | semantic | hybrid."""
        ...

    def search_node(
        self,
        node: Any,
        *,
        top: int = 10,
        offset: int = 0,
        mode: str = "hybrid",
        cross_lingual: bool = True,
        explain: bool = True,
        depth: int | None = None,
        fetch: bool = True,
        count: bool = True,
    ) -> Results:
        """Search with a parsed query (``fetch=False``: ids and scores only; ``count=False``: no
        count of every keyword match)."""
        ...

    def plan(self, node: Any, cross_lingual: bool = True) -> Plan:
        """The plan of a parsed query (same-language search adds the query's language as a filter)."""
        ...

    def similar(self, doc_id: str, *, top: int = 10, mode: str = "hybrid") -> Results:
        """Documents like a stored one (more-like-this)."""
        ...

    def doc_ids(self, keys: list[int]) -> dict[int, str]:
        """The document id of each key (keys of documents no longer indexed are absent)."""
        ...

    # ---- text measures for scenarios -----------------------------------------------------------
    def idf(self, tokens: list[str]) -> dict[str, float]:
        """BM25-style inverse document frequency of index tokens over the whole corpus."""
        ...

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit vectors of short texts in the semantic space (Chinese and English comparable)."""
        ...

    def match_ids(
        self, node: Any, *, limit: int = 25_000, cross_lingual: bool = True
    ) -> tuple[list[str], int]:
        """Ids of the documents a query matches on the keyword side, best first (at most
        ``limit``), and how many match in all."""
        ...

    def match_among(self, node: Any, ids: list[str], *, cross_lingual: bool = True) -> set[str]:
        """Which of ``ids`` the query matches, with :meth:`match_ids`'s semantics (a watchlist
        evaluates its query on new documents only)."""
        ...

    def doc_vectors(self, ids: list[str]) -> tuple[list[str], np.ndarray]:
        """Stored semantic vectors of the documents that are indexed, as float32 rows."""
        ...

    def documents(self, ids: list[str]) -> dict[str, PatentDocument]:
        """Stored documents by id."""
        ...
