"""The store interface every backend implements (:class:`Store`: all the per-feature protocols of
:mod:`ipai.store.ports` together), and the values it exchanges (:mod:`ipai.store.values`)."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from ipai.store.ports import (
    ChangeFeed,
    DealStore,
    DocumentStore,
    EvidenceStore,
    FactsStore,
    IngestStore,
    ManageStore,
    MonitorStore,
    ProvenanceStore,
    QaStore,
    SavedSearchStore,
    SecurityStore,
    StoreHandle,
    TaskStore,
    TransferStore,
)
from ipai.store.values import FileCheckpoint, Reject, SourceRecord, UpsertCounts


@runtime_checkable
class Store(
    StoreHandle,
    DocumentStore,
    ChangeFeed,
    FactsStore,
    IngestStore,
    ProvenanceStore,
    TaskStore,
    TransferStore,
    MonitorStore,
    ManageStore,
    DealStore,
    EvidenceStore,
    QaStore,
    SavedSearchStore,
    SecurityStore,
    Protocol,
):
    """Everything scenario code may ask of storage. No SQL leaves the backend.

    A scenario that needs one feature annotates that feature's protocol instead (``store:
    ChangeFeed``); every method is declared in exactly one of them."""


# every protocol Store is made of, in the order of its bases (read from the class: one list)
STORE_PORTS: tuple[type, ...] = tuple(b for b in Store.__bases__ if b is not Protocol)

__all__ = ["STORE_PORTS", "FileCheckpoint", "Reject", "SourceRecord", "Store", "UpsertCounts"]
