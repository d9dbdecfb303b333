"""Deals (:mod:`ipai.deals`): offers and agreements between parties, and the records deposited under
them (each also in the evidence log)."""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class DealStore(Protocol):
    """Deals and their deposited records."""

    def add_deal(self, kind: str, title: str | None, agreement: dict[str, Any]) -> int:
        """Insert an offer (state ``offered``, no signed version yet); its id."""

    def update_deal(self, deal_id: int, fields: dict[str, Any], *, expect_status: str | None = None) -> bool:
        """Change status/agreement/version; with ``expect_status`` only if still in that state."""

    def get_deal(self, deal_id: int) -> dict[str, Any] | None:
        """One deal of the caller's tenant (``agreement`` decoded), or ``None``."""

    def list_deals(
        self, *, status: str | None = None, kind: str | None = None, limit: int = 50, offset: int = 0
    ) -> tuple[list[dict[str, Any]], int]:
        """A page of the tenant's deals (newest first), filtered by status and kind, and the total."""

    def add_deal_record(
        self, deal_id: int, kind: str, seq: int, data: str, content_sha256: str, evidence_index: int
    ) -> int:
        """Store a deposited record (its canonical JSON, hash and evidence index), owned by the deal's tenant."""

    def list_deal_records(self, deal_id: int, kind: str | None = None) -> list[dict[str, Any]]:
        """The records deposited under a deal (of one kind, when given), in order."""
