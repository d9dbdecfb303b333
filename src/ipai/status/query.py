"""``status:`` and ``family:`` in the query language.

``status:`` takes a status in English or Chinese, or a group::

    pending  审中 在审            granted  已授权 授权          in_force  有效 inforce active valid
    lapsed   失效               expired  届满 期满            withdrawn 撤回 视为撤回
    refused  驳回 rejected      revoked  无效 invalidated
    alive    未失效 (pending, granted, in_force)     dead  已失效 (lapsed … revoked)

The index keeps each document's *phase* (the status its events give: :func:`ipai.status.phase`) in
the keyword field ``status`` and its expiry date in the date field ``exp``; :func:`resolve` turns a
``status:`` clause into those fields for a given ``today`` (a right alive in its phase is expired
once ``exp`` is before today). ``family:`` takes a publication number (its family, through the
store) or a family token/id; it becomes clauses on the keyword field ``fam``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from ipai.status.derive import ALIVE, DEAD, STATUSES

ALIASES: dict[str, tuple[str, ...]] = {
    **{s: (s,) for s in STATUSES},
    "审中": ("pending",),
    "在审": ("pending",),
    "已授权": ("granted",),
    "授权": ("granted",),
    "有效": ("in_force",),
    "inforce": ("in_force",),
    "in-force": ("in_force",),
    "active": ("in_force",),
    "valid": ("in_force",),
    "失效": ("lapsed",),
    "届满": ("expired",),
    "期满": ("expired",),
    "撤回": ("withdrawn",),
    "视为撤回": ("withdrawn",),
    "驳回": ("refused",),
    "rejected": ("refused",),
    "无效": ("revoked",),
    "invalidated": ("revoked",),
    "alive": ALIVE,
    "未失效": ALIVE,
    "dead": DEAD,
    "已失效": DEAD,
}
HELP = (
    "use one of " + ", ".join(STATUSES) + ", alive, dead (or 审中, 已授权, 有效, 失效, 届满, 撤回, 驳回, "
    "无效, 未失效, 已失效)"
)


def statuses(value: str) -> tuple[str, ...]:
    """The statuses a ``status:`` value names; ``ValueError`` (with the allowed values) if none."""
    v = value.strip().strip('"').lower().replace(" ", "_")
    out = ALIASES.get(v) or ALIASES.get(value.strip())
    if not out:
        raise ValueError(f"unknown legal status {value!r}; {HELP}")
    return out


def _ymd(d: dt.date) -> str:
    return d.isoformat()


def status_node(value: str, pos: int, today: dt.date) -> Any:
    """The index clauses of ``status:value`` on ``today`` (see the module docstring)."""
    from ipai.search.query import ast as A

    wanted = statuses(value)
    before = _ymd(today - dt.timedelta(days=1))
    past = A.DateRange(pos, "exp", None, before)
    parts: list[Any] = []
    for s in wanted:
        phase = A.Match(pos, "phase", s)
        if s in ALIVE:  # alive in its phase and its term not yet ended
            parts.append(A.And(pos, (phase, A.Not(pos, past))))
        elif s == "expired":
            parts.append(phase)
            alive = tuple(A.Match(pos, "phase", a) for a in ALIVE)
            parts.append(A.And(pos, (A.Or(pos, alive) if len(alive) > 1 else alive[0], past)))
        else:
            parts.append(phase)
    return parts[0] if len(parts) == 1 else A.Or(pos, tuple(parts))


def family_node(value: str, pos: int, tokens_of: Callable[[str], list[str] | None]) -> Any:
    """``family:value``: the family tokens of the publication ``value`` names (``tokens_of`` looks
    it up), else ``value`` as a family token (``F:…``, ``P:…``, ``D:…``) or a family id."""
    from ipai.search.query import ast as A

    raw = value.strip().strip('"')
    toks = tokens_of(raw)
    if not toks:
        toks = [raw if raw[:2] in ("F:", "P:", "D:") else f"F:{raw}"]
    parts = tuple(A.Match(pos, "fam", t) for t in toks)
    return parts[0] if len(parts) == 1 else A.Or(pos, parts)


def resolve(node: Any, today: dt.date, tokens_of: Callable[[str], list[str] | None] | None = None) -> Any:
    """``node`` with every ``status:`` and ``family:`` clause turned into index clauses."""
    from ipai.search.query import ast as A

    if isinstance(node, A.Match) and node.field == "status":
        return status_node(node.value, node.pos, today)
    if isinstance(node, A.Match) and node.field == "family":
        return family_node(node.value, node.pos, tokens_of or (lambda v: None))
    if isinstance(node, A.Not):
        return replace(node, child=resolve(node.child, today, tokens_of))
    if isinstance(node, (A.And, A.Or, A.Seq)):
        return replace(node, children=tuple(resolve(c, today, tokens_of) for c in node.children))
    return node
