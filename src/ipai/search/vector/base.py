"""The interface every vector index implements (files + faiss, or a PostgreSQL table with pgvector).

Rows are internal ids (``iid``) handed out in order by :meth:`VectorIndex.add`; a row whose
document was re-indexed or removed is marked dead and never returned again. The search index's
document map (``docmap.sqlite``) is the truth about which rows exist and live: :meth:`open` is
given its row count and liveness and brings the vectors in line (rows from an interrupted write
are dropped).
"""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np


class VectorIndex(Protocol):
    """Append-only document vectors with liveness, searched by inner product."""

    dim: int
    alive: np.ndarray  # bool per iid, kept in memory by every backend

    @property
    def n(self) -> int:
        """Rows stored (alive or dead)."""
        ...

    @property
    def ann(self) -> str:
        """How a search runs now: ``exact``, ``ivf-sq8``, ``pgvector-exact`` or ``pgvector-hnsw``."""
        ...

    def describe(self) -> dict[str, Any]:
        """What the index state records to reopen these vectors (``backend`` and its details)."""
        ...

    def open(self, n: int, alive: np.ndarray) -> None:
        """Open with ``n`` committed rows and their liveness (later rows are dropped)."""
        ...

    def add(self, vecs: np.ndarray) -> np.ndarray:
        """Append vectors; returns their iids."""
        ...

    def kill(self, iids: np.ndarray) -> None:
        """Mark rows dead."""
        ...

    def vector(self, iid: int) -> np.ndarray:
        """One stored vector as float32."""
        ...

    def rows(self, iids: np.ndarray) -> np.ndarray:
        """Stored vectors of ``iids`` as float32 rows, in the order given."""
        ...

    def sync(self) -> None:
        """Bring the approximate index up to date after a batch of adds (and make it durable)."""
        ...

    def search(
        self, q: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Top ``k`` live iids by inner product with ``q`` among ``allowed`` (a bool mask), best first."""
        ...

    def drop(self) -> None:
        """Delete the stored vectors (the index is being rebuilt or replaced)."""
        ...

    def close(self) -> None:
        """Release connections and files."""
        ...
