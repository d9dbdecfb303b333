"""The search engine: keyword (tantivy BM25) + semantic (encoder + ANN) over the store.

The index lives in ``<home>/index`` and is disposable: it is built from the store, refreshed
incrementally from the store's change sequence after every ingest, and rebuilt (with a message)
when it is missing or damaged.
"""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ipai.errors import InputError, IpaiError, NotFound
from ipai.search.build import Preparer
from ipai.search.docfields import Prepared
from ipai.search.docmap import DocMap
from ipai.search.fusion import rrf
from ipai.search.highlight import Passage, abstract_start, highlights
from ipai.search.keyword.tantivy_index import KeywordIndex
from ipai.search.plan import Plan, Planner
from ipai.search.rank import Ranking, rank
from ipai.search.vector.encoders import make_encoder
from ipai.search.vector.factory import (
    VectorBackend,
    create_vectors,
    drop_vectors,
    load_vectors,
    resolve_backend,
)
from ipai.settings import Settings
from ipai.store import Store

INDEX_VERSION = 4  # 2: an all-text field; 3: words inside long Chinese words; 4: legal status and families
CHUNK = 2_000
COMMIT_EVERY = 50_000
CANDIDATES = 100
FRESH_CHECK_S = 2.0
SHARDS_DIR = "shards"  # a sharded index lives in this folder of the index folder (ipai.search.shards)
Notice = Callable[[str], None]
Progress = Callable[[int, int], None]


_POOL: Any = None


def _pool() -> Any:
    """One helper thread for running the semantic side beside the keyword side."""
    global _POOL
    if _POOL is None:
        from concurrent.futures import ThreadPoolExecutor

        _POOL = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ipai-search")
    return _POOL


class IndexDamaged(Exception):
    """The index on disk cannot be used as it is."""


@dataclass
class Hit:
    """One search result."""

    id: str
    rank: int
    score: float
    title: str = ""
    pubno: str = ""
    date: str | None = None
    langs: list[str] = field(default_factory=list)
    applicants: list[str] = field(default_factory=list)
    classes: list[str] = field(default_factory=list)
    matched: dict[str, int | None] = field(default_factory=dict)  # rank in each list
    highlights: list[Passage] = field(default_factory=list)
    concepts: int | None = None  # concepts of the query the document carries (None: one-word query)
    meaning: float | None = None  # e5 similarity, when the hit was found by meaning alone and verified
    status: dict[str, Any] | None = None  # legal status (ipai.status; set by the service for a day)
    family: dict[str, Any] | None = None  # with collapse=family: the family's key and other members
    abstract: str | None = None  # the start of the abstract (ipai.search.highlight.abstract_start)


@dataclass
class Results:
    """A page of results and how it was obtained."""

    query: str
    mode: str
    hits: list[Hit]
    total_keyword: int
    took_ms: float
    lang: str | None = None
    cross_lingual: bool = True
    total: int = 0  # documents that carry a concept of the query and satisfy the filters
    total_all: int | None = None  # … that carry every concept (queries of two or more concepts)
    concepts: list[dict[str, Any]] = field(default_factory=list)  # each concept, its forms and translations
    missing: list[str] = field(default_factory=list)  # concepts no document has
    semantic_only: bool = False  # no document has the words: the hits (if any) are close in meaning, verified
    suggestions: dict[str, Any] | None = (
        None  # when nothing was found: spellings, filters to drop, other forms
    )
    families: int | None = None  # with collapse=family: families among the results looked at


def concept_info(plan: Plan) -> tuple[list[dict[str, Any]], list[str]]:
    """The plan's concepts as shown to a searcher (forms with source and language), and the
    concepts no indexed document has."""
    info, missing = [], []
    for c in plan.concepts:
        forms = c.forms + [f for p in c.parts for f in p.forms]
        info.append(
            {
                "text": c.text,
                "lang": c.lang,
                "field": c.field,
                "required": c.required,
                "documents": c.df,
                "forms": [
                    {"text": f.text, "lang": f.lang, "source": f.source, "documents": f.df} for f in forms
                ],
            }
        )
        if c.df == 0 and not c.parts:
            missing.append(c.text)
    return info, missing


class SearchEngine:
    """Hybrid search over one store (or, with a ``path`` of its own, one shard of a sharded index:
    :mod:`ipai.search.shards`)."""

    chunk = CHUNK  # documents analysed and added together
    commit_every = COMMIT_EVERY  # documents between checkpoints of a refresh
    learns_terms = True  # keeps a term space (ipai.search.termspace); shards leave it to the sharded engine

    def __init__(
        self, settings: Settings, store: Store, notice: Notice | None = None, path: Path | None = None
    ) -> None:
        self.settings = settings
        self.store = store
        self.path = path or settings.home / "index"
        self.notice = notice or (lambda msg: None)
        self._lock = threading.RLock()
        self._open = False
        self._checked = -1e9
        self._backend: VectorBackend | None = None

    # ---- lifecycle ---------------------------------------------------------------------------
    def _open_index(self) -> None:
        if self._open:
            return
        try:
            self._load()
        except IndexDamaged as exc:
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
            self.encoder = self._make_encoder(self.path / "encoder")
            self.keyword = KeywordIndex(self.path / "keyword")
            self.vectors = load_vectors(
                self.vector_backend(), state.get("vectors"), self.path / "vectors", self.encoder.dim
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

        return neighbours(self.termspace, self.encoder, word, script, df)

    def learn_terms(self) -> dict[str, Any]:
        """Bring the term space up to the index's vocabulary (new words only; cached by content)."""
        from ipai.search.termspace import learn

        if not self.learns_terms:
            return {"termspace": "off"}
        with self._lock:
            self._open_index()
            return learn(self.settings, self.termspace, self.encoder)

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
        self.encoder = self._make_encoder(None)
        self.keyword = KeywordIndex(self.path / "keyword")
        self.vectors = create_vectors(backend, self.path / "vectors", self.encoder.dim)
        self.state = {
            "version": INDEX_VERSION,
            "seq": 0,
            "encoder": self.encoder.describe(),
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

    def _make_encoder(self, saved: Path | None) -> Any:
        """The semantic encoder: loaded from ``saved`` (the index's own files), or a new one."""
        return make_encoder(self.settings.search_encoder, saved)

    def _changes(self, since: int) -> Iterator[tuple[int, str]]:
        """The store's documents changed after ``since`` that this index holds (all of them)."""
        return self.store.iter_changed_raw(since, batch=self.chunk)

    def _pending(self, since: int) -> int:
        """How many changes after ``since`` are still to be indexed."""
        return self.store.count_changed(since)

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
            done = added = replaced = 0
            chunk: list[tuple[int, Prepared]] = []
            last_commit, last_seq = 0, since
            try:
                for seq, prep in preparer.run(rows):
                    chunk.append((seq, prep))
                    last_seq = seq
                    if len(chunk) >= self.chunk:
                        a, r = self._index_chunk(chunk, preparer)
                        added, replaced, done = added + a, replaced + r, done + len(chunk)
                        chunk = []
                        if done - last_commit >= self.commit_every:
                            self._commit(last_seq)
                            last_commit = done
                        if progress:
                            progress(done, total)
            finally:
                preparer.close()
            if chunk:
                a, r = self._index_chunk(chunk, preparer)
                added, replaced, done = added + a, replaced + r, done + len(chunk)
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
        if learn and (done or not self.termspace.ready):
            out |= self.learn_terms()
        return out

    def _index_chunk(self, chunk: list[tuple[int, Prepared]], preparer: Preparer) -> tuple[int, int]:
        prepared = [p for _, p in chunk]
        ids = [p.keyword.id for p in prepared]
        old = self.docmap.live_iids(ids)
        toks = [p.vector_tokens for p in prepared]
        self.encoder.observe(toks, preparer.encode_words)
        if self.encoder.ready_to_fit() and self.vectors.n == 0 and len(prepared) >= 200:
            self.encoder.fit(toks)
        vecs = self.encoder.encode_docs(toks, [p.vector_text for p in prepared])
        new_iids = self.vectors.add(vecs)
        if int(new_iids[0]) != prepared[0].keyword.iid:
            raise IndexDamaged("vector rows and document ids went out of step")
        self.vectors.kill(np.asarray(list(old.values()), dtype=np.int64))
        self.docmap.replace(ids, new_iids, list(old.values()))
        self.keyword.upsert([p.keyword for p in prepared])
        return len(prepared) - len(old), len(old)

    def _commit(self, seq: int) -> None:
        self.keyword.commit()
        self.encoder.save(self.path / "encoder")
        self.state["seq"] = seq
        self.docmap.set_state(**self.state)
        self.docmap.commit()

    def ensure_fresh(self) -> None:
        """Build a missing index, or catch up with the store after ingests (checked at most
        every ``FRESH_CHECK_S`` seconds: a store query per search would cost more than the search)."""
        with self._lock:
            self._open_index()
            now = time.monotonic()
            if now - self._checked < FRESH_CHECK_S:
                return
            self._checked = now
            if self.store.max_seq() > int(self.state.get("seq", 0)):
                self.refresh(
                    learn=False
                )  # a search does not wait for new words' vectors: ipai index learns them

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
                parallel=lambda fn: _pool().submit(fn),
            )
        return self._results(node, plan, r, mode, top, offset, fetch, explain, cross_lingual, t0)

    def _results(
        self,
        node: Any,
        plan: Plan,
        r: Ranking,
        mode: str,
        top: int,
        offset: int,
        fetch: bool,
        explain: bool,
        cross_lingual: bool,
        t0: float,
    ) -> Results:
        return page_results(self, node, plan, r, mode, top, offset, fetch, explain, cross_lingual, t0)

    def plan(self, node: Any, cross_lingual: bool = True) -> Plan:
        """The plan of a parsed query; same-language search adds the query's language as a filter."""
        plan = self.planner.plan(node, translate=cross_lingual)
        if not cross_lingual and plan.lang:
            kw = self.planner.kw
            lang_q = kw.compile(kw.term("lang", plan.lang))
            plan.constraint = (
                lang_q
                if plan.constraint is None
                else self.keyword.boolean([("must", plan.constraint), ("must", lang_q)])
            )
            plan.tiers = [self.keyword.boolean([("must", t), ("must", lang_q)]) for t in plan.tiers]
            plan.keyword = plan.tiers[-1] if plan.tiers else None
        return plan

    def _weights(self) -> dict[str, float]:
        return {
            "keyword": self.settings.search_keyword_weight,
            "semantic": self.settings.search_semantic_weight,
        }

    def _verifier(self) -> Any:
        from ipai.search.verify import Verifier

        return Verifier(self.settings, self.store, self._doc_ids)

    # ---- the ranker's view of this engine (ipai.search.rank.Side) ---------------------------------
    def kw_search(self, query: Any, n: int, count: bool) -> tuple[np.ndarray, np.ndarray, int]:
        """Best keys of a keyword query (keys are vector rows)."""
        return self.keyword.search(query, n, count=count)

    def sem_search(self, text: str, n: int, constraint: Any | None) -> tuple[np.ndarray, np.ndarray]:
        """Nearest documents of a text in the semantic index."""
        qvec = self.encoder.encode_query(self._qtokens(text), text)
        return self.vectors.search(qvec, n, self._allowed(constraint))

    def kw_among(self, query: Any, keys: list[int]) -> set[int]:
        """Which of the keys match a keyword query."""
        if not keys:
            return set()
        q = self.keyword.boolean([("must", query), ("must", self.keyword.among(keys))])
        iids, _, _ = self.keyword.search(q, len(keys), count=False)
        return set(iids.tolist())

    def meaning(self, plan: Plan, keys: list[int]) -> dict[int, float]:
        """Meaning scores of documents against the query (``search_rerank`` encoder)."""
        from ipai.search.meaning import meaning_scores

        ids = self._doc_ids(keys)
        docs = self.store.get_documents(list(ids.values()))
        by_key = {k: docs[i] for k, i in ids.items() if i in docs}
        return meaning_scores(plan, by_key, self.settings.search_rerank, self.settings.encoder_cache_path)

    def _doc_ids(self, keys: list[int]) -> dict[int, str]:
        return self.docmap.doc_ids(keys)

    # ---- text measures for scenarios (assessment, matching) ---------------------------------------
    def idf(self, tokens: list[str]) -> dict[str, float]:
        """BM25-style inverse document frequency of index tokens over the whole corpus
        (a token no document has gets the highest weight)."""
        with self._lock:
            self._open_index()
            n = max(self.keyword.num_docs(), 1)
            out = {}
            for t in set(tokens):
                df = self.keyword.doc_freq("text", t)
                out[t] = float(np.log(1 + (n - df + 0.5) / (df + 0.5)))
            return out

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit vectors of short texts in the semantic space (Chinese and English comparable)."""
        with self._lock:
            self._open_index()
            vecs = [self.encoder.encode_query(self._qtokens(t), t) for t in texts]
        out = np.asarray(vecs, dtype=np.float32).reshape(len(texts), -1)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-9)

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
            iids, _, total = self.keyword.search(q, limit, count=True)
            ids = self.docmap.doc_ids([int(i) for i in iids])
        return [ids[int(i)] for i in iids if int(i) in ids], int(total)

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
                else np.zeros((0, self.encoder.dim), dtype=np.float32)
            )
        order = np.argsort(rows)
        inv = np.empty_like(order)
        inv[order] = np.arange(len(order))
        return keep, mat[inv]

    def documents(self, ids: list[str]) -> dict[str, Any]:
        """Stored documents by id (for scenarios that need whole texts of hits)."""
        return self.store.get_documents(ids)

    @staticmethod
    def _qtokens(text: str) -> list[str]:
        from ipai.search.analysis import vector_tokens

        return vector_tokens(text)

    def _allowed(self, constraint: Any | None) -> np.ndarray | None:
        if constraint is None:
            return None
        iids = self.keyword.matching_iids(constraint)
        mask = np.zeros(self.vectors.n, dtype=bool)
        iids = iids[iids < self.vectors.n]
        mask[iids] = True
        return mask

    def _hits(
        self,
        ranked: list[tuple[int, float]],
        ranks: dict[str, dict[int, int]],
        terms: list[str],
        first: int = 1,
    ) -> list[Hit]:
        return ranked_hits(
            self.store, ranked, self.docmap.doc_ids([i for i, _ in ranked]), ranks, terms, first
        )

    def similar(self, doc_id: str, *, top: int = 10, mode: str = "hybrid") -> Results:
        """Documents like a stored one (more-like-this): its own vector and its distinctive terms."""
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
            lists: dict[str, list[int]] = {}
            if mode in ("hybrid", "keyword") and plan.keyword is not None:
                iids, _, _ = self.keyword.search(plan.keyword, CANDIDATES + 1)
                lists["keyword"] = list(iids)
            if mode in ("hybrid", "semantic"):
                own = self.docmap.live_iids([doc.id])
                q = (
                    self.vectors.vector(own[doc.id])
                    if doc.id in own
                    else self.encoder.encode_query(self._qtokens(text), text)
                )
                iids, _ = self.vectors.search(q, CANDIDATES + 1)
                lists["semantic"] = list(iids)
            own_iid = self.docmap.live_iids([doc.id]).get(doc.id, -1)
            lists = {k: [i for i in v if i != own_iid] for k, v in lists.items()}
            fused = rrf(
                lists,
                weights={
                    "keyword": self.settings.search_keyword_weight,
                    "semantic": self.settings.search_semantic_weight,
                },
            )
            ranks = {name: {int(i): r for r, i in enumerate(lst, 1)} for name, lst in lists.items()}
        return similar_results(self, doc, fused, ranks, mode, top, t0)


def similar_results(
    eng: Any,
    doc: Any,
    fused: list[tuple[int, float]],
    ranks: dict[str, dict[int, int]],
    mode: str,
    top: int,
    t0: float,
) -> Results:
    """More-like-this results: in hybrid mode the fused candidates ordered by invention (e5,
    :func:`ipai.search.meaning.by_invention`); each hit's ``meaning`` is its e5 similarity."""
    from ipai.search.meaning import SIMILAR_POOL, by_invention

    sims: dict[int, float] = {}
    if mode == "hybrid" and fused:
        head = [k for k, _ in fused[:SIMILAR_POOL]]
        ids = eng._doc_ids(head)
        stored = eng.store.get_documents(list(ids.values()))
        fused, sims = by_invention(
            doc, fused, {k: stored[i] for k, i in ids.items() if i in stored}, eng.settings.encoder_cache_path
        )
    hits = eng._hits(fused[:top], ranks, [])
    keys = {i: k for k, i in eng._doc_ids([k for k, _ in fused[:top]]).items()}
    for h in hits:
        if keys.get(h.id) in sims:
            h.meaning = round(sims[keys[h.id]], 4)
    return Results(
        query=f"similar:{doc.id}",
        mode=mode,
        hits=hits,
        total_keyword=0,
        took_ms=round((time.perf_counter() - t0) * 1000, 2),
    )


def page_results(
    eng: Any,
    node: Any,
    plan: Plan,
    r: Ranking,
    mode: str,
    top: int,
    offset: int,
    fetch: bool,
    explain: bool,
    cross_lingual: bool,
    t0: float,
) -> Results:
    """A page of a ranking as result lines (``eng``: an engine with ``_hits`` and ``_doc_ids``)."""
    page = r.ranked[offset : offset + top]
    ids = eng._doc_ids([i for i, _ in page])
    if fetch:
        hits = eng._hits(page, r.ranks, plan.terms if explain else [], first=offset + 1)
    else:
        hits = [Hit(id=ids[i], rank=n, score=sc) for n, (i, sc) in enumerate(page, offset + 1) if i in ids]
    keys = {doc_id: k for k, doc_id in ids.items()}
    for h in hits:
        k = keys.get(h.id)
        if k is not None and plan.concept_queries:
            h.concepts = r.carried.get(k)
        if k is not None and k in r.verified:
            h.meaning = round(r.verified[k], 4)
    info, missing = concept_info(plan)
    return Results(
        query=getattr(node, "text", ""),
        mode=mode,
        hits=hits,
        total_keyword=r.total,
        took_ms=round((time.perf_counter() - t0) * 1000, 2),
        lang=plan.lang,
        cross_lingual=cross_lingual,
        total=r.total,
        total_all=r.total_all,
        concepts=info,
        missing=missing,
        semantic_only=r.semantic_only,
    )


def full_match_query(plan: Plan) -> Any | None:
    """The keyword query of documents carrying (nearly) all concepts, else the plan's keyword or
    filter query."""
    if plan.concept_queries and plan.tiers:
        return (
            plan.tiers[0]
            if plan.full() == len(plan.concept_queries)
            else plan.tiers[min(1, len(plan.tiers) - 1)]
        )
    return plan.keyword if plan.keyword is not None else plan.constraint


def ranked_hits(
    store: Store,
    ranked: list[tuple[int, float]],
    ids: dict[int, str],
    ranks: dict[str, dict[int, int]],
    terms: list[str],
    first: int = 1,
) -> list[Hit]:
    """Result lines of ranked (key, score) pairs, ``ids`` giving each key's document id; keys
    whose document is gone are skipped."""
    docs = store.get_documents([ids[k] for k, _ in ranked if k in ids])
    hits = []
    for pos, (key, score) in enumerate(ranked, first):
        doc = docs.get(ids.get(key, ""))
        if doc is not None:
            hits.append(make_hit(doc, pos, score, {k: v.get(key) for k, v in ranks.items()}, terms))
    return hits


def make_hit(doc: Any, rank: int, score: float, matched: dict[str, int | None], terms: list[str]) -> Hit:
    """A result line for a stored document (``matched``: its rank in each list)."""
    date = doc.publication_date or doc.grant_date
    return Hit(
        id=doc.id,
        rank=rank,
        score=round(score, 6),
        title=doc.title,
        pubno=str(doc.pubno),
        date=date.isoformat() if date else None,
        langs=doc.languages,
        applicants=[p.name for p in (doc.applicants or doc.assignees)[:3]],
        classes=(doc.codes("cpc") or doc.codes("ipc"))[:4],
        matched=matched,
        highlights=highlights(doc, terms) if terms else [],
        abstract=abstract_start(doc),
    )


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
