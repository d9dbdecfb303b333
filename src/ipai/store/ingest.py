"""SQL of the ingest (mixed into :class:`ipai.store.sql.SqlStore`): batches of records upserted with
their rejects and file checkpoint in one transaction (documents merged from their sources), and the
jobs, checkpoints and rejects an ingest resumes from."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ipai.model import PatentDocument, Trademark, dump_record
from ipai.store import schema as S
from ipai.store.common import chunks as _chunks
from ipai.store.common import now as _now
from ipai.store.ports import IngestStore
from ipai.store.values import FileCheckpoint, Reject, SourceRecord, UpsertCounts


def _hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class IngestSql(IngestStore):
    """Record batches, ingest jobs, file checkpoints and rejects."""

    engine: Any

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
            for hrow in conn.execute(
                sa.select(S.documents.c.id, S.documents.c.content_hash).where(S.documents.c.id.in_(chunk))
            ):
                hashes[hrow.id] = hrow.content_hash
        stored = list(hashes)  # documents that exist before this batch
        shared = self._fill_shared(conn, existing)  # sources stored as "same as the document"
        source_rows: dict[tuple[str, str], dict[str, Any]] = {}
        stale_sources: list[tuple[str, str]] = []
        pending: dict[str, tuple[PatentDocument, str, str]] = {}
        for r in recs:
            record = r.record
            assert isinstance(record, PatentDocument)  # write_batch passes patents here
            doc_id = record.id
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
                merged, merged_text = record, text
            else:
                from ipai.store.merge import merge_sources  # (text hygiene: ftfy, read when merging)

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
        for (doc_id, _source), source_row in source_rows.items():
            if len(existing[doc_id]) == 1:
                source_row["data"] = None
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
        for stale in _chunks(stale_sources):
            conn.execute(
                S.doc_sources.delete().where(
                    sa.tuple_(S.doc_sources.c.doc_id, S.doc_sources.c.source).in_(stale)
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
        docs: list[dict[str, Any]] = []
        classes: list[dict[str, Any]] = []
        langs: list[dict[str, Any]] = []
        parts: list[dict[str, Any]] = []
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
        rows: list[dict[str, Any]] = []
        now = _now()
        for r in recs:
            tm = r.record
            assert isinstance(tm, Trademark)  # write_batch passes trademarks here
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


_DOC_WRITERS_LOCK = 0x1FA1_0001  # PostgreSQL advisory lock key: one document writer at a time


def _lock_writers(conn: Connection) -> None:
    """Serialise document writers on PostgreSQL, as SQLite's database lock does: change numbers
    (``seq = max + 1``) are then unique and committed in order, so incremental readers miss nothing."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _DOC_WRITERS_LOCK})
