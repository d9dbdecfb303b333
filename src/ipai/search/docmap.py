"""The index's own bookkeeping: internal vector ids ↔ document ids, liveness, index state.

A small SQLite file inside the index directory (the index is disposable: it can always be
rebuilt from the store, so it keeps its metadata beside its files rather than in the store).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

INDEX_VERSION = 4  # 2: an all-text field; 3: words inside long Chinese words; 4: legal status and families

_SCHEMA = """
CREATE TABLE IF NOT EXISTS vec (iid INTEGER PRIMARY KEY, doc_id TEXT NOT NULL, alive INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS vec_doc ON vec (doc_id);
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class DocMap:
    """iid ↔ doc_id and the index state, committed together."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = sqlite3.connect(path, timeout=60, check_same_thread=False)
        self.db.executescript(_SCHEMA)
        self.db.execute("PRAGMA journal_mode=WAL")

    def close(self) -> None:
        """Close the file."""
        self.db.close()

    def count(self) -> int:
        """Rows (alive or dead) = vectors the index must hold."""
        return int(self.db.execute("SELECT COUNT(*) FROM vec").fetchone()[0])

    def alive_mask(self) -> np.ndarray:
        """Liveness of every iid, in iid order."""
        import numpy as np

        n, top = self.db.execute("SELECT COUNT(*), MAX(iid) FROM vec").fetchone()
        if n and top == n - 1 and self.db.execute("SELECT MIN(iid) FROM vec").fetchone()[0] == 0:
            # rows 0…n-1, as the index writes them: all alive but the (few) replaced ones
            mask = np.ones(n, dtype=bool)
            dead = self.db.execute("SELECT iid FROM vec WHERE alive = 0").fetchall()
            if dead:
                mask[np.fromiter((r[0] for r in dead), dtype=np.int64, count=len(dead))] = False
            return mask
        mask = np.zeros(n, dtype=bool)
        rows = self.db.execute("SELECT iid FROM vec WHERE alive = 1").fetchall()
        if rows:
            mask[np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))] = True
        return mask

    def alive_count(self) -> int:
        """Rows alive = documents the index holds."""
        return int(self.db.execute("SELECT COUNT(*) FROM vec WHERE alive = 1").fetchone()[0])

    def live_iids(self, doc_ids: list[str]) -> dict[str, int]:
        """Current iid of each indexed document among ``doc_ids``."""
        out: dict[str, int] = {}
        for s in range(0, len(doc_ids), 500):
            part = doc_ids[s : s + 500]
            q = f"SELECT doc_id, iid FROM vec WHERE alive = 1 AND doc_id IN ({','.join('?' * len(part))})"
            out.update({d: int(i) for d, i in self.db.execute(q, part)})
        return out

    def doc_ids(self, iids: list[int]) -> dict[int, str]:
        """Document id of each iid."""
        out: dict[int, str] = {}
        for s in range(0, len(iids), 500):
            part = [int(i) for i in iids[s : s + 500]]
            q = f"SELECT iid, doc_id FROM vec WHERE iid IN ({','.join('?' * len(part))})"
            out.update({int(i): d for i, d in self.db.execute(q, part)})
        return out

    def replace(self, doc_ids: list[str], new_iids: np.ndarray, dead: list[int]) -> None:
        """Record new rows and mark replaced rows dead (committed by :meth:`commit`)."""
        if dead:
            self.db.executemany("UPDATE vec SET alive = 0 WHERE iid = ?", [(int(i),) for i in dead])
        self.db.executemany(
            "INSERT INTO vec (iid, doc_id, alive) VALUES (?, ?, 1)",
            [(int(i), d) for i, d in zip(new_iids, doc_ids, strict=False)],
        )

    def get_state(self) -> dict[str, Any]:
        """The saved index state."""
        return {k: json.loads(v) for k, v in self.db.execute("SELECT key, value FROM state")}

    def set_state(self, **values: Any) -> None:
        """Update state keys (committed by :meth:`commit`)."""
        self.db.executemany(
            "INSERT OR REPLACE INTO state (key, value) VALUES (?, ?)",
            [(k, json.dumps(v)) for k, v in values.items()],
        )

    def commit(self) -> None:
        """Make rows and state durable."""
        self.db.commit()

    def rollback(self) -> None:
        """Drop uncommitted rows and state."""
        self.db.rollback()
