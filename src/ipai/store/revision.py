"""Whether a store's schema is at the newest migration, without Alembic: reading the migration
files' ``revision``/``down_revision`` lines and the store's ``alembic_version`` row costs
about a millisecond, importing Alembic and loading its script directory a few hundred (every
command that opens the store paid it). Anything unusual (a branch, a merge, a file it cannot
read, no version table) answers "unknown" and the caller asks Alembic."""

from __future__ import annotations

import re
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

VERSIONS = Path(__file__).parent / "migrations" / "versions"
_ASSIGN = r"^{name}(?:\s*:[^=\n]+)?\s*=\s*(.+?)\s*$"
_REVISION = re.compile(_ASSIGN.format(name="revision"), re.M)
_DOWN = re.compile(_ASSIGN.format(name="down_revision"), re.M)
_QUOTED = re.compile(r"""^(["'])([\w.-]+)\1$""")


def head_revision(versions: Path = VERSIONS) -> str | None:
    """The one newest revision of a linear chain of migration files (None when not that simple)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for f in versions.glob("*.py"):
        text = f.read_text(encoding="utf-8")
        rev, down = _REVISION.search(text), _DOWN.search(text)
        if rev is None or down is None:
            return None
        m = _QUOTED.match(rev[1])
        if m is None:
            return None
        revisions.add(m[2])
        if down[1] != "None":
            m = _QUOTED.match(down[1])
            if m is None:  # a merge (a tuple of parents) or a computed value
                return None
            parents.add(m[2])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 and parents <= revisions else None


def at_head(engine: Engine) -> bool:
    """Whether the store's recorded revision is the newest migration (False when unsure)."""
    head = head_revision()
    if head is None:
        return False
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT version_num FROM alembic_version")).all()
    except sa.exc.DBAPIError:  # no version table yet (a new store), or no such database
        return False
    return [r[0] for r in rows] == [head]
