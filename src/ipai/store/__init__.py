"""Storage: one interface (:class:`Store`), backends chosen by URL.

``IPAI_STORE`` unset → embedded SQLite at ``<home>/ipai.sqlite``; ``sqlite:///…`` or
``postgresql://…`` select a backend explicitly. One factory decides.
"""

from __future__ import annotations

from ipai.errors import InputError
from ipai.settings import Settings
from ipai.store.base import FileCheckpoint, Reject, SourceRecord, Store, UpsertCounts


def open_store(settings: Settings | str) -> Store:
    """Open (creating and migrating if needed) the store named by settings or a URL."""
    url = settings if isinstance(settings, str) else settings.store_url
    if url.startswith("sqlite"):
        from ipai.store.sql import SqlStore

        return SqlStore(url)
    if url.startswith(("postgresql", "postgres")):
        from ipai.errors import require

        url = postgres_url(url)
        if url.startswith("postgresql+psycopg:"):
            require("psycopg", "postgres", "The PostgreSQL store")
        from ipai.store.sql import SqlStore

        return SqlStore(url)
    raise InputError(f"unsupported store URL {url!r}: use sqlite:///PATH or postgresql://…")


def postgres_url(url: str) -> str:
    """``postgres://`` and ``postgresql://`` (no driver named) mean psycopg 3 (``ipai[postgres]``);
    an explicit ``postgresql+driver://`` is kept."""
    scheme, _, rest = url.partition("://")
    if scheme in ("postgres", "postgresql"):
        return f"postgresql+psycopg://{rest}"
    return url


__all__ = ["FileCheckpoint", "Reject", "SourceRecord", "Store", "UpsertCounts", "open_store"]
