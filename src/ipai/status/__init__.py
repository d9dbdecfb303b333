"""Legal status (法律状态) and families (同族) of patent documents.

- :func:`legal_status` — the normalised status of a document on a given day, from its legal events
  (``basis: "events"``) or, as the last resort, its kind code (``basis: "kind-code"``), with the
  expiry of its term, the reason and bilingual labels (:mod:`.derive`, :mod:`.codes`, :mod:`.term`);
- :func:`family_tokens` / :func:`family_key` / :func:`group` — families from source family ids,
  shared priority claims and listed members (:mod:`.family`);
- :mod:`.query` — ``status:`` and ``family:`` in the query language.
"""

from ipai.status.derive import (
    ALIVE,
    DEAD,
    FIELDS,
    STATUSES,
    LegalStatus,
    at,
    expiry_date,
    legal_status,
    phase,
)
from ipai.status.family import best_key, count_families, family_key, family_tokens, group
from ipai.status.texts import LABELS

FAMILY_FIELDS = ("id", "family_id", "priorities", "application", "family_members")

__all__ = [
    "ALIVE",
    "DEAD",
    "FAMILY_FIELDS",
    "FIELDS",
    "LABELS",
    "STATUSES",
    "LegalStatus",
    "at",
    "best_key",
    "count_families",
    "expiry_date",
    "family_key",
    "family_tokens",
    "group",
    "legal_status",
    "phase",
]
