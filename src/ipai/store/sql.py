"""SQL store (SQLAlchemy Core): embedded SQLite by default; the same code serves PostgreSQL.

:class:`SqlStore` is the mixins of the per-feature SQL modules (each implementing one protocol of
:mod:`ipai.store.ports`) on one engine; this module opens the engine and migrates the schema."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ipai.errors import BackendError
from ipai.store.base import Store
from ipai.store.deals import DealsSql
from ipai.store.documents import DocumentsSql
from ipai.store.evidence import EvidenceSql
from ipai.store.facts import FactsSql
from ipai.store.ingest import IngestSql
from ipai.store.manage import ManageSql
from ipai.store.monitor import MonitorSql
from ipai.store.qa import QaSql
from ipai.store.searches import SearchesSql
from ipai.store.security import SecuritySql
from ipai.store.sources import SourcesSql
from ipai.store.tasks import TasksSql
from ipai.store.transfer import TransferSql


class SqlStore(
    DocumentsSql,
    FactsSql,
    IngestSql,
    SourcesSql,
    TasksSql,
    TransferSql,
    ManageSql,
    DealsSql,
    MonitorSql,
    EvidenceSql,
    QaSql,
    SecuritySql,
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

    def close(self) -> None:
        """Release connections."""
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
    from ipai.store.revision import at_head

    if at_head(engine):  # (without importing Alembic: most opens find the schema current)
        return
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
