"""Search over a sharded index: every shard queried in parallel, the lists merged.

:class:`ShardedSearchEngine` has the methods the service and the scenarios use on the single
engine (search, search_node, similar, idf, embed, match_ids, doc_vectors, documents, status,
refresh, warm, close, ensure_fresh, ``encoder``, ``store``). One query plan is compiled against
statistics summed over the shards (so each shard runs the same query), the shards search in
threads (tantivy and faiss release the GIL), the keyword lists merge by BM25 score and the
semantic lists by cosine (every shard shares the encoder, so scores compare), and the merged lists
are fused by the same reciprocal-rank fusion as the single index. Result keys are
``iid * n + shard``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import numpy as np

from ipai.errors import InputError, NotFound
from ipai.search.engine import (
    CANDIDATES,
    FRESH_CHECK_S,
    Hit,
    Notice,
    Progress,
    Results,
    full_match_query,
    page_results,
    ranked_hits,
    similar_results,
)
from ipai.search.fusion import rrf
from ipai.search.plan import Plan, Planner
from ipai.search.rank import rank
from ipai.search.shards import (
    FrozenStaticUse,
    ShardIndex,
    layout_matches,
    prepare_layout,
    read_layout,
    shard_of,
    shards_root,
)
from ipai.search.vector.encoders import Encoder, make_encoder
from ipai.settings import Settings
from ipai.store import Store

T = TypeVar("T")
Ranked = list[tuple[int, float]]


class GlobalStats:
    """The keyword index a shared plan is compiled against: the first shard builds the tantivy
    queries (all shards have one schema), document counts and frequencies are summed."""

    def __init__(self, shards: list[ShardIndex]) -> None:
        self._shards = shards

    def num_docs(self) -> int:
        """Live documents in all shards."""
        return sum(s.keyword.num_docs() for s in self._shards)

    def doc_freq(self, field_name: str, token: str) -> int:
        """Documents with the token in the field, in all shards."""
        return sum(s.keyword.doc_freq(field_name, token) for s in self._shards)

    def __getattr__(self, name: str) -> Any:  # term, phrase, boolean, boost, regex, … (query builders)
        return getattr(self._shards[0].keyword, name)


def _merge(
    parts: Iterable[tuple[np.ndarray, np.ndarray]], n: int, limit: int
) -> tuple[list[int], dict[int, float]]:
    """Per-shard (iids, scores) lists → the best ``limit`` global keys and their scores."""
    keys, scores = [], []
    for k, (iids, sc) in enumerate(parts):
        keys.append(np.asarray(iids, dtype=np.int64) * n + k)
        scores.append(np.asarray(sc, dtype=np.float32))
    if not keys:
        return [], {}
    key, score = np.concatenate(keys), np.concatenate(scores)
    order = np.argsort(-score, kind="stable")[:limit]
    top = key[order].tolist()
    return top, dict(zip(top, score[order].tolist(), strict=False))


class ShardedSearchEngine:
    """Hybrid search over the shards of ``<home>/index/shards`` (``settings.index_shards`` of them)."""

    def __init__(self, settings: Settings, store: Store, notice: Notice | None = None) -> None:
        self.settings = settings
        self.store = store
        self.n = settings.index_shards
        self.path = shards_root(settings)
        self.notice = notice or (lambda msg: None)
        self.shards: list[ShardIndex] = []
        self._encoder: Encoder | None = None
        self._lock = threading.RLock()
        self._pool: ThreadPoolExecutor | None = None
        self._checked = -1e9

    # ---- lifecycle ---------------------------------------------------------------------------
    def _open(self) -> None:
        if self.shards:
            return
        layout = read_layout(self.path)
        if not layout_matches(layout, self.settings, self.n):
            if layout is None:
                self.notice(f"no sharded index at {self.path}: building {self.n} shards from the store")
            layout = prepare_layout(self.settings, self.store, self.n, notice=self.notice)
        shards = [ShardIndex(self.settings, self.store, layout, k, notice=self.notice) for k in range(self.n)]
        for s in shards:
            s._open_index()
        spec = self.settings.search_encoder
        self._encoder = (
            FrozenStaticUse.load(self.path / "encoder") if spec == "static-use" else make_encoder(spec)
        )
        self.shards = shards
        self.stats = GlobalStats(shards)
        from ipai.search.termspace import TermSpace, neighbours

        self.termspace = TermSpace(self.path / "termspace")
        self.planner = Planner(
            self.stats, lambda w, script, df=0: neighbours(self.termspace, self._encoder, w, script, df)
        )  # type: ignore[arg-type]

    @property
    def encoder(self) -> Encoder:
        """The shared semantic encoder (queries, associated terms)."""
        with self._lock:
            self._open()
            assert self._encoder is not None
            return self._encoder

    def _map(self, fn: Callable[[int], T]) -> list[T]:
        """``fn(k)`` for every shard, in parallel threads."""
        if self.n == 1:
            return [fn(0)]
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=min(self.n, 16), thread_name_prefix="ipai-shard")
        return list(self._pool.map(fn, range(self.n)))

    def warm(self) -> None:
        """Open every shard and load the query-time models."""
        from ipai.search.vector.use import use_encode

        with self._lock:
            self._open()
        use_encode(["warm up"])

    def close(self) -> None:
        """Release every shard's files and the search threads."""
        with self._lock:
            for s in self.shards:
                s.close()
            self.shards = []
            if self._pool is not None:
                self._pool.shutdown(wait=True)
                self._pool = None

    # ---- indexing ----------------------------------------------------------------------------
    def status(self) -> dict[str, Any]:
        """Documents and checkpoints of every shard; ``seq``: every change up to it is indexed."""
        with self._lock:
            self._open()
            per = [s.status() for s in self.shards]
        seq = min(p["seq"] for p in per)
        return {
            "path": str(self.path),
            "documents": sum(p["documents"] for p in per),
            "seq": seq,
            "pending": self.store.count_changed(seq),
            "encoder": per[0]["encoder"],
            "ann": per[0]["ann"],
            "vectors": per[0].get("vectors"),
            "layout": read_layout(self.path),
            "shards": [
                {"shard": k, "documents": p["documents"], "seq": p["seq"], "ann": p["ann"]}
                for k, p in enumerate(per)
            ],
        }

    def learn_terms(self) -> dict[str, Any]:
        """Bring the shared term space up to the shared encoder's vocabulary."""
        from ipai.search.termspace import learn

        with self._lock:
            self._open()
            return learn(self.settings, self.termspace, self._encoder)

    def refresh(
        self, *, rebuild: bool = False, progress: Progress | None = None, learn: bool = True
    ) -> dict[str, Any]:
        """Index what changed, shard after shard in this process (``ipai cluster index`` builds
        the shards as parallel jobs instead); ``rebuild`` fits the encoder again and starts over;
        ``learn``: then bring the term space up to date."""
        with self._lock:
            t0 = time.perf_counter()
            if rebuild:
                self.close()
                prepare_layout(self.settings, self.store, self.n, rebuild=True, notice=self.notice)
            self._open()
            done = [0] * self.n
            totals = [s._pending(int(s.state.get("seq", 0))) for s in self.shards]
            outs = []
            for k, s in enumerate(self.shards):

                def report(d: int, t: int, k: int = k) -> None:
                    done[k], totals[k] = d, max(t, d)
                    if progress:
                        progress(sum(done), sum(totals))

                outs.append(s.refresh(progress=report))
            dt = time.perf_counter() - t0
            n_done = sum(o["indexed"] for o in outs)
            out = {
                "indexed": n_done,
                "new": sum(o["new"] for o in outs),
                "replaced": sum(o["replaced"] for o in outs),
                "seconds": round(dt, 3),
                "docs_per_s": round(n_done / dt, 1) if dt and n_done else None,
                "documents": sum(o["documents"] for o in outs),
                "shards": self.n,
            }
        if learn and (n_done or not self.termspace.ready):
            out |= self.learn_terms()
        return out

    def ensure_fresh(self) -> None:
        """Build missing shards or catch up with the store (checked at most every few seconds)."""
        with self._lock:
            self._open()
            now = time.monotonic()
            if now - self._checked < FRESH_CHECK_S:
                return
            self._checked = now
            if self.store.max_seq() > min(int(s.state.get("seq", 0)) for s in self.shards):
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
        """Search with the examiner syntax or plain text (as the single engine)."""
        from ipai.search.query.parser import parse_query

        t0 = time.perf_counter()
        res = self.search_node(
            parse_query(query),
            top=top,
            offset=offset,
            mode=mode,
            cross_lingual=cross_lingual,
            explain=explain,
            depth=depth,
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
        """Search with a parsed query (arguments as :meth:`SearchEngine.search_node`)."""
        if mode not in ("hybrid", "keyword", "semantic"):
            raise InputError(f"unknown search mode {mode!r}: use hybrid, keyword or semantic")
        t0 = time.perf_counter()
        with self._lock:
            self.ensure_fresh()
            plan = self._plan(node, cross_lingual)
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
                weights={
                    "keyword": self.settings.search_keyword_weight,
                    "semantic": self.settings.search_semantic_weight,
                },
                verify=self._verifier(),
                parallel=None,
            )
        return page_results(self, node, plan, r, mode, top, offset, fetch, explain, cross_lingual, t0)

    def _plan(self, node: Any, cross_lingual: bool) -> Plan:
        plan = self.planner.plan(node, translate=cross_lingual)
        if not cross_lingual and plan.lang:
            kw = self.stats
            lang_q = kw.term("lang", plan.lang)
            plan.constraint = (
                lang_q
                if plan.constraint is None
                else kw.boolean([("must", plan.constraint), ("must", lang_q)])
            )
            plan.tiers = [kw.boolean([("must", t), ("must", lang_q)]) for t in plan.tiers]
            plan.keyword = plan.tiers[-1] if plan.tiers else None
        return plan

    def _verifier(self) -> Any:
        from ipai.search.verify import Verifier

        return Verifier(self.settings, self.store, self._doc_ids)

    # ---- the ranker's view of the shards (ipai.search.rank.Side) --------------------------------
    def kw_search(self, query: Any, n: int, count: bool) -> tuple[np.ndarray, np.ndarray, int]:
        """Best global keys of a keyword query over every shard, and the summed match count."""
        per = self._map(lambda k: self.shards[k].keyword.search(query, n, count=count))
        keys, sc = _merge(((iids, s) for iids, s, _ in per), self.n, n)
        return (
            np.asarray(keys, dtype=np.int64),
            np.asarray([sc[k] for k in keys], dtype=np.float32),
            sum(int(t) for _, _, t in per),
        )

    def sem_search(self, text: str, n: int, constraint: Any | None) -> tuple[np.ndarray, np.ndarray]:
        """Nearest global keys of a text over every shard (one shared encoder, so cosines compare)."""
        from ipai.search.analysis import vector_tokens

        qvec = self.encoder.encode_query(vector_tokens(text), text)
        per = self._map(lambda k: self.shards[k].vectors.search(qvec, n, self.shards[k]._allowed(constraint)))
        keys, sc = _merge(per, self.n, n)
        return np.asarray(keys, dtype=np.int64), np.asarray([sc[k] for k in keys], dtype=np.float32)

    def kw_among(self, query: Any, keys: list[int]) -> set[int]:
        """Which global keys match a keyword query (each shard checks its own)."""
        by: dict[int, list[int]] = {}
        for key in keys:
            by.setdefault(key % self.n, []).append(key // self.n)
        out: set[int] = set()
        for k, iids in by.items():
            out |= {i * self.n + k for i in self.shards[k].kw_among(query, iids)}
        return out

    def meaning(self, plan: Plan, keys: list[int]) -> dict[int, float]:
        """Meaning scores of documents against the query (``search_rerank`` encoder)."""
        from ipai.search.meaning import meaning_scores

        ids = self._doc_ids(keys)
        docs = self.store.get_documents(list(ids.values()))
        return meaning_scores(
            plan,
            {k: docs[i] for k, i in ids.items() if i in docs},
            self.settings.search_rerank,
            self.settings.encoder_cache_path,
        )

    def _doc_ids(self, keys: list[int]) -> dict[int, str]:
        """Document id of each global key."""
        by_shard: dict[int, list[int]] = {}
        for key in keys:
            by_shard.setdefault(key % self.n, []).append(key // self.n)
        out: dict[int, str] = {}
        for k, iids in by_shard.items():
            out.update({iid * self.n + k: d for iid, d in self.shards[k].docmap.doc_ids(iids).items()})
        return out

    def _hits(
        self, ranked: Ranked, ranks: dict[str, dict[int, int]], terms: list[str], first: int = 1
    ) -> list[Hit]:
        return ranked_hits(self.store, ranked, self._doc_ids([key for key, _ in ranked]), ranks, terms, first)

    def similar(self, doc_id: str, *, top: int = 10, mode: str = "hybrid") -> Results:
        """Documents like a stored one: its own vector (from its shard) and its distinctive terms."""
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
            home = shard_of(doc.id, self.n)
            own = self.shards[home].docmap.live_iids([doc.id]).get(doc.id)
            own_key = -1 if own is None else own * self.n + home
            run_kw = mode in ("hybrid", "keyword") and plan.keyword is not None
            run_sem = mode in ("hybrid", "semantic")
            q = None
            if run_sem:
                q = (
                    self.shards[home].vectors.vector(own)
                    if own is not None
                    else self.encoder.encode_query(vector_tokens(text), text)
                )

            def shard(k: int) -> dict[str, Any]:
                s, out = self.shards[k], {}
                if run_kw:
                    iids, sc, _ = s.keyword.search(plan.keyword, CANDIDATES + 1)
                    out["keyword"] = (iids, sc)
                if run_sem:
                    out["semantic"] = s.vectors.search(q, CANDIDATES + 1)
                return out

            per = self._map(shard)
            lists = {
                name: [
                    key for key in _merge((p[name] for p in per), self.n, CANDIDATES + 1)[0] if key != own_key
                ]
                for name in ("keyword", "semantic")
                if name in per[0]
            }
            fused = rrf(
                lists,
                weights={
                    "keyword": self.settings.search_keyword_weight,
                    "semantic": self.settings.search_semantic_weight,
                },
            )
            ranks = {name: {key: r for r, key in enumerate(lst, 1)} for name, lst in lists.items()}
        return similar_results(self, doc, fused, ranks, mode, top, t0)

    # ---- text measures for scenarios -------------------------------------------------------------
    def idf(self, tokens: list[str]) -> dict[str, float]:
        """BM25-style inverse document frequency over all shards (as :meth:`SearchEngine.idf`)."""
        with self._lock:
            self._open()
            n = max(self.stats.num_docs(), 1)
            out = {}
            for t in set(tokens):
                df = self.stats.doc_freq("text", t)
                out[t] = float(np.log(1 + (n - df + 0.5) / (df + 0.5)))
            return out

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit vectors of short texts in the shared semantic space."""
        from ipai.search.analysis import vector_tokens

        with self._lock:
            self._open()
            vecs = [self.encoder.encode_query(vector_tokens(t), t) for t in texts]
        out = np.asarray(vecs, dtype=np.float32).reshape(len(texts), -1)
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)

    def match_ids(
        self, node: Any, *, limit: int = 25_000, cross_lingual: bool = True
    ) -> tuple[list[str], int]:
        """Ids of the documents a query matches on the keyword side, best first (at most
        ``limit``), and how many match in all shards."""
        with self._lock:
            self.ensure_fresh()
            plan = self._plan(node, cross_lingual)
            q = full_match_query(plan)
            if q is None:
                return [], 0
            per = self._map(lambda k: self.shards[k].keyword.search(q, limit, count=True))
            keys, _ = _merge(((iids, sc) for iids, sc, _ in per), self.n, limit)
            ids = self._doc_ids(keys)
        return [ids[key] for key in keys if key in ids], sum(int(t) for _, _, t in per)

    def doc_vectors(self, ids: list[str]) -> tuple[list[str], np.ndarray]:
        """Stored vectors of documents (those indexed), each read from its own shard."""
        with self._lock:
            self._open()
            by_shard: dict[int, list[str]] = {}
            for i in dict.fromkeys(ids):
                by_shard.setdefault(shard_of(i, self.n), []).append(i)
            found: dict[str, np.ndarray] = {}
            for k, part in by_shard.items():
                keep, mat = self.shards[k].doc_vectors(part)
                found.update(zip(keep, mat, strict=False))
        keep = [i for i in ids if i in found]
        dim = self.shards[0].encoder.dim
        return keep, np.asarray([found[i] for i in keep], dtype=np.float32).reshape(len(keep), dim)

    def documents(self, ids: list[str]) -> dict[str, Any]:
        """Stored documents by id."""
        return self.store.get_documents(ids)
