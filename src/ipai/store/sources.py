"""SQL for the provenance of documents (mixed into :class:`ipai.store.sql.SqlStore`): the sources a
document was merged from, and every document's source records read back — what re-applying a newer
text hygiene to a store needs (``ipai repair-text``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa

from ipai.store import schema as S
from ipai.store.ports import ProvenanceStore


class SourcesSql(ProvenanceStore):
    """Source records with their canonical JSON, document by document."""

    engine: Any

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

    def iter_source_rows(self, batch: int = 500) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        """Every patent document's sources in id order: ``(doc_id, [{source, format, priority, file,
        record, job_id, data}])``, highest priority first; ``data`` is the source's canonical JSON
        (the document's own text where the source is its only one)."""
        d, t = S.documents, S.doc_sources
        last = ""
        while True:
            with self.engine.connect() as conn:
                docs = conn.execute(
                    sa.select(d.c.id, d.c.data).where(d.c.id > last).order_by(d.c.id).limit(batch)
                ).all()
                if not docs:
                    return
                rows = (
                    conn.execute(
                        sa.select(
                            t.c.doc_id,
                            t.c.source,
                            t.c.format,
                            t.c.priority,
                            t.c.file,
                            t.c.record,
                            t.c.job_id,
                            t.c.data,
                        )
                        .where(t.c.doc_id >= docs[0].id, t.c.doc_id <= docs[-1].id)
                        .order_by(t.c.doc_id, t.c.priority.desc(), t.c.source)
                    )
                    .mappings()
                    .all()
                )
            by_doc: dict[str, list[dict[str, Any]]] = {}
            for r in rows:
                by_doc.setdefault(r["doc_id"], []).append({k: v for k, v in r.items() if k != "doc_id"})
            for doc in docs:
                sources = by_doc.get(doc.id, [])
                for s in sources:
                    if s["data"] is None:
                        s["data"] = doc.data
                yield doc.id, sources
            last = docs[-1].id
