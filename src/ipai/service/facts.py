"""An in-process cache of the landscape facts of documents, so that successive landscapes,
portraits and talent rankings over overlapping sets do not re-read and re-parse the same rows.

Entries are dropped as soon as the store changes (its change sequence moves) and the cache is
bounded (least recently used entries leave first).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from ipai.analytics.landscape import FIELDS, Facts, facts_from_fields


class FactsCache:
    """Facts per document id for one store, invalidated by the store's change sequence."""

    def __init__(self, store: Any, max_entries: int = 200_000) -> None:
        self.store = store
        self.max_entries = max_entries
        self._data: OrderedDict[str, Facts] = OrderedDict()
        self._seq: int | None = None
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, ids: list[str]) -> list[Facts]:
        """Facts of ``ids`` in order (ids not in the store are skipped)."""
        seq = self.store.max_seq()
        with self._lock:
            if seq != self._seq:
                self._data.clear()
                self._seq = seq
            have = {i: self._data[i] for i in ids if i in self._data}
        missing = [i for i in ids if i not in have]
        if missing:
            rows = self.store.get_fields(missing, FIELDS)
            fresh = {i: facts_from_fields(rows[i]) for i in missing if i in rows}
            have.update(fresh)
        self.hits += len(ids) - len(missing)
        self.misses += len(missing)
        with self._lock:
            if self._seq == seq and self.max_entries:
                for i in ids:
                    f = have.get(i)
                    if f is None:
                        continue
                    self._data[i] = f
                    self._data.move_to_end(i)
                while len(self._data) > self.max_entries:
                    self._data.popitem(last=False)
        return [have[i] for i in ids if i in have]

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self._seq = None
