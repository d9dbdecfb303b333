"""Service: one object per settings, owning the store; every front end goes through it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import IO, Any

from ipai.errors import InputError, NotFound
from ipai.ingest.pipeline import Ingester, IngestSummary, ProgressFn
from ipai.ingest.registry import readers
from ipai.ingest.repair import RepairProgress, RepairSummary, repair_stored
from ipai.model import PatentDocument, Trademark, dump_record, parse_pubno
from ipai.service.analytics import AnalyticsMixin
from ipai.service.applicants import ApplicantsMixin
from ipai.service.checker import CheckerMixin
from ipai.service.deals import DealsMixin
from ipai.service.draft import DraftMixin
from ipai.service.evidence import EvidenceMixin
from ipai.service.explain import ExplainMixin
from ipai.service.filters import Filters, with_filters
from ipai.service.fto import FtoMixin
from ipai.service.images import ImagesMixin
from ipai.service.industry import IndustryMixin
from ipai.service.manage import ManageMixin
from ipai.service.match import MatchMixin
from ipai.service.monitor import MonitorMixin
from ipai.service.qa import QaMixin
from ipai.service.search_export import SearchExportMixin
from ipai.service.search_tools import SearchToolsMixin
from ipai.service.searches import SearchesMixin
from ipai.service.security import SecurityMixin
from ipai.service.status import COLLAPSE_DEPTH, StatusMixin, check_collapse
from ipai.service.tasks import TaskRunner
from ipai.service.triz import TrizMixin
from ipai.service.value import ValueMixin
from ipai.settings import Settings, load_settings
from ipai.store import Store, open_store


class Service(
    AnalyticsMixin,
    ValueMixin,
    MatchMixin,
    MonitorMixin,
    ImagesMixin,
    FtoMixin,
    EvidenceMixin,
    CheckerMixin,
    DraftMixin,
    TrizMixin,
    QaMixin,
    SecurityMixin,
    ManageMixin,
    ExplainMixin,
    DealsMixin,
    IndustryMixin,
    StatusMixin,
    SearchToolsMixin,
    SearchesMixin,
    SearchExportMixin,
    ApplicantsMixin,
):
    """Use cases over one store."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or load_settings()
        self._store: Store | None = None
        self._search: Any = None
        self._tasks: TaskRunner | None = None
        self.notice: Any = lambda msg: None  # front ends set this to show messages (rebuilds…)

    @property
    def store(self) -> Store:
        """The store, opened (and migrated) on first use."""
        if self._store is None:
            self.settings.home.mkdir(parents=True, exist_ok=True)
            self._store = open_store(self.settings)
        return self._store

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
        self._facts_cache = None

    # ---- search --------------------------------------------------------------------------
    @property
    def search_engine(self) -> Any:
        """The hybrid search engine over this store (index opened on first use); with
        ``index_shards`` > 1 the sharded one, which queries the shards in parallel."""
        if self._search is None:
            if self.settings.index_shards > 1:
                from ipai.search.sharded import ShardedSearchEngine

                self._search = ShardedSearchEngine(self.settings, self.store, notice=self.notice)
            else:
                from ipai.search.engine import SearchEngine

                self._search = SearchEngine(self.settings, self.store, notice=self.notice)
        return self._search

    def index(self, *, rebuild: bool = False, progress: Any = None) -> dict[str, Any]:
        """Build or refresh the search index (incremental unless ``rebuild``)."""
        return self.search_engine.refresh(rebuild=rebuild, progress=progress)

    def warm(self) -> None:
        """Load the search index and models before the first query (servers); no-op without an index."""
        from ipai.search.analysis import index_tokens
        from ipai.text.lang import detect

        detect("warm up the language identifier")
        index_tokens("预热中文分词", "zh")
        if (self.settings.home / "index").exists():
            self.search_engine.warm()

    def warm_analytics(self) -> None:
        """Read the landscape facts of the newest documents into memory (servers run this in the
        background at start, so that the first landscape does not pay for reading them), and the
        corpus counts of the dashboard."""
        self.stats()
        if not self.settings.analytics_cache_docs:
            return
        facts = self.facts_cache.get(self.store.recent_ids(self.settings.analytics_cache_docs))
        from ipai.analytics.entities.keys import org_tokens

        for f in facts:  # applicant keys are memoised: fill them too
            for a in f.applicants:
                org_tokens(a)
        self.value_scores(self.store.recent_ids(1))  # the valuation reference (matching shows value scores)

    def index_status(self) -> dict[str, Any]:
        """Index size, pending changes and encoder."""
        return self.search_engine.status()

    def search(
        self,
        query: str,
        *,
        top: int = 10,
        offset: int = 0,
        mode: str = "hybrid",
        cross_lingual: bool = True,
        filters: Filters | dict[str, Any] | None = None,
        collapse: str | None = None,
        today: Any = None,
    ) -> Any:
        """Hybrid search with the examiner syntax (see docs/search.md); ``filters`` (jurisdiction,
        years, class, applicant, language, type, status) are added as query clauses; hits carry
        their legal status on ``today`` (``status:`` clauses use it too); ``collapse="family"``
        gives one row per family with its members."""
        import time

        from ipai.search.query.parser import parse_query

        if not query or not query.strip():
            raise InputError("empty query", errors=[{"field": "q", "message": "empty"}], code="empty_query")
        if not 1 <= top <= 1000:
            raise InputError(
                "top must be between 1 and 1000",
                errors=[{"field": "top", "message": "out of range"}],
                code="range",
                params={"lo": 1, "hi": 1000},
            )
        if not 0 <= offset <= 10_000:
            raise InputError(
                "offset must be between 0 and 10000",
                errors=[{"field": "offset", "message": "out of range"}],
                code="range",
                params={"lo": 0, "hi": 10000},
            )
        t0 = time.perf_counter()
        node = parse_query(query)
        flt = filters if isinstance(filters, Filters) else Filters.from_mapping(filters or {})
        if not flt.is_empty():
            node = with_filters(node, flt)
        node = self.resolve_query(node, today)
        collapse = check_collapse(collapse)
        depth = min(1000, (offset + top) * COLLAPSE_DEPTH) if collapse else top
        res = self.search_engine.search_node(
            node, top=depth, offset=0 if collapse else offset, mode=mode, cross_lingual=cross_lingual
        )
        self.annotate_hits(res, today)
        if collapse:
            self.collapse_hits(res, top=top, offset=offset, today=today)
        res.query = query
        if offset == 0 and (not res.hits or res.missing):
            res.suggestions = self._nothing_found(
                query, res, flt, mode, cross_lingual, spelling_only=bool(res.hits)
            )
        res.took_ms = round((time.perf_counter() - t0) * 1000, 2)
        return res

    def _nothing_found(
        self, query: str, res: Any, flt: Filters, mode: str, cross_lingual: bool, spelling_only: bool = False
    ) -> dict[str, Any]:
        """What to try when a search found nothing (or some of its words are in no document):
        spellings of the words no document has (and the query with them); when nothing was
        found, also the query without each filter that is set (with its count) and the forms of
        the query's concepts in other languages."""
        from dataclasses import fields as dc_fields

        from ipai.search.didyoumean import spellings
        from ipai.search.query.parser import parse_query

        out: dict[str, Any] = {"spelling": [], "query": None, "without_filter": [], "terms": []}
        fixed = query
        for word in res.missing:
            alts = spellings(self.search_engine.encoder, word)
            if alts:
                out["spelling"].append({"word": word, "alternatives": alts})
                fixed = fixed.replace(word, alts[0], 1)
        if fixed != query:
            out["query"] = fixed
        if spelling_only:
            return out
        set_filters = [f.name for f in dc_fields(flt) if getattr(flt, f.name) not in (None, "")]
        if set_filters:
            node = parse_query(query)
            options = [[n] for n in set_filters] + ([set_filters] if len(set_filters) > 1 else [])
            for drop in options:
                kept = Filters(**{f: getattr(flt, f) for f in set_filters if f not in drop})
                probe = with_filters(node, kept) if not kept.is_empty() else node
                r = self.search_engine.search_node(
                    probe, top=1, mode=mode, cross_lingual=cross_lingual, fetch=False
                )
                if r.hits:
                    out["without_filter"].append({"drop": drop, "total": r.total})
        out["terms"] = [
            {"for": c["text"], "term": f["text"], "lang": f["lang"], "documents": f["documents"]}
            for c in res.concepts
            for f in c["forms"]
            if f["source"] != "query" and f["documents"]
        ][:6]
        return out

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

    # ---- assessment ----------------------------------------------------------------------------
    def assess(
        self,
        text: str,
        *,
        top: int = 10,
        query: str | None = None,
        cross_lingual: bool = True,
        as_disclosure: bool = False,
        lang: str | None = None,
    ) -> dict[str, Any]:
        """Patentability report for a disclosure or claim (see docs/assess.md); ``as_disclosure``
        reads the text as prose even when it looks like a claim (the drafter's input); ``lang``
        (en, zh) is the reader's language of reasons and errors (default: the text's)."""
        from ipai.assess.report import assess_text

        self.search_engine.ensure_fresh()
        return assess_text(
            self.search_engine,
            text,
            top=top,
            query=query,
            classify=self._classes_or_none,
            cross_lingual=cross_lingual,
            as_disclosure=as_disclosure,
            lang=lang,
        )

    def _classes_or_none(self, text: str) -> list[dict[str, Any]] | None:
        """Suggested classes when a classification model has been trained, else ``None``."""
        try:
            return self.classify(text, top=5)
        except Exception:  # noqa: BLE001 - a report without classes is still a report
            return None

    def suggest_classes(self, text: str, *, top: int = 3) -> list[dict[str, Any]]:
        """Classes to offer as search filters for a query ([] until a model is trained)."""
        return (self._classes_or_none(text) or [])[:top]

    def classify(self, text: str, *, top: int = 5) -> list[dict[str, Any]]:
        """IPC/CPC subclasses suggested for a text by the newest trained model."""
        return self.classify_detail(text, top=top)["suggestions"]

    def classify_detail(self, text: str, *, top: int = 5) -> dict[str, Any]:
        """Suggestions for a text with its language and the model that made them."""
        from ipai.classify import load_latest
        from ipai.text.inputs import check_text
        from ipai.text.lang import detect

        body = check_text(text)
        model = load_latest(self.settings)
        info = model.info()
        return {
            "text": body if len(body) <= 500 else body[:500] + "…",
            "lang": detect(body, default="en"),
            "suggestions": [s.to_json() for s in model.predict([body], top=top)[0]],
            "model": {
                "scheme": info.get("scheme"),
                "trained": info.get("trained"),
                "documents": info.get("documents"),
                "labels": info.get("labels"),
                "groups": info.get("groups"),
                "threshold": info["calibration"]["threshold"],
                "format_version": info.get("format_version"),
            },
        }

    def train_classifier(
        self, *, scheme: str = "any", min_docs: int = 3, max_docs: int = 8000, progress: Any = None
    ) -> dict[str, Any]:
        """Train a classification model on the store's classified documents (new versioned file)."""
        from ipai.classify import train_from_store

        return train_from_store(
            self.store, self.settings, scheme, progress, min_docs=min_docs, max_docs=max_docs
        )

    def start_train_classifier(self, *, scheme: str = "any") -> dict[str, Any]:
        """Train in the background; returns the task."""

        def work(report: Any) -> dict[str, Any]:
            return self.train_classifier(
                scheme=scheme, progress=lambda st, d, t: report(phase=st, done=d, total=t)
            )

        return self.tasks.submit("classify-train", {"scheme": scheme}, work)

    def classifier_models(self) -> list[dict[str, Any]]:
        """Trained model files, newest last."""
        from ipai.classify import list_models

        return list_models(self.settings)

    # ---- background tasks -------------------------------------------------------------------
    @property
    def tasks(self) -> TaskRunner:
        """The background-task runner (ingest and index jobs of the API and web UI)."""
        if self._tasks is None:
            self._tasks = TaskRunner(
                self.store,
                max_queued=self.settings.task_queue_max,
                per_user=self.settings.task_queue_per_user,
            )
        return self._tasks

    def start_ingest(
        self, paths: list[Path], *, fmt: str | None = None, force: bool = False, label: str | None = None
    ) -> dict[str, Any]:
        """Ingest in the background; returns the task (poll :meth:`task` for progress). Uploaded
        files (under ``<home>/uploads``) are deleted when the task ends, loaded or rejected."""
        from ipai.service.uploads import discard_uploads

        if not paths:
            raise InputError("nothing to ingest: give at least one file or folder")
        missing = [Path(p).name for p in paths if not Path(p).exists()]
        if missing:
            discard_uploads(self.settings, paths)
            raise InputError(
                f"not found: {missing[0]}", errors=[{"field": "paths", "message": m} for m in missing]
            )

        def work(report: Any) -> dict[str, Any]:
            try:
                return ingest(report)
            finally:
                discard_uploads(self.settings, paths)

        def ingest(report: Any) -> dict[str, Any]:
            state = {"file": "", "base": 0, "last": 0}

            def progress(name: str, n: int, idx: int) -> None:
                if name != state["file"]:
                    state["base"] += state["last"]
                    state["file"], state["last"] = name, 0
                state["last"] = n
                report(phase="ingest", file=name, files=idx + 1, records=state["base"] + n)

            summary = Ingester(self.store, self.settings, force=force, fmt=fmt, progress=progress).run(
                [Path(p) for p in paths]
            )
            out = summary.to_json()
            out["rejects"] = [r.to_json() for r in self.store.rejects_for(job_id=summary.job_id)[:100]]
            if summary.loaded or summary.updated:
                report(phase="index", done=0, total=summary.loaded + summary.updated)
                out["index"] = self.index(progress=lambda d, t: report(phase="index", done=d, total=t))
            report(phase="finished")
            return out

        try:
            return self.tasks.submit(
                "ingest",
                {"files": [Path(p).name for p in paths], "format": fmt, "force": force, "label": label},
                work,
            )
        except BaseException:
            discard_uploads(self.settings, paths)
            raise

    def start_index(self, *, rebuild: bool = False) -> dict[str, Any]:
        """Build or refresh the search index in the background; returns the task."""

        def work(report: Any) -> dict[str, Any]:
            return self.index(rebuild=rebuild, progress=lambda d, t: report(phase="index", done=d, total=t))

        return self.tasks.submit("index", {"rebuild": rebuild}, work)

    def task(self, task_id: str) -> dict[str, Any]:
        """One background task with its progress; :class:`NotFound` if unknown."""
        return self.tasks.get(task_id)

    def list_tasks(self, *, limit: int = 20, offset: int = 0) -> list[dict[str, Any]]:
        """Background tasks, newest first."""
        return self.tasks.list(limit=limit, offset=offset)

    def save_upload(self, name: str, stream: IO[bytes]) -> Path:
        """Store an uploaded file under ``<home>/uploads`` (size-limited by ``upload_max_mb``);
        returns its path. Raises :class:`TooLarge` and keeps nothing when it is over the limit."""
        from ipai.service.uploads import save_upload

        return save_upload(self.settings, name, stream)

    def save_uploads(self, files: list[tuple[str, IO[bytes]]]) -> list[Path]:
        """Store several uploaded files (see :meth:`save_upload`): all of them, or none when one
        is refused."""
        from ipai.service.uploads import discard_uploads

        paths: list[Path] = []
        try:
            for name, stream in files:
                paths.append(self.save_upload(name, stream))
        except BaseException:
            discard_uploads(self.settings, paths)
            raise
        return paths

    def image(self, number: str, n: int) -> Any:
        """Drawing ``n`` (0-based) of a document from the media store, browser-ready
        (:class:`ipai.service.uploads.ServedImage`)."""
        from ipai.service.uploads import document_image

        return document_image(self.settings, self.resolve(number), n)

    # ---- ingest --------------------------------------------------------------------------
    def ingest(
        self,
        paths: list[Path],
        *,
        force: bool = False,
        fmt: str | None = None,
        progress: ProgressFn | None = None,
    ) -> IngestSummary:
        """Load files, folders and zips; returns the job summary."""
        if not paths:
            raise InputError("nothing to ingest: give at least one file or folder")
        seq = self.store.max_seq()
        summary = Ingester(self.store, self.settings, force=force, fmt=fmt, progress=progress).run(paths)
        if (self.settings.home / "index").exists() and (summary.loaded or summary.updated):
            summary.index = self.index()  # keep an existing search index current
            try:  # new documents matching open demands are pushed (in-app and webhook)
                self.notify_new_documents(seq)
            except Exception:  # noqa: BLE001 - never lose an ingest over a notification
                import logging

                logging.getLogger("ipai.match").exception("match notifications after ingest failed")
        if summary.loaded or summary.updated:
            try:  # every watchlist is evaluated on what this ingest changed (alerts, then their push)
                self.run_watchlists(since=seq, after_ingest=True)
            except Exception:  # noqa: BLE001 - never lose an ingest over a watchlist
                import logging

                logging.getLogger("ipai.monitor").exception("watchlist evaluation after ingest failed")
        return summary

    def repair_text(self, *, dry_run: bool = False, progress: RepairProgress | None = None) -> RepairSummary:
        """Re-apply the ingest text hygiene (mojibake repair, garbled texts marked) to the stored
        documents, no files needed; the search index, if any, is refreshed. Returns the summary."""
        summary = repair_stored(self.store, dry_run=dry_run, progress=progress)
        if not dry_run and summary.updated and (self.settings.home / "index").exists():
            summary.index = self.index()
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

    def show(self, number: str) -> dict[str, Any]:
        """A document as JSON plus where it came from."""
        import json

        doc = self.resolve(number)
        return {
            "document": json.loads(dump_record(doc)),
            "provenance": self.store.document_sources(doc.id),
            "legal_status": self.status_of(doc).to_dict(),
            "family": self.family_of(doc),
        }

    def health(self) -> dict[str, Any]:
        """Counts and index state, cheaply (no grouping queries)."""
        index = self.index_status() if (self.settings.home / "index").exists() else None
        return {
            "documents": self.store.count_documents(),
            "trademarks": self.store.count_trademarks(),
            "index": index,
        }

    def existing(self, ids: list[str]) -> set[str]:
        """Which of these document ids are in the store (e.g. to link citations)."""
        return self.store.existing_ids(list(ids))

    def documents(self, *, offset: int = 0, limit: int = 20, country: str | None = None) -> dict[str, Any]:
        """A page of stored documents (newest first) with the total and the next offset."""
        if not 1 <= limit <= 500 or offset < 0:
            raise InputError(
                "limit must be 1–500 and offset ≥ 0", errors=[{"field": "limit", "message": "out of range"}]
            )
        items, total = self.store.list_documents(offset=offset, limit=limit, country=country)
        nxt = offset + limit if offset + limit < total else None
        return {"items": items, "total": total, "offset": offset, "limit": limit, "next_offset": nxt}

    def trademark(self, tm_id: str) -> Trademark:
        """A trademark by id (``TM-EM000001123`` or ``EM000001123``)."""
        key = tm_id if tm_id.startswith("TM-") else f"TM-{tm_id}"
        tm = self.store.get_trademark(key)
        if tm is None:
            raise NotFound(
                f"no trademark {tm_id!r} in the store",
                code="not_found_in_store",
                params={"what": "trademark", "id": tm_id},
            )
        return tm

    def stats(self) -> dict[str, Any]:
        """Corpus counts by jurisdiction, language, kind, year, section and source. Kept until a
        document or trademark is added, changed or removed (the store's change number and counts,
        three cheap reads, say so): the grouped counts take ~1 s on 50k documents (the dashboard)."""
        import copy

        key = (self.store.max_seq(), self.store.count_documents(), self.store.count_trademarks())
        cached = getattr(self, "_stats", None)
        if cached is None or cached[0] != key:
            cached = self._stats = (key, self.store.stats())
        return copy.deepcopy(cached[1])

    def export(self, out: IO[str], *, what: str = "all", media: Path | None = None) -> int:
        """Write canonical JSONL; returns the number of records written. With ``media`` (a folder
        beside the output file) the drawings are copied there and named relative to the output."""
        from ipai.service.uploads import export_drawings

        n = 0
        for rec in self._records(what):
            if media is not None and isinstance(rec, PatentDocument):
                rec = export_drawings(self.settings, rec, media)
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


def results_json(res: Any, *, top: int, offset: int, filters: dict[str, Any] | None = None) -> dict[str, Any]:
    """Search results in the API's shape (the CLI's ``--json`` prints the same keys)."""
    d = asdict(res)
    d["results"] = d.pop("hits")
    more = len(d["results"]) == top and (res.total_keyword > offset + top or res.mode != "keyword")
    return {
        "ok": True,
        **d,
        "offset": offset,
        "top": top,
        "next_offset": offset + top if more else None,
        "filters": {k: v for k, v in (filters or {}).items() if v not in (None, "")},
    }
