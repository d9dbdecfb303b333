"""Which vector index a search index uses, chosen by the ``vector_backend`` setting, and opening it.

- ``file``: vectors in files under the index folder, faiss IVF beyond 20,000 (:mod:`.store`);
- ``pgvector``: a table in the PostgreSQL store, searched by pgvector (:mod:`.pgvector`); an error
  naming the setting when the store is not PostgreSQL or the server lacks the extension;
- ``auto`` (default): pgvector when the store is PostgreSQL and ``CREATE EXTENSION IF NOT EXISTS
  vector`` succeeds there (or the extension is already installed), else files.

The choice is recorded in the index state (``vectors``); an index built with the other backend is
rebuilt (as when the encoder changes).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ipai.errors import BackendError, InputError, MissingExtra
from ipai.search.vector.base import VectorIndex
from ipai.settings import Settings

MIN_PGVECTOR = (0, 7)  # halfvec and its HNSW operator classes
_SETTING = "vector_backend=pgvector (IPAI_VECTOR_BACKEND)"


class StaleVectors(ValueError):
    """The index's vectors live in the other backend than the one the settings choose."""


@dataclass(frozen=True)
class VectorBackend:
    """The resolved choice: ``kind`` file | pgvector, the store's PostgreSQL connection (also when
    vectors are in files: a previous index's table may need dropping) and why."""

    kind: str
    setting: str
    conninfo: str | None = None
    note: str = ""

    def status(self) -> dict[str, Any]:
        """What ``ipai index status`` shows about it."""
        out: dict[str, Any] = {"backend": self.kind, "setting": self.setting}
        if self.note:
            out["note"] = self.note
        return out


def pg_conninfo(store_url: str) -> str | None:
    """The store as a libpq URL when it is PostgreSQL, else None."""
    import sqlalchemy as sa

    from ipai.store import postgres_url

    url = sa.engine.make_url(postgres_url(store_url))
    if url.get_backend_name() != "postgresql":
        return None
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def resolve_backend(settings: Settings, store_url: str) -> VectorBackend:
    """Apply ``vector_backend`` to this store (may create the extension; raises when ``pgvector``
    is forced but unusable)."""
    want = settings.vector_backend
    conninfo = pg_conninfo(store_url)
    if conninfo is not None:
        try:
            import pgvector.psycopg  # noqa: F401
            import psycopg  # noqa: F401
        except ImportError as exc:
            if want == "pgvector":
                raise MissingExtra("pgvector", exc.name or "pgvector", "Vector search in PostgreSQL") from exc
            return VectorBackend(
                "file", want, None, "psycopg and pgvector (ipai[pgvector]) are not installed"
            )
    if want == "file":
        return VectorBackend("file", want, conninfo)
    if conninfo is None:
        if want == "pgvector":
            raise InputError(
                f"{_SETTING} needs a PostgreSQL store (IPAI_STORE=postgresql://…); "
                f"the store is {store_url.split(':', 1)[0]}"
            )
        return VectorBackend("file", want, None, "the store is not PostgreSQL")
    version, why = ensure_extension(conninfo)
    if version is None:
        if want == "pgvector":
            raise BackendError(
                f"{_SETTING}, but {why}; install pgvector on the server (docs/postgres.md) "
                "or set vector_backend to auto or file"
            )
        return VectorBackend("file", want, conninfo, why)
    return VectorBackend("pgvector", want, conninfo, f"pgvector {version}")


def ensure_extension(conninfo: str) -> tuple[str | None, str]:
    """The usable pgvector version in the store's database, creating the extension if it is
    available and allowed; (None, reason) when it cannot be used."""
    import psycopg

    from ipai.search.vector.pgvector import shown

    try:
        conn = psycopg.connect(conninfo, autocommit=True, application_name="ipai-vectors")
    except psycopg.OperationalError as exc:
        raise BackendError(f"cannot reach PostgreSQL at {shown(conninfo)} for vectors: {exc}") from exc
    with conn:
        version = _installed(conn)
        if version is None:
            row = conn.execute(
                "SELECT default_version FROM pg_available_extensions WHERE name = 'vector'"
            ).fetchone()
            if row is None:
                return None, "the PostgreSQL server has no vector extension (pgvector)"
            try:
                conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
            except psycopg.errors.InsufficientPrivilege:
                return None, (
                    f"pgvector {row[0]} is on the server but this user may not create it: a "
                    "superuser must run CREATE EXTENSION vector once in this database"
                )
            except (psycopg.errors.UniqueViolation, psycopg.errors.DuplicateObject):
                pass  # another process created it at the same moment
            version = _installed(conn)
    if version is None:
        return None, "CREATE EXTENSION vector did not install it"
    if tuple(int(p) for p in version.split(".")[:2] if p.isdigit()) < MIN_PGVECTOR:
        need = ".".join(map(str, MIN_PGVECTOR))
        return None, f"pgvector {version} is older than {need} (no halfvec): update it"
    return version, ""


def _installed(conn: Any) -> str | None:
    row = conn.execute("SELECT extversion FROM pg_extension WHERE extname = 'vector'").fetchone()
    return None if row is None else str(row[0])


def create_vectors(backend: VectorBackend, path: Path, dim: int) -> VectorIndex:
    """New empty vectors for a rebuilt index (``path`` = the index's vector folder)."""
    if backend.kind == "pgvector":
        from ipai.search.vector.pgvector import PgVectorStore

        assert backend.conninfo is not None
        vecs: VectorIndex = PgVectorStore.create(backend.conninfo, dim, label=str(path.parent.resolve()))
    else:
        from ipai.search.vector.store import VectorStore

        vecs = VectorStore(path, dim)
    vecs.open(0, np.zeros(0, dtype=bool))
    return vecs


def load_vectors(backend: VectorBackend, entry: dict[str, Any] | None, path: Path, dim: int) -> VectorIndex:
    """The vectors an existing index recorded in its state (``entry``; indexes from before the
    choice existed have none: files); raises :class:`StaleVectors` when they live elsewhere."""
    kind = (entry or {}).get("backend", "file")
    if kind != backend.kind:
        raise StaleVectors(
            f"its vectors are in {_where(kind)}, vector_backend={backend.setting} puts them "
            f"in {_where(backend.kind)}" + (f" ({backend.note})" if backend.note else "")
        )
    if kind == "pgvector":
        from ipai.search.vector.pgvector import PgVectorStore

        assert backend.conninfo is not None and entry is not None
        return PgVectorStore(backend.conninfo, str(entry["table"]), dim)
    from ipai.search.vector.store import VectorStore

    return VectorStore(path, dim)


def drop_vectors(backend: VectorBackend, entry: dict[str, Any] | None) -> None:
    """Drop a replaced index's PostgreSQL table (files go with the index folder)."""
    if entry is None or entry.get("backend") != "pgvector" or backend.conninfo is None:
        return  # files, or a table in a database this store no longer is
    from ipai.search.vector.pgvector import PgVectorStore

    old = PgVectorStore(backend.conninfo, str(entry["table"]), 1)
    try:
        old.drop()
    finally:
        old.close()


def _where(kind: str) -> str:
    return "PostgreSQL (pgvector)" if kind == "pgvector" else "files"
