"""The store's contract, one protocol per feature (typed ports).

A scenario annotates the narrow port it needs (``store: MonitorStore``); :class:`ipai.store.Store`
is all of them together, what a backend implements. Each SQL mixin of :class:`ipai.store.sql.SqlStore`
implements one or two of these protocols, and ``tests/store/test_protocols.py`` checks every one on
SQLite and on PostgreSQL. :class:`MediaFiles` is the contract of the media folder beside the store
(:class:`ipai.store.media.MediaStore`), not part of :class:`~ipai.store.Store`.
"""

from __future__ import annotations

from ipai.store.ports.deals import DealStore
from ipai.store.ports.documents import ChangeFeed, DocumentStore
from ipai.store.ports.evidence import EvidenceStore
from ipai.store.ports.facts import FactsStore
from ipai.store.ports.handle import StoreHandle
from ipai.store.ports.ingest import IngestStore, ProvenanceStore
from ipai.store.ports.manage import ManageStore
from ipai.store.ports.media import MediaFiles
from ipai.store.ports.monitor import MonitorStore
from ipai.store.ports.qa import QaStore
from ipai.store.ports.searches import SavedSearchStore
from ipai.store.ports.security import SecurityStore
from ipai.store.ports.tasks import TaskStore
from ipai.store.ports.transfer import TransferStore

__all__ = [
    "ChangeFeed",
    "DealStore",
    "DocumentStore",
    "EvidenceStore",
    "FactsStore",
    "IngestStore",
    "ManageStore",
    "MediaFiles",
    "MonitorStore",
    "ProvenanceStore",
    "QaStore",
    "SavedSearchStore",
    "SecurityStore",
    "StoreHandle",
    "TaskStore",
    "TransferStore",
]
