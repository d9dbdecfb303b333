"""Results of evidence deposit: entries, the signed head, checks, audit, GI batches
(``ipai.service.evidence``; the log is :mod:`ipai.evidence.log`)."""

from __future__ import annotations

from typing import Any

from ipai.service.results.common import Result

Deposit = dict[str, Any]
"""A log entry as deposited (``Service._deposited``): index, leaf_hash and the canonical entry
(v, kind, content_sha256, meta, tenant, time)."""

SignedHead = dict[str, Any]
"""The newest signed tree head (log_id, root_hash, signature, timestamp, tree_size) and the
log's public key (``Service.evidence_head``)."""

HeadCheck = dict[str, Any]
"""``Service.evidence_check_head``: ok, message and, when consistent, the proof and tree size."""

AuditReport = dict[str, Any]
"""``Service.evidence_audit``: the whole log replayed (entries, heads, blobs, problems)."""


class GiEvent(Result):
    """One event of a geographical-indication batch."""

    index: int
    time: str
    event: Any
    details: dict[str, Any]
    leaf_hash: str


class GiTrace(Result):
    """``Service.gi_trace``: the batch's events in order, each link checked (``ok`` is the batch's)."""

    batch: str
    ok: bool
    problems: list[str]
    events: list[GiEvent]
