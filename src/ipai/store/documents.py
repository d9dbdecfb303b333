"""SQL reading the corpus (mixed into :class:`ipai.store.sql.SqlStore`): documents and trademarks by
id, in id order or as a change feed (what the search index refreshes from), counts and statistics,
and fields of many documents without reading whole documents."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ipai.model import PatentDocument, Trademark, load_patent, load_trademark
from ipai.store import schema as S
from ipai.store.common import chunks as _chunks
from ipai.store.ports import ChangeFeed, DocumentStore

T = TypeVar("T")


class DocumentsSql(DocumentStore, ChangeFeed):
    """Documents and trademarks as the corpus and as a change feed."""

    engine: Any

    def get_document(self, doc_id: str) -> PatentDocument | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(S.documents.c.data).where(S.documents.c.id == doc_id)).first()
        return load_patent(row.data) if row else None

    def find_documents(self, country: str, number: str) -> list[PatentDocument]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(S.documents.c.data)
                .where(S.documents.c.country == country, S.documents.c.number == number)
                .order_by(S.documents.c.id)
            ).all()
        return [load_patent(r.data) for r in rows]

    def get_trademark(self, tm_id: str) -> Trademark | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(S.trademarks.c.data).where(S.trademarks.c.id == tm_id)).first()
        return load_trademark(row.data) if row else None

    def _iter(self, table: sa.Table, batch: int, load: Callable[[str], T]) -> Iterator[T]:
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
                yield load(r.data)
            last = rows[-1].id

    def iter_documents(self, batch: int = 500) -> Iterator[PatentDocument]:
        return self._iter(S.documents, batch, load_patent)

    def iter_changed(self, since: int, batch: int = 500) -> Iterator[tuple[int, PatentDocument]]:
        """Documents written after change number ``since``, in change order, with their number."""
        for seq, text in self.iter_changed_raw(since, batch):
            yield seq, load_patent(text)

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
                    d = load_patent(r.data)
                    out[d.id] = d
        return out

    def iter_trademarks(self, batch: int = 500) -> Iterator[Trademark]:
        return self._iter(S.trademarks, batch, load_trademark)

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
