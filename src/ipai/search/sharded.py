"""Search over a sharded index: every shard queried in parallel, the lists merged.

:class:`ShardedSearchEngine` satisfies :class:`ipai.search.protocol.SearchEngine` as the single
engine does, sharing its searching code (:class:`ipai.search.engine_base.EngineBase`). One query
plan is compiled against statistics summed over the shards (so each shard runs the same query), the
shards search in threads (tantivy and faiss release the GIL), the keyword lists merge by BM25 score
and the semantic lists by cosine (every shard shares the encoder, so scores compare), and the merged
lists are fused by the same reciprocal-rank fusion as the single index. Result keys are
``iid * n + shard``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from ipai.search.engine_base import EngineBase
from ipai.search.plan import Planner, QueryIndex
from ipai.search.protocol import CorpusSource, Notice, Progress
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

if TYPE_CHECKING:
    from ipai.search.termspace import TermSpace

T = TypeVar("T")


class GlobalStats:
    """The keyword index a shared plan is compiled against (:class:`ipai.search.plan.QueryIndex`):
    document counts and frequencies are summed over the shards, the first shard builds the tantivy
    queries (all shards have one schema)."""

    def __init__(self, shards: list[ShardIndex]) -> None:
        self._shards = shards
        self._first = shards[0].keyword

    def num_docs(self) -> int:
        """Live documents in all shards."""
        return sum(s.keyword.num_docs() for s in self._shards)

    def doc_freq(self, field_name: str, token: str) -> int:
        """Documents with the token in the field, in all shards."""
        return sum(s.keyword.doc_freq(field_name, token) for s in self._shards)

    def term(self, field_name: str, token: str) -> Any:
        """A term query."""
        return self._first.term(field_name, token)

    def phrase(self, field_name: str, tokens: list[str], slop: int = 0) -> Any:
        """A phrase query."""
        return self._first.phrase(field_name, tokens, slop)

    def regex(self, field_name: str, pattern: str) -> Any:
        """A regular-expression query."""
        return self._first.regex(field_name, pattern)

    def int_range(self, field_name: str, lo: int | None, hi: int | None) -> Any:
        """An inclusive integer range query."""
        return self._first.int_range(field_name, lo, hi)

    def boolean(self, clauses: list[tuple[str, Any]], minimum: int | None = None) -> Any:
        """``(occur, query)`` pairs combined."""
        return self._first.boolean(clauses, minimum)

    def boost(self, query: Any, factor: float) -> Any:
        """A query with its score multiplied."""
        return self._first.boost(query, factor)

    def all(self) -> Any:
        """Every document."""
        return self._first.all()

    def empty(self) -> Any:
        """No document."""
        return self._first.empty()


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
    top: list[int] = key[order].tolist()
    return top, dict(zip(top, score[order].tolist(), strict=False))


class ShardedSearchEngine(EngineBase):
    """Hybrid search over the shards of ``<home>/index/shards`` (``settings.index_shards`` of them)."""

    def __init__(self, settings: Settings, store: CorpusSource, notice: Notice | None = None) -> None:
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
        # set when the shards open (_open)
        self.stats: GlobalStats
        self.termspace: TermSpace

    # ---- lifecycle ---------------------------------------------------------------------------
    def _open(self) -> None:
        if self.shards:
            return
        layout = read_layout(self.path)
        if layout is None or not layout_matches(layout, self.settings, self.n):
            if self.read_only:
                from ipai.search.engine import not_ready

                raise not_ready(Exception("no sharded index yet"))
            if layout is None:
                self.notice(f"no sharded index at {self.path}: building {self.n} shards from the store")
            layout = prepare_layout(self.settings, self.store, self.n, notice=self.notice)
        shards = [ShardIndex(self.settings, self.store, layout, k, notice=self.notice) for k in range(self.n)]
        for s in shards:
            s.read_only = self.read_only
            s._open_index()
        spec = self.settings.search_encoder
        self._encoder = (
            FrozenStaticUse.load(self.path / "encoder") if spec == "static-use" else make_encoder(spec)
        )
        self.shards = shards
        self.stats = GlobalStats(shards)
        from ipai.search.termspace import TermSpace

        self.termspace = TermSpace(self.path / "termspace")
        self.planner = Planner(self.stats, self._neighbours)

    def _neighbours(self, word: str, script: str, df: int = 0) -> list[tuple[str, float]]:
        """Corpus words of the other script that translate ``word`` (:func:`ipai.search.termspace.neighbours`)."""
        from ipai.search.termspace import neighbours

        return neighbours(self.termspace, self._encoder, word, script, df)

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
            return learn(self.settings, self.termspace, self.encoder)

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

    # ---- what the shared half asks of the shards (ipai.search.engine_base) ----------------------
    def _ready(self) -> None:
        self._open()

    def _query_index(self) -> QueryIndex:
        return self.stats

    def _indexed_seq(self) -> int:
        return min(int(s.state.get("seq", 0)) for s in self.shards)

    def _vector_search(
        self, qvec: np.ndarray, n: int, constraint: Any | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Nearest global keys of a vector over every shard (one shared encoder, so cosines compare)."""
        per = self._map(lambda k: self.shards[k].vectors.search(qvec, n, self.shards[k]._allowed(constraint)))
        keys, sc = _merge(per, self.n, n)
        return np.asarray(keys, dtype=np.int64), np.asarray([sc[k] for k in keys], dtype=np.float32)

    def _own_key(self, doc_id: str) -> int:
        home = shard_of(doc_id, self.n)
        own = self.shards[home].docmap.live_iids([doc_id]).get(doc_id)
        return -1 if own is None else own * self.n + home

    def _stored_vector(self, key: int) -> np.ndarray:
        return self.shards[key % self.n].vectors.vector(key // self.n)

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

    def kw_among(self, query: Any, keys: list[int]) -> set[int]:
        """Which global keys match a keyword query (each shard checks its own)."""
        by: dict[int, list[int]] = {}
        for key in keys:
            by.setdefault(key % self.n, []).append(key // self.n)
        out: set[int] = set()
        for k, iids in by.items():
            out |= {i * self.n + k for i in self.shards[k].kw_among(query, iids)}
        return out

    def doc_ids(self, keys: list[int]) -> dict[int, str]:
        """Document id of each global key."""
        by_shard: dict[int, list[int]] = {}
        for key in keys:
            by_shard.setdefault(key % self.n, []).append(key // self.n)
        out: dict[int, str] = {}
        for k, iids in by_shard.items():
            out.update({iid * self.n + k: d for iid, d in self.shards[k].docmap.doc_ids(iids).items()})
        return out

    # ---- text measures for scenarios (the rest are EngineBase's) -------------------------------
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
