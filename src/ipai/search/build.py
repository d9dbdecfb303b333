"""Index building: document analysis runs in worker processes (one per core), while the parent
process adds words to the encoder, computes vectors and feeds tantivy.

Workers come from loky (the process pool joblib and scikit-learn use): processes started fresh
— never a plain fork of a process that already runs BLAS or tantivy threads — that work from
any entry point (a console script, ``python -``, a notebook), and only for refreshes big
enough to repay their start-up.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any

from ipai.model import load_patent
from ipai.search.docfields import Prepared, prepare

PARALLEL_MIN = 8_000  # documents to index before worker processes pay off
TASK = 250  # documents per worker task
PREFETCH = 16  # tasks in flight: workers keep analysing while the parent encodes new words


def cpu_count() -> int:
    """Cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _prepare_rows(rows: list[tuple[int, str, int]]) -> list[tuple[int, Prepared]]:
    """(seq, json, iid) → (seq, analysed document)."""
    return [(seq, prepare(load_patent(text), iid)) for seq, text, iid in rows]


def _encode_words(words: list[str]) -> Any:
    from ipai.search.vector.use import use_encode

    return use_encode(words)


class Preparer:
    """Analyses documents — and encodes new vocabulary — in worker processes when there are many.

    At most ``PREFETCH`` tasks are in flight, so memory stays flat however large the corpus,
    and word-encoding requests are served between document tasks.
    """

    def __init__(self, expected: int, workers: int | None = None) -> None:
        self.n = workers if workers is not None else cpu_count()
        self.pool: Any = None
        if self.n > 1 and expected >= PARALLEL_MIN:
            from joblib.externals.loky import (  # type: ignore[import-untyped]  # vendored, untyped
                get_reusable_executor,
            )

            self.pool = get_reusable_executor(max_workers=self.n, timeout=60)

    def run(self, rows: Iterable[tuple[int, str, int]]) -> Iterator[tuple[int, Prepared]]:
        """Analysed documents in input order."""
        tasks = _batched(rows, TASK)
        if self.pool is None:
            for t in tasks:
                yield from _prepare_rows(t)
            return
        pending: deque[Any] = deque()
        for t in tasks:
            pending.append(self.pool.submit(_prepare_rows, t))
            if len(pending) >= PREFETCH:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()

    def encode_words(self, words: list[str]) -> Any:
        """USE vectors of new vocabulary words, split across the workers when there are many."""
        import numpy as np

        if self.pool is None or len(words) < 512:
            return _encode_words(words)
        step = -(-len(words) // self.n)
        parts = [self.pool.submit(_encode_words, words[i : i + step]) for i in range(0, len(words), step)]
        return np.vstack([p.result() for p in parts])

    def close(self) -> None:
        """Release the workers (loky keeps them warm for ``timeout`` seconds, then stops them)."""
        self.pool = None


def _batched(rows: Iterable[Any], n: int) -> Iterator[list[Any]]:
    buf: list[Any] = []
    for r in rows:
        buf.append(r)
        if len(buf) >= n:
            yield buf
            buf = []
    if buf:
        yield buf
