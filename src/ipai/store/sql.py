"""SQL store (SQLAlchemy Core): embedded SQLite by default; the same code serves PostgreSQL."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from ipai.errors import BackendError
from ipai.model import PatentDocument, Trademark, dump_record, load_record
from ipai.store import schema as S
from ipai.store.base import FileCheckpoint, Reject, SourceRecord, Store, UpsertCounts
from ipai.store.deals import DealsSql
from ipai.store.evidence import EvidenceSql
from ipai.store.manage import ManageSql
from ipai.store.merge import merge_sources
from ipai.store.monitor import MonitorSql
from ipai.store.qa import QaSql
from ipai.store.searches import SearchesSql
from ipai.store.security import SecuritySql, tenant_where
from ipai.store.sources import SourcesSql
from ipai.store.transfer import TransferSql

_CHUNK = 400  # ids per IN (...) query, below every backend's parameter limit


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _chunks(items: list[Any], n: int = _CHUNK) -> Iterable[list[Any]]:
    for i in range(0, len(items), n):
        yield items[i : i + n]


class SqlStore(
    TransferSql,
    ManageSql,
    DealsSql,
    MonitorSql,
    EvidenceSql,
    QaSql,
    SecuritySql,
    SourcesSql,
    SearchesSql,
    Store,
):
    """Store on a SQLAlchemy engine; schema managed by Alembic migrations."""

    def __init__(self, url: str) -> None:
        self.url = url
        try:
            self.engine: Engine = _make_engine(url)
            migrate(self.engine)
        except sa.exc.OperationalError as exc:
            shown = sa.engine.make_url(url).render_as_string(hide_password=True)
            raise BackendError(f"cannot open store {shown}: {exc.orig}") from exc

    # ---- documents -----------------------------------------------------------------------
    def write_batch(
        self,
        records: list[SourceRecord],
        *,
        job_id: int | None,
        rejects: Iterable[Reject] = (),
        checkpoint: FileCheckpoint | None = None,
    ) -> UpsertCounts:
        counts = UpsertCounts()
        patents = [r for r in records if isinstance(r.record, PatentDocument)]
        marks = [r for r in records if isinstance(r.record, Trademark)]
        with self.engine.begin() as conn:
            _lock_writers(conn)
            if patents:
                counts.add(self._upsert_patents(conn, patents, job_id))
            if marks:
                counts.add(self._upsert_trademarks(conn, marks, job_id))
            rej = list(rejects)
            if rej:
                self._insert_rejects(conn, rej, job_id, checkpoint.file_key if checkpoint else None)
            if checkpoint is not None:
                for k, v in (
                    ("loaded", counts.loaded),
                    ("updated", counts.updated),
                    ("unchanged", counts.unchanged),
                    ("rejected", len(rej)),
                ):
                    checkpoint.counts[k] = checkpoint.counts.get(k, 0) + v
                self._save_checkpoint(conn, checkpoint, job_id)
        return counts

    def _upsert_patents(self, conn: Connection, recs: list[SourceRecord], job_id: int | None) -> UpsertCounts:
        counts = UpsertCounts()
        ids = sorted({r.record.id for r in recs})
        existing: dict[str, dict[str, tuple[int, Any]]] = {i: {} for i in ids}
        hashes: dict[str, str] = {}
        for chunk in _chunks(ids):
            for row in conn.execute(
                sa.select(
                    S.doc_sources.c.doc_id,
                    S.doc_sources.c.source,
                    S.doc_sources.c.priority,
                    S.doc_sources.c.data,
                ).where(S.doc_sources.c.doc_id.in_(chunk))
            ):
                existing[row.doc_id][row.source] = (row.priority, row.data)
            for row in conn.execute(
                sa.select(S.documents.c.id, S.documents.c.content_hash).where(S.documents.c.id.in_(chunk))
            ):
                hashes[row.id] = row.content_hash
        stored = list(hashes)  # documents that exist before this batch
        shared = self._fill_shared(conn, existing)  # sources stored as "same as the document"
        source_rows: dict[tuple[str, str], dict[str, Any]] = {}
        stale_sources: list[tuple[str, str]] = []
        pending: dict[str, tuple[PatentDocument, str, str]] = {}
        for r in recs:
            doc_id = r.record.id
            text = r.json()
            old = existing[doc_id].get(r.source)
            if old is not None and old[1] == text and old[0] == r.priority and doc_id in hashes:
                counts.unchanged += 1
                continue
            if old is not None and (doc_id, r.source) not in source_rows:
                stale_sources.append((doc_id, r.source))
            existing[doc_id][r.source] = (r.priority, text)
            source_rows[(doc_id, r.source)] = {
                "doc_id": doc_id,
                "source": r.source,
                "format": r.format,
                "priority": r.priority,
                "data": text,
                "job_id": job_id,
                "file": r.file,
                "record": r.locator[:255],
            }
            if len(existing[doc_id]) == 1:  # the common case: one source, nothing to merge
                merged, merged_text = r.record, text
            else:
                merged = merge_sources([(p, s, json.loads(t)) for s, (p, t) in existing[doc_id].items()])
                merged_text = dump_record(merged)
            h = _hash(merged_text)
            if doc_id not in hashes:
                counts.loaded += 1
            elif hashes[doc_id] != h:
                counts.updated += 1
            else:
                counts.unchanged += 1
                continue
            hashes[doc_id] = h
            pending[doc_id] = (merged, merged_text, h)
        # a document's only source is stored once (in documents.data); with several, each keeps its own
        for (doc_id, _source), row in source_rows.items():
            if len(existing[doc_id]) == 1:
                row["data"] = None
        materialize = [
            {"i": d, "s": src, "d": existing[d][src][1]}
            for d, src in shared
            if len(existing[d]) > 1 and (d, src) not in source_rows
        ]
        if materialize:
            t = S.doc_sources
            conn.execute(
                t.update()
                .where(t.c.doc_id == sa.bindparam("i"), t.c.source == sa.bindparam("s"))
                .values(data=sa.bindparam("d")),
                materialize,
            )
        for chunk in _chunks(stale_sources):
            conn.execute(
                S.doc_sources.delete().where(
                    sa.tuple_(S.doc_sources.c.doc_id, S.doc_sources.c.source).in_(chunk)
                )
            )
        if source_rows:
            conn.execute(S.doc_sources.insert(), list(source_rows.values()))
        if pending:
            self._flush_docs(conn, pending, known=set(stored))
        return counts

    @staticmethod
    def _fill_shared(
        conn: Connection, existing: dict[str, dict[str, tuple[int, str | None]]]
    ) -> list[tuple[str, str]]:
        """Replace "same as the document" source rows (data NULL) by the document's text."""
        shared = [(d, src) for d, srcs in existing.items() for src, (_, t) in srcs.items() if t is None]
        ids = sorted({d for d, _ in shared})
        texts: dict[str, str] = {}
        for chunk in _chunks(ids):
            for row in conn.execute(
                sa.select(S.documents.c.id, S.documents.c.data).where(S.documents.c.id.in_(chunk))
            ):
                texts[row.id] = row.data
        for d, src in shared:
            prio = existing[d][src][0]
            existing[d][src] = (prio, texts[d])
        return shared

    def _flush_docs(
        self, conn: Connection, pending: dict[str, tuple[PatentDocument, str, str]], known: set[str]
    ) -> None:
        """Write the rows of new and changed documents (one final merge per id); rows of
        documents that existed before the batch are replaced."""
        now = _now()
        ids = sorted(pending)
        seq0 = int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(S.documents.c.seq), 0))).scalar_one())
        for chunk in _chunks([i for i in ids if i in known]):
            conn.execute(S.documents.delete().where(S.documents.c.id.in_(chunk)))
            for t in (S.doc_classes, S.doc_langs, S.doc_parties):
                conn.execute(t.delete().where(t.c.doc_id.in_(chunk)))
        docs, classes, langs, parts = [], [], [], []
        for n, doc_id in enumerate(ids, start=seq0 + 1):
            doc, text, h = pending[doc_id]
            pd = doc.publication_date or doc.grant_date
            docs.append(
                {
                    "id": doc_id,
                    "country": doc.pubno.country,
                    "number": doc.pubno.number,
                    "kind": doc.pubno.kind,
                    "doc_type": doc.doc_type,
                    "lang": doc.lang,
                    "pub_date": pd,
                    "pub_year": pd.year if pd else None,
                    "filing_date": doc.filing_date,
                    "family_id": doc.family_id,
                    "title": doc.title[:1000] or None,
                    "data": text,
                    "content_hash": h,
                    "updated_at": now,
                    "seq": n,
                    "brief": json.dumps(
                        doc.model_dump(mode="json", include=set(S.BRIEF_FIELDS), exclude_defaults=True),
                        ensure_ascii=False,
                        separators=(",", ":"),
                    ),
                }
            )
            seen: set[tuple[str, str]] = set()
            for c in doc.classifications:
                if (c.scheme, c.code) not in seen:
                    seen.add((c.scheme, c.code))
                    classes.append(
                        {"doc_id": doc_id, "scheme": c.scheme, "code": c.code, "section": c.section}
                    )
            langs.extend({"doc_id": doc_id, "lang": lg} for lg in doc.languages)
            for role, plist in (
                ("applicant", doc.applicants),
                ("assignee", doc.assignees),
                ("inventor", doc.inventors),
                ("agent", doc.agents),
            ):
                parts.extend(
                    {
                        "doc_id": doc_id,
                        "role": role,
                        "seq": i,
                        "name": p.name,
                        "name_norm": p.name_norm,
                        "kind": p.kind,
                    }
                    for i, p in enumerate(plist)
                )
        conn.execute(S.documents.insert(), docs)
        for t, rows in ((S.doc_classes, classes), (S.doc_langs, langs), (S.doc_parties, parts)):
            if rows:
                conn.execute(t.insert(), rows)

    def _upsert_trademarks(
        self, conn: Connection, recs: list[SourceRecord], job_id: int | None
    ) -> UpsertCounts:
        counts = UpsertCounts()
        latest: dict[str, SourceRecord] = {r.record.id: r for r in recs}
        ids = sorted(latest)
        hashes: dict[str, str] = {}
        for chunk in _chunks(ids):
            for row in conn.execute(
                sa.select(S.trademarks.c.id, S.trademarks.c.content_hash).where(S.trademarks.c.id.in_(chunk))
            ):
                hashes[row.id] = row.content_hash
        rows, now = [], _now()
        for r in recs:
            tm: Trademark = r.record  # type: ignore[assignment]
            text = r.json()
            h = _hash(text)
            if tm.id not in hashes:
                counts.loaded += 1
            elif hashes[tm.id] == h:
                counts.unchanged += 1
                continue
            else:
                counts.updated += 1
            hashes[tm.id] = h
            rows.append(
                {
                    "id": tm.id,
                    "office": tm.office,
                    "number": tm.number,
                    "mark_text": tm.mark_text,
                    "filing_date": tm.filing_date,
                    "data": text,
                    "content_hash": h,
                    "source": r.source,
                    "job_id": job_id,
                    "updated_at": now,
                }
            )
        if rows:
            final = {row["id"]: row for row in rows}
            for chunk in _chunks(list(final)):
                conn.execute(S.trademarks.delete().where(S.trademarks.c.id.in_(chunk)))
            conn.execute(S.trademarks.insert(), list(final.values()))
        return counts

    def get_document(self, doc_id: str) -> PatentDocument | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(S.documents.c.data).where(S.documents.c.id == doc_id)).first()
        return load_record(row.data) if row else None  # type: ignore[return-value]

    def find_documents(self, country: str, number: str) -> list[PatentDocument]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(S.documents.c.data)
                .where(S.documents.c.country == country, S.documents.c.number == number)
                .order_by(S.documents.c.id)
            ).all()
        return [load_record(r.data) for r in rows]  # type: ignore[misc]

    def get_trademark(self, tm_id: str) -> Trademark | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(S.trademarks.c.data).where(S.trademarks.c.id == tm_id)).first()
        return load_record(row.data) if row else None  # type: ignore[return-value]

    def _iter(self, table: sa.Table, batch: int) -> Iterator[Any]:
        last = ""
        while True:
            with self.engine.connect() as conn:
                rows = conn.execute(
                    sa.select(table.c.id, table.c.data)
                    .where(table.c.id > last)
                    .order_by(table.c.id)
                    .limit(batch)
                ).all()
            if not rows:
                return
            for r in rows:
                yield load_record(r.data)
            last = rows[-1].id

    def iter_documents(self, batch: int = 500) -> Iterator[PatentDocument]:
        return self._iter(S.documents, batch)

    def iter_changed_raw(self, since: int, batch: int = 500) -> Iterator[tuple[int, str]]:
        last = since
        while True:
            with self.engine.connect() as conn:
                rows = conn.execute(
                    sa.select(S.documents.c.seq, S.documents.c.data)
                    .where(S.documents.c.seq > last)
                    .order_by(S.documents.c.seq)
                    .limit(batch)
                ).all()
            if not rows:
                return
            for r in rows:
                yield int(r.seq), r.data
            last = int(rows[-1].seq)

    def max_seq(self) -> int:
        """The highest change number (0 for an empty store)."""
        with self.engine.connect() as conn:
            return int(
                conn.execute(sa.select(sa.func.coalesce(sa.func.max(S.documents.c.seq), 0))).scalar_one()
            )

    def recent_ids(self, limit: int) -> list[str]:
        d = S.documents
        with self.engine.connect() as conn:
            return [r[0] for r in conn.execute(sa.select(d.c.id).order_by(d.c.seq.desc()).limit(limit))]

    def count_changed(self, since: int) -> int:
        """How many documents were written after change number ``since``."""
        with self.engine.connect() as conn:
            return int(
                conn.execute(
                    sa.select(sa.func.count()).select_from(S.documents).where(S.documents.c.seq > since)
                ).scalar_one()
            )

    def get_documents(self, ids: list[str]) -> dict[str, PatentDocument]:
        """Several documents by key (missing ones are absent from the result)."""
        out: dict[str, PatentDocument] = {}
        with self.engine.connect() as conn:
            for chunk in _chunks(ids):
                for r in conn.execute(sa.select(S.documents.c.data).where(S.documents.c.id.in_(chunk))):
                    d = load_record(r.data)
                    out[d.id] = d  # type: ignore[index]
        return out

    def iter_trademarks(self, batch: int = 500) -> Iterator[Trademark]:
        return self._iter(S.trademarks, batch)

    def document_sources(self, doc_id: str) -> list[dict[str, Any]]:
        t = S.doc_sources
        with self.engine.connect() as conn:
            rows = (
                conn.execute(
                    sa.select(t.c.source, t.c.format, t.c.priority, t.c.file, t.c.record, t.c.job_id)
                    .where(t.c.doc_id == doc_id)
                    .order_by(t.c.priority.desc(), t.c.source)
                )
                .mappings()
                .all()
            )
        return [dict(r) for r in rows]

    def count_documents(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(S.documents)).scalar_one())

    def count_trademarks(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(S.trademarks)).scalar_one())

    def stats(self) -> dict[str, Any]:
        d, c, lg, src = S.documents, S.doc_classes, S.doc_langs, S.doc_sources
        n = sa.func.count()
        with self.engine.connect() as conn:

            def grouped(col: Any, *where: Any, count: Any = n) -> dict[str, int]:
                q = sa.select(col, count).where(*where).group_by(col).order_by(count.desc(), col)
                return {("" if k is None else str(k)): int(v) for k, v in conn.execute(q)}

            return {
                "documents": self.count_documents(),
                "trademarks": int(conn.execute(sa.select(n).select_from(S.trademarks)).scalar_one()),
                "by_jurisdiction": grouped(d.c.country),
                "by_language": grouped(lg.c.lang),
                "by_kind": self._by_kind(conn),
                "by_doc_type": grouped(d.c.doc_type),
                "by_year": dict(sorted(grouped(d.c.pub_year, d.c.pub_year.is_not(None)).items())),
                "by_section": dict(
                    sorted(
                        grouped(
                            c.c.section,
                            c.c.scheme.in_(["ipc", "cpc"]),
                            c.c.section.is_not(None),
                            count=sa.func.count(sa.distinct(c.c.doc_id)),
                        ).items()
                    )
                ),
                "by_source_format": grouped(src.c.format, count=sa.func.count(sa.distinct(src.c.doc_id))),
            }

    @staticmethod
    def _by_kind(conn: Connection) -> dict[str, int]:
        """Kind codes as published; a source that gave none shows the inferred letter ("A?")."""
        d = S.documents
        letter = sa.func.substr(d.c.id, sa.func.length(d.c.id), 1)
        q = sa.select(d.c.kind, letter, sa.func.count()).group_by(d.c.kind, letter)
        out: dict[str, int] = {}
        for kind, let, n in conn.execute(q):
            key = kind or f"{let}?"
            out[key] = out.get(key, 0) + int(n)
        return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))

    # ---- ingest bookkeeping --------------------------------------------------------------
    def start_job(self, args: dict[str, Any]) -> int:
        with self.engine.begin() as conn:
            res = conn.execute(
                S.ingest_jobs.insert().values(
                    started_at=_now(), status="running", args=json.dumps(args, ensure_ascii=False)
                )
            )
            return int(res.inserted_primary_key[0])

    def finish_job(self, job_id: int, status: str, summary: dict[str, Any]) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                S.ingest_jobs.update()
                .where(S.ingest_jobs.c.id == job_id)
                .values(finished_at=_now(), status=status, summary=json.dumps(summary, ensure_ascii=False))
            )

    def get_job(self, job_id: int) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = (
                conn.execute(sa.select(S.ingest_jobs).where(S.ingest_jobs.c.id == job_id)).mappings().first()
            )
        if not row:
            return None
        out = dict(row)
        for k in ("args", "summary"):
            out[k] = json.loads(out[k]) if out[k] else None
        return out

    def get_checkpoint(self, file_key: str) -> FileCheckpoint | None:
        t = S.ingest_files
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(t).where(t.c.file_key == file_key)).mappings().first()
        if not row:
            return None
        return FileCheckpoint(
            file_key=row["file_key"],
            path=row["path"],
            format=row["format"],
            status=row["status"],
            records_done=row["records_done"],
            counts={k: row[k] for k in ("loaded", "updated", "unchanged", "rejected")},
        )

    def set_checkpoint(self, cp: FileCheckpoint, job_id: int | None) -> None:
        with self.engine.begin() as conn:
            self._save_checkpoint(conn, cp, job_id)

    def _save_checkpoint(self, conn: Connection, cp: FileCheckpoint, job_id: int | None) -> None:
        t = S.ingest_files
        conn.execute(t.delete().where(t.c.file_key == cp.file_key))
        conn.execute(
            t.insert().values(
                file_key=cp.file_key,
                path=cp.path,
                format=cp.format,
                status=cp.status,
                records_done=cp.records_done,
                job_id=job_id,
                updated_at=_now(),
                **{k: cp.counts.get(k, 0) for k in ("loaded", "updated", "unchanged", "rejected")},
            )
        )

    def add_rejects(self, rejects: list[Reject], *, job_id: int | None, file_key: str | None) -> None:
        if rejects:
            with self.engine.begin() as conn:
                self._insert_rejects(conn, rejects, job_id, file_key)

    def _insert_rejects(
        self, conn: Connection, rejects: list[Reject], job_id: int | None, file_key: str | None
    ) -> None:
        now = _now()
        conn.execute(
            S.rejects.insert(),
            [
                {
                    "job_id": job_id,
                    "file_key": file_key,
                    "path": r.path,
                    "record": (r.record or "")[:255] or None,
                    "reason": r.reason,
                    "created_at": now,
                }
                for r in rejects
            ],
        )

    def rejects_for(self, *, job_id: int | None = None, file_keys: list[str] | None = None) -> list[Reject]:
        t = S.rejects
        conds = []
        if job_id is not None:
            conds.append(t.c.job_id == job_id)
        if file_keys:
            conds.append(t.c.file_key.in_(file_keys))
        if not conds:
            return []
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(t.c.path, t.c.record, t.c.reason).where(sa.or_(*conds)).order_by(t.c.id)
            ).all()
        return [Reject(path=r.path, record=r.record, reason=r.reason) for r in rows]

    def get_raw(self, ids: list[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        d = S.documents
        with self.engine.connect() as conn:
            for chunk in _chunks(ids):
                out.update(
                    (r.id, r.data) for r in conn.execute(sa.select(d.c.id, d.c.data).where(d.c.id.in_(chunk)))
                )
        return out

    def get_fields(self, ids: list[str], fields: tuple[str, ...]) -> dict[str, dict[str, Any]]:
        d = S.documents
        out: dict[str, dict[str, Any]] = {}
        if set(fields) <= set(S.BRIEF_FIELDS):  # the compact brief has them: read and parse it here
            with self.engine.connect() as conn:
                for chunk in _chunks(ids):
                    q = sa.select(d.c.id, sa.func.coalesce(d.c.brief, d.c.data)).where(d.c.id.in_(chunk))
                    for doc_id, text in conn.execute(q):
                        doc = json.loads(text)
                        out[doc_id] = {f: doc.get(f) for f in fields}
            return out
        if self.engine.dialect.name == "postgresql":  # the server extracts them (JSON operators)
            doc_json = sa.cast(d.c.data, sa.JSON)
            cols = [doc_json[f] for f in fields]
            with self.engine.connect() as conn:
                for chunk in _chunks(ids):
                    for doc_id, *vals in conn.execute(sa.select(d.c.id, *cols).where(d.c.id.in_(chunk))):
                        out[doc_id] = dict(zip(fields, vals, strict=False))
            return out
        if self.engine.dialect.name != "sqlite":  # any other backend: parse the JSON here
            for i, raw in self.get_raw(ids).items():
                doc = json.loads(raw)
                out[i] = {f: doc.get(f) for f in fields}
            return out
        # other fields: SQLite extracts them from the whole document in C, one parse per row
        col = (
            sa.func.json_extract(d.c.data, *[f"$.{f}" for f in fields])
            if len(fields) > 1
            else sa.func.json_array(sa.func.json_extract(d.c.data, f"$.{fields[0]}"))
        )
        with self.engine.connect() as conn:
            for chunk in _chunks(ids):
                for doc_id, arr in conn.execute(sa.select(d.c.id, col).where(d.c.id.in_(chunk))):
                    out[doc_id] = dict(zip(fields, json.loads(arr), strict=False))
        return out

    def existing_ids(self, ids: list[str]) -> set[str]:
        d = S.documents
        out: set[str] = set()
        with self.engine.connect() as conn:
            for i in range(0, len(ids), 500):
                out.update(r[0] for r in conn.execute(sa.select(d.c.id).where(d.c.id.in_(ids[i : i + 500]))))
        return out

    def list_documents(
        self, *, offset: int = 0, limit: int = 20, country: str | None = None
    ) -> tuple[list[dict[str, Any]], int]:
        d = S.documents
        cols = (d.c.id, d.c.country, d.c.number, d.c.kind, d.c.doc_type, d.c.lang, d.c.pub_date, d.c.title)
        where = [d.c.country == country.upper()] if country else []
        q = sa.select(*cols).where(*where).order_by(d.c.pub_date.desc().nulls_last(), d.c.id)
        with self.engine.connect() as conn:
            total = int(conn.execute(sa.select(sa.func.count()).select_from(d).where(*where)).scalar_one())
            rows = conn.execute(q.limit(limit).offset(offset)).mappings().all()
        return [{**r, "pub_date": r["pub_date"].isoformat() if r["pub_date"] else None} for r in rows], total

    _TASK_JSON = ("params", "progress", "result", "error")

    def save_task(self, task: dict[str, Any]) -> None:
        t = S.tasks
        row = {c.name: task.get(c.name) for c in t.c}  # a column, not its name, is what t.c yields
        for k in self._TASK_JSON:
            row[k] = None if row[k] is None else json.dumps(row[k], ensure_ascii=False)
        row["created_at"] = row["created_at"] or _now()
        with self.engine.begin() as conn:
            done = conn.execute(t.update().where(t.c.id == row["id"]).values(**row)).rowcount
            if not done:
                conn.execute(t.insert().values(**row))

    def get_task(self, task_id: str) -> dict[str, Any] | None:
        t = S.tasks
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(t).where(t.c.id == task_id, *tenant_where(t))).mappings().first()
        return self._task(row) if row else None

    def list_tasks(
        self, *, limit: int = 50, offset: int = 0, states: tuple[str, ...] | None = None
    ) -> list[dict[str, Any]]:
        q = (
            sa.select(S.tasks)
            .where(*tenant_where(S.tasks))
            .order_by(S.tasks.c.created_at.desc(), S.tasks.c.id.desc())
        )
        if states:
            q = q.where(S.tasks.c.state.in_(states))
        with self.engine.connect() as conn:
            rows = conn.execute(q.limit(limit).offset(offset)).mappings().all()
        return [self._task(r) for r in rows]

    def _task(self, row: Any) -> dict[str, Any]:
        out = dict(row)
        for k in self._TASK_JSON:
            out[k] = json.loads(out[k]) if out[k] else None
        return out

    def close(self) -> None:
        self.engine.dispose()


def _make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[1] if "///" in url else ""
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"timeout": 60})

        @sa.event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _rec: Any) -> None:  # pragma: no cover - trivial
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA busy_timeout=60000")
            cur.execute(
                "PRAGMA wal_autocheckpoint=8000"
            )  # ~32 MB between checkpoints: fewer fsyncs in bulk loads
            cur.close()

        return engine
    engine = sa.create_engine(url, pool_pre_ping=True)
    if engine.dialect.name == "postgresql":
        sa.event.listen(engine, "before_cursor_execute", _no_nul, retval=True)
    return engine


_DOC_WRITERS_LOCK = 0x1FA1_0001  # PostgreSQL advisory lock key: one document writer at a time


def _lock_writers(conn: Connection) -> None:
    """Serialise document writers on PostgreSQL, as SQLite's database lock does: change numbers
    (``seq = max + 1``) are then unique and committed in order, so incremental readers miss nothing."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _DOC_WRITERS_LOCK})


def _strip_nul(v: Any) -> Any:
    return v.replace("\x00", "\ufffd") if isinstance(v, str) and "\x00" in v else v


def _no_nul(conn: Any, cursor: Any, statement: str, params: Any, context: Any, executemany: bool) -> Any:
    """PostgreSQL text cannot hold NUL characters (SQLite can): store U+FFFD instead of failing the
    batch. JSON columns are unaffected (``json.dumps`` escapes NUL as ``\\u0000``)."""

    def clean(p: Any) -> Any:
        if isinstance(p, dict):
            return (
                {k: _strip_nul(v) for k, v in p.items()}
                if any(isinstance(v, str) and "\x00" in v for v in p.values())
                else p
            )
        if isinstance(p, (list, tuple)):
            return (
                type(p)(_strip_nul(v) for v in p) if any(isinstance(v, str) and "\x00" in v for v in p) else p
            )
        return p

    if executemany and isinstance(params, (list, tuple)):
        params = [clean(p) for p in params]
    else:
        params = clean(params)
    return statement, params


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (no-op when it is current)."""
    from alembic import command
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    head = ScriptDirectory.from_config(cfg).get_current_head()
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    if current == head:
        return
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
