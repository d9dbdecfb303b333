"""The single-index search engine: keyword (tantivy BM25) + semantic (encoder + ANN) over the store.

The index lives in ``<home>/index`` and is disposable: it is built from the store, refreshed
incrementally from the store's change sequence after every ingest, and rebuilt (with a message)
when it is missing or damaged. Searching itself is :class:`ipai.search.engine_base.EngineBase`'s,
shared with the sharded engine; both satisfy :class:`ipai.search.protocol.SearchEngine`.
"""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from ipai.errors import BackendError, IpaiError
from ipai.search.build import Preparer
from ipai.search.docfields import Prepared
from ipai.search.docmap import INDEX_VERSION, DocMap
from ipai.search.engine_base import CANDIDATES, FRESH_CHECK_S, EngineBase, Parallel
from ipai.search.keyword.tantivy_index import KeywordIndex
from ipai.search.plan import Planner, QueryIndex
from ipai.search.protocol import CorpusSource, Notice, Progress
from ipai.search.results import (
    Hit,
    Results,
    concept_info,
    full_match_query,
    make_hit,
    page_results,
    ranked_hits,
    similar_results,
)
from ipai.search.vector.base import VectorIndex
from ipai.search.vector.encoders import Encoder, StaticUseEncoder, make_encoder
from ipai.search.vector.factory import (
    VectorBackend,
    create_vectors,
    drop_vectors,
    load_vectors,
    resolve_backend,
)
from ipai.search.vector.wordcache import WordCache
from ipai.settings import Settings

CHUNK = 2_000
COMMIT_EVERY = 50_000
SHARDS_DIR = "shards"  # a sharded index lives in this folder of the index folder (ipai.search.shards)

_POOL: ThreadPoolExecutor | None = None


def _pool() -> ThreadPoolExecutor:
    """One helper thread for running the semantic side beside the keyword side."""
    global _POOL
    if _POOL is None:
        _POOL = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ipai-search")
    return _POOL


class IndexDamaged(Exception):
    """The index on disk cannot be used as it is."""


def not_ready(exc: Exception) -> BackendError:
    """503 for a process that only reads an index another process is building or replacing."""
    return BackendError(
        f"the search index is being built or updated ({exc}); try again shortly", code="index_not_ready"
    )


class SingleSearchEngine(EngineBase):
    """Hybrid search over one store (or, with a ``path`` of its own, one shard of a sharded index:
    :mod:`ipai.search.shards`)."""

    chunk = CHUNK  # documents analysed and added together
    commit_every = COMMIT_EVERY  # documents between checkpoints of a refresh
    learns_terms = True  # keeps a term space (ipai.search.termspace); shards leave it to the sharded engine

    def __init__(
        self, settings: Settings, store: CorpusSource, notice: Notice | None = None, path: Path | None = None
    ) -> None:
        self.settings = settings
        self.store = store
        self.path = path or settings.home / "index"
        self.notice = notice or (lambda msg: None)
        self._lock = threading.RLock()
        self._open = False
        self._checked = -1e9
        self._backend: VectorBackend | None = None
        # set when the index opens (_load or _reset)
        self.docmap: DocMap
        self.keyword: KeywordIndex
        self.vectors: VectorIndex
        self._encoder: Encoder
        self.state: dict[str, Any]

    # ---- lifecycle ---------------------------------------------------------------------------
    def _open_index(self) -> None:
        if self._open:
            return
        try:
            self._load()
        except IndexDamaged as exc:
            if self.read_only:  # the writer process builds it; this process only reads
                raise not_ready(exc) from exc
            self.notice(f"search index at {self.path} cannot be used ({exc}); rebuilding it from the store")
            self._reset()
        self._open = True

    def _load(self) -> None:
        if not (self.path / "docmap.sqlite").exists():
            raise IndexDamaged("no index yet") if self.path.exists() else IndexDamaged("missing")
        try:
            self.docmap = DocMap(self.path / "docmap.sqlite")
            state = self.docmap.get_state()
            if state.get("version") != INDEX_VERSION:
                raise IndexDamaged(f"index format {state.get('version')} is not {INDEX_VERSION}")
            if state.get("encoder", {}).get("name") != self.settings.search_encoder:
                raise IndexDamaged(
                    f"built with encoder {state.get('encoder', {}).get('name')}, "
                    f"settings ask for {self.settings.search_encoder}"
                )
            self._encoder = self._make_encoder(self.path / "encoder")
            self.keyword = KeywordIndex(self.path / "keyword")
            self.vectors = load_vectors(
                self.vector_backend(), state.get("vectors"), self.path / "vectors", self._encoder.dim
            )
            self.vectors.open(self.docmap.count(), self.docmap.alive_mask())
            live = int(self.vectors.alive.sum())
            if self.keyword.num_docs() != live:
                raise IndexDamaged(f"keyword index has {self.keyword.num_docs()} documents, vectors {live}")
            self.state = state
        except (IndexDamaged, IpaiError):  # an unreachable PostgreSQL or a bad setting is no damage
            raise
        except Exception as exc:  # tantivy, numpy, sqlite or json errors on damaged files
            raise IndexDamaged(f"{type(exc).__name__}: {exc}") from exc
        self.planner = self._planner()

    def _planner(self) -> Planner:
        from ipai.search.termspace import TermSpace

        self.termspace = TermSpace(self.path / "termspace")
        return Planner(self.keyword, self._neighbours)

    def _neighbours(self, word: str, script: str, df: int = 0) -> list[tuple[str, float]]:
        """Corpus words of the other script that translate ``word`` (:func:`ipai.search.termspace.neighbours`)."""
        from ipai.search.termspace import neighbours

        return neighbours(self.termspace, self._encoder, word, script, df)

    def learn_terms(self) -> dict[str, Any]:
        """Bring the term space up to the index's vocabulary (new words only; cached by content)."""
        from ipai.search.termspace import learn

        if not self.learns_terms:
            return {"termspace": "off"}
        with self._lock:
            self._open_index()
            return learn(self.settings, self.termspace, self._encoder)

    def _reset(self) -> None:
        backend, previous = self.vector_backend(), None
        if getattr(self, "vectors", None) is not None:
            self.vectors.close()
        if getattr(self, "docmap", None) is not None:
            try:
                previous = self.docmap.get_state().get("vectors")
            except Exception:  # a damaged or closed map: no table of the old index is known
                previous = None
            self.docmap.close()
        drop_vectors(backend, previous)
        _clear(self.path)
        self.docmap = DocMap(self.path / "docmap.sqlite")
        self._encoder = self._make_encoder(None)
        self.keyword = KeywordIndex(self.path / "keyword")
        self.vectors = create_vectors(backend, self.path / "vectors", self._encoder.dim)
        self.state = {
            "version": INDEX_VERSION,
            "seq": 0,
            "encoder": self._encoder.describe(),
            "vectors": self.vectors.describe(),
        }
        self.docmap.set_state(**self.state)
        self.docmap.commit()
        self.planner = self._planner()

    def warm(self) -> None:
        """Open the index and load the models a first query would otherwise wait for (the
        multilingual encoder used for words the corpus never had): servers call this at start."""
        from ipai.search.vector.use import use_encode

        with self._lock:
            self._open_index()
        use_encode(["warm up"])

    def close(self) -> None:
        """Release files and connections."""
        if self._open:
            self.docmap.close()
            self.vectors.close()
            self._open = False

    def vector_backend(self) -> VectorBackend:
        """Where vectors live, as the ``vector_backend`` setting resolves for this store (once)."""
        if self._backend is None:
            url = getattr(self.store, "url", None) or self.settings.store_url
            self._backend = resolve_backend(self.settings, url)
        return self._backend

    def _make_encoder(self, saved: Path | None) -> Encoder:
        """The semantic encoder: loaded from ``saved`` (the index's own files), or a new one."""
        return make_encoder(self.settings.search_encoder, saved)

    def _changes(self, since: int) -> Iterator[tuple[int, str]]:
        """The store's documents changed after ``since`` that this index holds (all of them)."""
        return self.store.iter_changed_raw(since, batch=self.chunk)

    def _pending(self, since: int) -> int:
        """How many changes after ``since`` are still to be indexed."""
        return self.store.count_changed(since)

    # ---- what the shared half asks of this index (ipai.search.engine_base) ---------------------
    @property
    def encoder(self) -> Encoder:
        """The semantic encoder (opens the index; no lock once it is open: the ranker's helper
        thread encodes the query while the searching thread holds the lock)."""
        if not self._open:
            with self._lock:
                self._open_index()
        return self._encoder

    def _ready(self) -> None:
        self._open_index()

    def _query_index(self) -> QueryIndex:
        return self.keyword

    def _indexed_seq(self) -> int:
        return int(self.state.get("seq", 0))

    def _vector_search(
        self, qvec: np.ndarray, n: int, constraint: Any | None
    ) -> tuple[np.ndarray, np.ndarray]:
        return self.vectors.search(qvec, n, self._allowed(constraint))

    def _own_key(self, doc_id: str) -> int:
        return self.docmap.live_iids([doc_id]).get(doc_id, -1)

    def _own_keys(self, doc_ids: list[str]) -> dict[str, int]:
        return self.docmap.live_iids(doc_ids)

    def _stored_vector(self, key: int) -> np.ndarray:
        return self.vectors.vector(key)

    def _parallel(self) -> Parallel:
        return lambda fn: _pool().submit(fn)

    # ---- indexing ----------------------------------------------------------------------------
    def status(self) -> dict[str, Any]:
        """Documents indexed, pending changes, encoder, location."""
        with self._lock:
            self._open_index()
            seq = int(self.state.get("seq", 0))
            return {
                "path": str(self.path),
                "documents": int(self.vectors.alive.sum()),
                "seq": seq,
                "pending": self._pending(seq),
                "encoder": self.state.get("encoder"),
                "ann": self.vectors.ann,
                "vectors": self.vectors.describe() | self.vector_backend().status(),
            }

    def refresh(
        self, *, rebuild: bool = False, progress: Progress | None = None, learn: bool = True
    ) -> dict[str, Any]:
        """Index what changed in the store since the last refresh (everything on ``rebuild``);
        ``learn``: then bring the term space up to date (``learn_terms``; its time is reported apart)."""
        with self._lock:
            t0 = time.perf_counter()
            self._open_index()
            if rebuild:
                self._reset()
            since = int(self.state.get("seq", 0))
            total = self._pending(since)
            start = self.vectors.n
            rows = ((seq, text, start + k) for k, (seq, text) in enumerate(self._changes(since)))
            preparer = Preparer(total, self.settings.index_workers or None)
            words = self._word_cache()
            encode = words.wrap(preparer.encode_words) if words else preparer.encode_words
            done = added = replaced = 0
            chunk: list[tuple[int, Prepared]] = []
            last_commit, last_seq = 0, since
            try:
                for seq, prep in preparer.run(rows):
                    chunk.append((seq, prep))
                    last_seq = seq
                    if len(chunk) >= self.chunk:
                        a, r = self._index_chunk(chunk, encode)
                        added, replaced, done = added + a, replaced + r, done + len(chunk)
                        chunk = []
                        if done - last_commit >= self.commit_every:
                            self._commit(last_seq)
                            last_commit = done
                        if progress:
                            progress(done, total)
                if chunk:
                    a, r = self._index_chunk(chunk, encode)
                    added, replaced, done = added + a, replaced + r, done + len(chunk)
            finally:
                preparer.close()
                if words:
                    words.close()
            if done:
                self._commit(last_seq)
                self.vectors.sync()
            if progress:
                progress(done, total)
            dt = time.perf_counter() - t0
            out = {
                "indexed": done,
                "new": added,
                "replaced": replaced,
                "seconds": round(dt, 3),
                "docs_per_s": round(done / dt, 1) if dt and done else None,
                "documents": int(self.vectors.alive.sum()),
            }
            if words:
                out |= {"words_encoded": words.encoded, "words_cached": words.reused}
        if learn and (done or not self.termspace.ready):
            out |= self.learn_terms()
        return out

    def _word_cache(self) -> WordCache | None:
        """Where the static encoder's word vectors are kept between builds (None: other encoders)."""
        if not isinstance(self._encoder, StaticUseEncoder):
            return None
        return WordCache(self.settings.encoder_cache_path.parent / "use-words.sqlite")

    def _index_chunk(
        self, chunk: list[tuple[int, Prepared]], encode: Callable[[list[str]], np.ndarray]
    ) -> tuple[int, int]:
        prepared = [p for _, p in chunk]
        ids = [p.keyword.id for p in prepared]
        old = self.docmap.live_iids(ids)
        toks = [p.vector_tokens for p in prepared]
        self._encoder.observe(toks, encode)
        if self._encoder.ready_to_fit() and self.vectors.n == 0 and len(prepared) >= 200:
            self._encoder.fit(toks)
        vecs = self._encoder.encode_docs(toks, [p.vector_text for p in prepared])
        new_iids = self.vectors.add(vecs)
        if int(new_iids[0]) != prepared[0].keyword.iid:
            raise IndexDamaged("vector rows and document ids went out of step")
        self.vectors.kill(np.asarray(list(old.values()), dtype=np.int64))
        self.docmap.replace(ids, new_iids, list(old.values()))
        self.keyword.upsert([p.keyword for p in prepared], indexed=old.keys())
        return len(prepared) - len(old), len(old)

    def _commit(self, seq: int) -> None:
        self.keyword.commit()
        self._encoder.save(self.path / "encoder")
        self.state["seq"] = seq
        self.docmap.set_state(**self.state)
        self.docmap.commit()

    # ---- the ranker's view of this engine (ipai.search.rank.Side) ---------------------------------
    def kw_search(self, query: Any, n: int, count: bool) -> tuple[np.ndarray, np.ndarray, int]:
        """Best keys of a keyword query (keys are vector rows)."""
        return self.keyword.search(query, n, count=count)

    def kw_among(self, query: Any, keys: list[int]) -> set[int]:
        """Which of the keys match a keyword query."""
        if not keys:
            return set()
        q = self.keyword.boolean([("must", query), ("must", self.keyword.among(keys))])
        iids, _, _ = self.keyword.search(q, len(keys), count=False)
        return set(iids.tolist())

    def doc_ids(self, keys: list[int]) -> dict[int, str]:
        """The document id of each key (a vector row)."""
        return self.docmap.doc_ids(keys)

    def doc_vectors(self, ids: list[str]) -> tuple[list[str], np.ndarray]:
        """Stored semantic vectors of documents (those indexed), as float32 rows."""
        with self._lock:
            self._open_index()
            live = self.docmap.live_iids(ids)
            keep = [i for i in ids if i in live]
            rows = np.asarray([live[i] for i in keep], dtype=np.int64)
            mat = (
                self.vectors.rows(np.sort(rows))
                if len(rows)
                else np.zeros((0, self._encoder.dim), dtype=np.float32)
            )
        order = np.argsort(rows)
        inv = np.empty_like(order)
        inv[order] = np.arange(len(order))
        return keep, mat[inv]

    def _allowed(self, constraint: Any | None) -> np.ndarray | None:
        if constraint is None:
            return None
        iids = self.keyword.matching_iids(constraint)
        mask = np.zeros(self.vectors.n, dtype=bool)
        iids = iids[iids < self.vectors.n]
        mask[iids] = True
        return mask


def _clear(path: Path) -> None:
    """Empty an index folder for a rebuild, keeping a sharded index nested in it (``shards/``)."""
    path.mkdir(parents=True, exist_ok=True)
    for child in path.iterdir():
        if child.name == SHARDS_DIR:
            continue
        if child.is_dir():
            shutil.rmtree(child)
        else:
            child.unlink()


def index_path(settings: Settings) -> Path:
    """Where the search index lives."""
    return settings.home / "index"


# the single engine's old name, kept importable for one release (the protocol both engines satisfy
# is ipai.search.protocol.SearchEngine)
SearchEngine = SingleSearchEngine

__all__ = [
    "CANDIDATES",
    "CHUNK",
    "INDEX_VERSION",
    "FRESH_CHECK_S",
    "SHARDS_DIR",
    "Hit",
    "IndexDamaged",
    "Notice",
    "Progress",
    "Results",
    "SearchEngine",
    "SingleSearchEngine",
    "concept_info",
    "full_match_query",
    "index_path",
    "make_hit",
    "page_results",
    "ranked_hits",
    "similar_results",
]
