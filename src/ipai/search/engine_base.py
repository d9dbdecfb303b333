"""What the single and the sharded search engine share: searching (parse, plan, rank, page),
more-like-this, the text measures scenarios use (``idf``, ``embed``, ``match_ids``) and catching up
with the store. A concrete engine supplies the index: how it opens, its statistics and query
builders, its keyword and vector searches over its own keys, and the ids behind its keys."""

from __future__ import annotations

import abc
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

import numpy as np

from ipai.errors import InputError, NotFound
from ipai.model import PatentDocument
from ipai.search.fusion import rrf
from ipai.search.plan import Plan, Planner, QueryIndex
from ipai.search.protocol import CorpusSource, SearchEngine
from ipai.search.rank import rank
from ipai.search.results import Results, full_match_query, page_results, similar_results
from ipai.search.vector.encoders import Encoder
from ipai.search.verify import Verifier
from ipai.settings import Settings

CANDIDATES = 100  # candidates taken from each list for fusion (and for more-like-this)
FRESH_CHECK_S = 2.0  # seconds between two checks whether the store has changes to index
Parallel = Callable[[Callable[[], Any]], Future[Any]]  # runs the semantic side beside the keyword side


class EngineBase(SearchEngine):
    """The shared half of a search engine (see the module docstring); subclasses set ``settings``,
    ``store``, ``planner``, ``_lock`` and ``_checked`` and implement the abstract methods."""

    settings: Settings
    store: CorpusSource
    planner: Planner
    _lock: threading.RLock
    _checked: float  # time.monotonic() of the last freshness check
    read_only = (
        False  # a web worker of several: another process refreshes the index (ipai.service.generations)
    )

    # ---- what a concrete engine supplies -------------------------------------------------------
    @property
    @abc.abstractmethod
    def encoder(self) -> Encoder:
        """The semantic encoder (opens the index)."""

    @abc.abstractmethod
    def _ready(self) -> None:
        """Open the index (build it when missing), without checking the store for changes."""

    @abc.abstractmethod
    def _query_index(self) -> QueryIndex:
        """Document frequencies and query builders of the whole index."""

    @abc.abstractmethod
    def _indexed_seq(self) -> int:
        """The store change number every change up to which is indexed."""

    @abc.abstractmethod
    def _vector_search(
        self, qvec: np.ndarray, n: int, constraint: Any | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Nearest ``n`` keys and cosines of a vector, among documents satisfying ``constraint``."""

    @abc.abstractmethod
    def _own_key(self, doc_id: str) -> int:
        """The key of an indexed document (-1 when it is not indexed)."""

    @abc.abstractmethod
    def _stored_vector(self, key: int) -> np.ndarray:
        """The stored semantic vector of a key."""

    def _parallel(self) -> Parallel | None:
        """How the ranker runs the semantic side beside the keyword side (``None``: in turn)."""
        return None

    # ---- keeping up with the store -------------------------------------------------------------
    def ensure_fresh(self) -> None:
        """Build a missing index, or catch up with the store after ingests (checked at most
        every ``FRESH_CHECK_S`` seconds: a store query per search would cost more than the search)."""
        with self._lock:
            self._ready()
            if self.read_only:
                return
            now = time.monotonic()
            if now - self._checked < FRESH_CHECK_S:
                return
            self._checked = now
            if self.store.max_seq() > self._indexed_seq():
                # a search does not wait for new words' vectors: ipai index learns them
                self.refresh(learn=False)

    # ---- searching ---------------------------------------------------------------------------
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
        from ipai.search.query.parser import parse_query

        t0 = time.perf_counter()
        node = parse_query(query)
        res = self.search_node(
            node, top=top, offset=offset, mode=mode, cross_lingual=cross_lingual, explain=explain, depth=depth
        )
        res.query = query
        res.took_ms = round((time.perf_counter() - t0) * 1000, 2)
        return res

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
        """Search with a parsed query; ``depth`` = candidates taken from each list (hybrid default 100;
        a single list takes just the page);
        ``fetch=False`` returns ids and scores only (no document reads: evaluations);
        ``count=False`` skips counting every keyword match (``total_keyword`` is then 0)."""
        if mode not in ("hybrid", "keyword", "semantic"):
            raise InputError(f"unknown search mode {mode!r}: use hybrid, keyword or semantic")
        t0 = time.perf_counter()
        with self._lock:
            self.ensure_fresh()
            plan = self.plan(node, cross_lingual)
            # one list alone needs no candidates beyond the page; fusion needs depth from each list
            need = (
                top + offset if mode != "hybrid" and depth is None else max(top + offset, depth or CANDIDATES)
            )
            r = rank(
                plan,
                mode,
                need,
                self,
                count=count,
                page=top + offset,
                weights=self._weights(),
                verify=self._verifier(),
                parallel=self._parallel(),
            )
        return page_results(self, node, plan, r, mode, top, offset, fetch, explain, cross_lingual, t0)

    def plan(self, node: Any, cross_lingual: bool = True) -> Plan:
        """The plan of a parsed query; same-language search adds the query's language as a filter."""
        plan = self.planner.plan(node, translate=cross_lingual)
        if not cross_lingual and plan.lang:
            kw, index = self.planner.kw, self._query_index()
            lang_q = kw.compile(kw.term("lang", plan.lang))
            plan.constraint = (
                lang_q
                if plan.constraint is None
                else index.boolean([("must", plan.constraint), ("must", lang_q)])
            )
            plan.tiers = [index.boolean([("must", t), ("must", lang_q)]) for t in plan.tiers]
            plan.keyword = plan.tiers[-1] if plan.tiers else None
        return plan

    def _weights(self) -> dict[str, float]:
        return {
            "keyword": self.settings.search_keyword_weight,
            "semantic": self.settings.search_semantic_weight,
        }

    def _verifier(self) -> Verifier:
        return Verifier(self.settings, self.store, self.doc_ids)

    # ---- the ranker's view (ipai.search.rank.Side): the parts every engine does alike ----------
    def sem_search(self, text: str, n: int, constraint: Any | None) -> tuple[np.ndarray, np.ndarray]:
        """Nearest keys of a text in the semantic index."""
        from ipai.search.analysis import vector_tokens

        return self._vector_search(self.encoder.encode_query(vector_tokens(text), text), n, constraint)

    def meaning(self, plan: Plan, keys: list[int]) -> dict[int, float]:
        """Meaning scores of documents against the query (``search_rerank`` encoder)."""
        from ipai.search.meaning import meaning_scores

        ids = self.doc_ids(keys)
        docs = self.store.get_documents(list(ids.values()))
        by_key = {k: docs[i] for k, i in ids.items() if i in docs}
        return meaning_scores(plan, by_key, self.settings.search_rerank, self.settings.encoder_cache_path)

    def similar(self, doc_id: str, *, top: int = 10, mode: str = "hybrid") -> Results:
        """Documents like a stored one (more-like-this): its own vector and its distinctive terms."""
        from ipai.search.analysis import vector_tokens
        from ipai.search.docfields import semantic_text
        from ipai.search.query import ast as A

        t0 = time.perf_counter()
        doc = self.store.get_document(doc_id)
        if doc is None:
            raise NotFound(
                f"no document {doc_id!r} in the store",
                code="not_found_in_store",
                params={"what": "document", "id": doc_id},
            )
        with self._lock:
            self.ensure_fresh()
            text = semantic_text(doc)
            plan = self.planner.plan(A.FreeText(pos=0, text=text))
            own = self._own_key(doc.id)
            lists: dict[str, list[int]] = {}
            if mode in ("hybrid", "keyword") and plan.keyword is not None:
                keys, _, _ = self.kw_search(plan.keyword, CANDIDATES + 1, True)
                lists["keyword"] = [int(k) for k in keys]
            if mode in ("hybrid", "semantic"):
                q = (
                    self._stored_vector(own)
                    if own >= 0
                    else self.encoder.encode_query(vector_tokens(text), text)
                )
                keys, _ = self._vector_search(q, CANDIDATES + 1, None)
                lists["semantic"] = [int(k) for k in keys]
            lists = {k: [i for i in v if i != own] for k, v in lists.items()}
            fused = rrf(lists, weights=self._weights())
            ranks = {name: {i: r for r, i in enumerate(lst, 1)} for name, lst in lists.items()}
        return similar_results(self, doc, fused, ranks, mode, top, t0)

    # ---- text measures for scenarios (assessment, matching) ---------------------------------------
    def idf(self, tokens: list[str]) -> dict[str, float]:
        """BM25-style inverse document frequency of index tokens over the whole corpus
        (a token no document has gets the highest weight)."""
        with self._lock:
            self._ready()
            index = self._query_index()
            n = max(index.num_docs(), 1)
            out = {}
            for t in set(tokens):
                df = index.doc_freq("text", t)
                out[t] = float(np.log(1 + (n - df + 0.5) / (df + 0.5)))
            return out

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit vectors of short texts in the semantic space (Chinese and English comparable)."""
        from ipai.search.analysis import vector_tokens

        with self._lock:
            self._ready()
            vecs = [self.encoder.encode_query(vector_tokens(t), t) for t in texts]
        out = np.asarray(vecs, dtype=np.float32).reshape(len(texts), -1)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        unit: np.ndarray = out / np.maximum(norms, 1e-9)
        return unit

    def match_ids(
        self, node: Any, *, limit: int = 25_000, cross_lingual: bool = True
    ) -> tuple[list[str], int]:
        """Ids of the documents a query matches on the keyword side (Boolean semantics; words
        written with no operator must all be carried, in any of their forms — with four or more,
        75 % of them; best first, at most ``limit``) and how many match in all: the set a
        landscape is drawn over."""
        with self._lock:
            self.ensure_fresh()
            plan = self.plan(node, cross_lingual)
            q = full_match_query(plan)
            if q is None:
                return [], 0
            keys, _, total = self.kw_search(q, limit, True)
            found = [int(k) for k in keys]
            ids = self.doc_ids(found)
        return [ids[k] for k in found if k in ids], int(total)

    def match_among(self, node: Any, ids: list[str], *, cross_lingual: bool = True) -> set[str]:
        """Which of ``ids`` the query matches on the keyword side (the Boolean set of
        :meth:`match_ids`, evaluated among these documents only: cost follows ``ids``)."""
        if not ids:
            return set()
        with self._lock:
            self.ensure_fresh()
            q = full_match_query(self.plan(node, cross_lingual))
            if q is None:
                return set()
            keys = self._own_keys(ids)
            hit = self.kw_among(q, list(keys.values()))
        return {i for i, k in keys.items() if k in hit}

    def _own_keys(self, doc_ids: list[str]) -> dict[str, int]:
        """The keys of the indexed documents among ``doc_ids``."""
        keys = {i: self._own_key(i) for i in doc_ids}
        return {i: k for i, k in keys.items() if k >= 0}

    def documents(self, ids: list[str]) -> dict[str, PatentDocument]:
        """Stored documents by id (for scenarios that need whole texts of hits)."""
        return self.store.get_documents(ids)
