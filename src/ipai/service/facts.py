"""The brief facts of documents: derived once per document version into the store's ``doc_facts``
table (the landscape's fields and the valuation reference's indicators), and held in memory for the
documents analytics read most.

:func:`sync_facts` follows the change feed: every document written after the newest facts row is
read (its brief, and the claims and legal fields the indicators need) and its row written, so the
work is proportional to the change; an existing store is backfilled by the first call. The rows are
exactly what the landscape (:func:`ipai.analytics.landscape.facts_from_fields`) and the valuation
(:func:`ipai.value.indicators.extract`) derive from the same fields, so reading them gives the same
answers as parsing the documents. :class:`FactsCache` serves landscapes, portraits and talent
rankings from the table (documents without a row are derived on the spot), and keeps the facts it
read until the store changes (its change sequence moves; least recently used entries leave first).
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections import OrderedDict
from typing import Any

from ipai.analytics.gcpause import paused_collections
from ipai.analytics.landscape import FIELDS, Facts, facts_from_fields, facts_row

# the derivation's version: raise it when Facts, facts_from_fields or the reference indicators
# change, and every stored row is derived again on the next sync
FACTS_VERSION = 1
BATCH = 2000  # documents derived per transaction
_SYNC_LOCK = threading.Lock()


def derive_rows(store: Any, changed: list[tuple[int, str]]) -> list[dict[str, Any]]:
    """``doc_facts`` rows of the documents ``changed`` lists (change number, id)."""
    from ipai.store.schema import FACT_VALUES
    from ipai.value.indicators import BRIEF, EXTRA, extract

    ids = [i for _, i in changed]
    land = store.get_fields(ids, FIELDS)
    fam = family_extra(store, ids)
    fields = store.get_fields(ids, BRIEF)
    for i, extra in store.get_fields(ids, EXTRA).items():
        fields.setdefault(i, {}).update(extra)
    today = dt.date.today()  # the reference's indicators do not depend on the date
    rows = []
    for seq, i in changed:
        if i not in land:  # replaced again since the change list was read
            continue
        ind = extract(i, fields[i], today)
        rows.append(
            {
                "id": i,
                "seq": seq,
                "version": FACTS_VERSION,
                "landscape": json.dumps(
                    facts_row(facts_from_fields(land[i])), ensure_ascii=False, separators=(",", ":")
                ),
                "family_extra": json.dumps(fam.get(i, []), ensure_ascii=False, separators=(",", ":")),
                "country": ind.country,
                "year": ind.year,
                "lang": ind.lang,
                **{k: ind.values.get(k) for k in FACT_VALUES},
            }
        )
    return rows


def family_extra(store: Any, ids: list[str]) -> dict[str, list[str]]:
    """Family tokens the landscape facts do not carry: each document's own application and the
    members its source lists (a landscape counting families adds them, :func:`ipai.analytics.
    landscape.family_of`)."""
    from ipai.status.family import app_token

    out: dict[str, list[str]] = {}
    for i, f in store.get_fields(ids, ("application", "family_members")).items():
        toks = [t for t in (app_token(f.get("application")),) if t]
        out[i] = toks + [f"D:{m}" for m in f.get("family_members") or []]
    return out


def read_family_extra(store: Any, ids: list[str]) -> dict[str, list[str]]:
    """:func:`family_extra` of ``ids`` from the facts table (documents without a row: derived)."""
    out = {
        i: json.loads(r[0]) for i, r in store.read_facts(ids, ("family_extra",)).items() if r[0] is not None
    }
    left = [i for i in ids if i not in out]
    if left:
        out.update(family_extra(store, left))
    return out


def sync_facts(store: Any) -> int:
    """Derive the facts of every document written since the newest stored row; returns how many."""
    done = 0
    with _SYNC_LOCK:
        last = store.facts_seq(FACTS_VERSION)
        while True:
            changed = store.changed_ids(last, BATCH)
            if not changed:
                return done
            rows = derive_rows(store, changed)
            store.write_facts(rows)
            done += len(rows)
            last = changed[-1][0]


def facts_from_row(text: str) -> Facts:
    """Facts from the JSON array of a ``doc_facts`` row."""
    return Facts(*json.loads(text))


class FactsCache:
    """Facts per document id for one store, invalidated by the store's change sequence."""

    def __init__(self, store: Any, max_entries: int = 200_000) -> None:
        self.store = store
        self.max_entries = max_entries
        self._data: OrderedDict[str, Facts] = OrderedDict()
        self._seq: int | None = None
        self._synced: int | None = None
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def sync(self) -> int:
        """Bring the store's facts table level with its documents (O(documents changed));
        returns the change number it is level with."""
        seq = int(self.store.max_seq())
        if self._synced != seq:
            sync_facts(self.store)
            self._synced = seq
        return seq

    def get(self, ids: list[str]) -> list[Facts]:
        """Facts of ``ids`` in order (ids not in the store are skipped)."""
        seq = self.sync()
        with self._lock:
            if seq != self._seq:
                self._data.clear()
                self._seq = seq
            have = {i: self._data[i] for i in ids if i in self._data}
        missing = [i for i in ids if i not in have]
        if missing:
            rows = self.store.read_facts(missing, ("landscape",))
            with paused_collections():  # parsing builds only objects it keeps
                have.update((i, facts_from_row(r[0])) for i, r in rows.items())
            left = [i for i in missing if i not in rows]  # written after the sync: derive them here
            if left:
                fields = self.store.get_fields(left, FIELDS)
                have.update((i, facts_from_fields(fields[i])) for i in left if i in fields)
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
