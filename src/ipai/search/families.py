"""The stored documents that share a family token with one document, read straight from the
keyword index files: ``ipai show`` needs this one lookup, and opening the search engine for it
(numpy, the encoder, the vectors, the term space) cost more than everything else the command
does. The answer is the engine's own — the same tantivy query the planner builds for
``fam:`` filters (:meth:`ipai.search.plan.Planner._match`, compiled as a flat SHOULD list of the
tokens some document has), its best ``limit`` hits and its count — or ``None`` whenever the engine
would do something first (build, rebuild or catch up with the store) or the index is not the
single file-backed kind: the caller then asks the engine."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from typing import Any

from ipai.search.docmap import INDEX_VERSION

FIELD = "fam"


def family_members(settings: Any, store: Any, tokens: list[str], limit: int) -> tuple[list[str], int] | None:
    """(ids, total) as ``engine.match_ids`` answers for ``fam:`` tokens (best first, at most
    ``limit``), or None when only the engine can answer."""
    path = settings.home / "index"
    url = getattr(store, "url", None) or settings.store_url
    if settings.index_shards > 1 or settings.vector_backend == "pgvector" or not url.startswith("sqlite"):
        return None
    if not tokens or not (path / "docmap.sqlite").is_file() or not (path / "keyword").is_dir():
        return None
    try:
        with closing(sqlite3.connect(path / "docmap.sqlite", timeout=60)) as db:
            state = {k: json.loads(v) for k, v in db.execute("SELECT key, value FROM state")}
            if not _current(settings, store, state, path, db):
                return None
            import tantivy

            index = tantivy.Index.open(str(path / "keyword"))
            searcher: Any = index.searcher()  # (as the engine's KeywordIndex: its stub lacks count)
            alive = int(db.execute("SELECT COUNT(*) FROM vec WHERE alive = 1").fetchone()[0])
            if int(searcher.num_docs) != alive:  # damaged: the engine rebuilds it
                return None
            parts = [
                tantivy.Query.term_query(index.schema, FIELD, t)
                for t in tokens
                if searcher.doc_freq(FIELD, t) > 0
            ]
            if not parts:
                query = tantivy.Query.empty_query()
            elif len(parts) == 1:
                query = parts[0]
            else:
                query = tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in parts], None)
            res = searcher.search(query, limit, count=True)
            addrs = [a for _, a in res.hits]
            keys = [int(k) for k in searcher.fast_field_values("iid", addrs)] if addrs else []
            ids = _doc_ids(db, keys)
    except Exception:  # a file the engine would find damaged (and rebuild): its way
        return None
    return [ids[k] for k in keys if k in ids], int(res.count or 0)


def _current(settings: Any, store: Any, state: dict[str, Any], path: Any, db: sqlite3.Connection) -> bool:
    """Whether the engine would open this index as it is, without refreshing it first."""
    encoder = state.get("encoder") or {}
    if state.get("version") != INDEX_VERSION or encoder.get("name") != settings.search_encoder:
        return False  # (rebuilt by the engine)
    if (state.get("vectors") or {}).get("backend", "file") != "file":
        return False
    rows = int(db.execute("SELECT COUNT(*) FROM vec").fetchone()[0])
    vectors = path / "vectors" / "vectors.f16"
    have = vectors.stat().st_size // (2 * int(encoder.get("dim") or 1)) if vectors.exists() else 0
    if have < rows:
        return False
    return int(store.max_seq()) <= int(state.get("seq", 0))  # else the engine indexes the changes


def _doc_ids(db: sqlite3.Connection, keys: list[int]) -> dict[int, str]:
    out: dict[int, str] = {}
    for s in range(0, len(keys), 500):
        part = keys[s : s + 500]
        q = f"SELECT iid, doc_id FROM vec WHERE iid IN ({','.join('?' * len(part))})"
        out.update({int(i): d for i, d in db.execute(q, part)})
    return out
