"""Service: one object per settings, owning the store; every front end goes through it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from ipai.errors import InputError, NotFound
from ipai.ingest.pipeline import IngestSummary, Ingester, ProgressFn
from ipai.ingest.registry import readers
from ipai.model import PatentDocument, Trademark, dump_record, parse_pubno
from ipai.settings import Settings, load_settings
from ipai.store import Store, open_store


class Service:
    """Use cases over one store."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or load_settings()
        self._store: Store | None = None
        self._search: Any = None
        self.notice: Any = lambda msg: None  # front ends set this to show messages (rebuilds…)

    @property
    def store(self) -> Store:
        """The store, opened (and migrated) on first use."""
        if self._store is None:
            self.settings.home.mkdir(parents=True, exist_ok=True)
            self._store = open_store(self.settings)
        return self._store

    def close(self) -> None:
        """Release the search index and the store."""
        if self._search is not None:
            self._search.close()
            self._search = None
        if self._store is not None:
            self._store.close()
            self._store = None

    # ---- search --------------------------------------------------------------------------
    @property
    def search_engine(self) -> Any:
        """The hybrid search engine over this store (index opened on first use)."""
        if self._search is None:
            from ipai.search.engine import SearchEngine

            self._search = SearchEngine(self.settings, self.store, notice=self.notice)
        return self._search

    def index(self, *, rebuild: bool = False, progress: Any = None) -> dict[str, Any]:
        """Build or refresh the search index (incremental unless ``rebuild``)."""
        return self.search_engine.refresh(rebuild=rebuild, progress=progress)

    def index_status(self) -> dict[str, Any]:
        """Index size, pending changes and encoder."""
        return self.search_engine.status()

    def search(self, query: str, *, top: int = 10, offset: int = 0, mode: str = "hybrid",
               cross_lingual: bool = True) -> Any:
        """Hybrid search with the examiner syntax (see docs/search.md)."""
        if not query or not query.strip():
            raise InputError("empty query")
        if not 1 <= top <= 1000:
            raise InputError("top must be between 1 and 1000")
        return self.search_engine.search(query, top=top, offset=offset, mode=mode, cross_lingual=cross_lingual)

    def similar(self, number: str, *, top: int = 10, mode: str = "hybrid") -> Any:
        """Documents like a stored one."""
        doc = self.resolve(number)
        return self.search_engine.similar(doc.id, top=top, mode=mode)

    def expand(self, term: str, *, top: int = 20) -> list[Any]:
        """Associated terms for a query term."""
        from ipai.search.expand import suggest

        if not term or not term.strip():
            raise InputError("empty term")
        self.search_engine.ensure_fresh()
        return suggest(self.search_engine, term.strip(), top)

    # ---- ingest --------------------------------------------------------------------------
    def ingest(self, paths: list[Path], *, force: bool = False, fmt: str | None = None,
               progress: ProgressFn | None = None) -> IngestSummary:
        """Load files, folders and zips; returns the job summary."""
        if not paths:
            raise InputError("nothing to ingest: give at least one file or folder")
        summary = Ingester(self.store, self.settings, force=force, fmt=fmt, progress=progress).run(paths)
        if (self.settings.home / "index").exists() and (summary.loaded or summary.updated):
            summary.index = self.index()  # keep an existing search index current
        return summary

    @staticmethod
    def formats() -> list[dict[str, Any]]:
        """Supported source formats."""
        return [{"name": r.name, "description": r.description, "priority": r.priority} for r in readers()]

    # ---- read ----------------------------------------------------------------------------
    def resolve(self, number: str) -> PatentDocument:
        """A document from any spelling of its publication number (``US 8,926,509 B2``,
        ``US8926509``, ``EP3404678B1``); raises :class:`NotFound` or an ambiguity error."""
        try:
            pn = parse_pubno(number)
        except InputError as exc:
            raise InputError(f"not a publication number: {number!r}") from exc
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
            raise InputError(f"{number!r} matches several publications ({ids}); add the kind code")
        raise NotFound(f"no document {number!r} in the store")

    def show(self, number: str) -> dict[str, Any]:
        """A document as JSON plus where it came from."""
        import json

        doc = self.resolve(number)
        return {"document": json.loads(dump_record(doc)),
                "provenance": self.store.document_sources(doc.id)}

    def trademark(self, tm_id: str) -> Trademark:
        """A trademark by id (``TM-EM000001123`` or ``EM000001123``)."""
        key = tm_id if tm_id.startswith("TM-") else f"TM-{tm_id}"
        tm = self.store.get_trademark(key)
        if tm is None:
            raise NotFound(f"no trademark {tm_id!r} in the store")
        return tm

    def stats(self) -> dict[str, Any]:
        """Corpus counts by jurisdiction, language, kind, year, section and source."""
        return self.store.stats()

    def export(self, out: IO[str], *, what: str = "all") -> int:
        """Write canonical JSONL; returns the number of records written."""
        n = 0
        for rec in self._records(what):
            out.write(dump_record(rec) + "\n")
            n += 1
        return n

    def _records(self, what: str) -> Iterator[PatentDocument | Trademark]:
        if what not in ("all", "patents", "trademarks"):
            raise InputError(f"unknown export selection {what!r}: use all, patents or trademarks")
        if what in ("all", "patents"):
            yield from self.store.iter_documents()
        if what in ("all", "trademarks"):
            yield from self.store.iter_trademarks()
