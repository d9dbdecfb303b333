"""Organisations and persons (applicants, assignees, inventors, agents, owners)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from ipai.text.names import guess_party_kind, normalize_name

PartyKind = Literal["organisation", "person", "unknown"]
_KINDS: dict[str, PartyKind] = {"organisation": "organisation", "person": "person", "unknown": "unknown"}


class Party(BaseModel):
    """A named party with its raw and normalised name."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    name_norm: str = ""
    kind: PartyKind = "unknown"
    country: str | None = None
    city: str | None = None
    address: str | None = None
    last_name: str | None = None
    first_name: str | None = None


def make_party(
    name: str,
    *,
    kind: PartyKind | None = None,
    country: str | None = None,
    city: str | None = None,
    address: str | None = None,
    last_name: str | None = None,
    first_name: str | None = None,
) -> Party | None:
    """Build a :class:`Party`, normalising the name and guessing its kind when not given.

    Returns ``None`` for an empty name.
    """
    raw = " ".join((name or "").split())
    if not raw:
        return None
    k: PartyKind = kind or _KINDS.get(guess_party_kind(raw), "unknown")
    return Party(
        name=raw,
        name_norm=normalize_name(raw, kind=k),
        kind=k,
        country=(country or None) and country.strip().upper() or None,
        city=city or None,
        address=address or None,
        last_name=last_name or None,
        first_name=first_name or None,
    )


def parties(names: list[str] | None, *, kind: PartyKind | None = None) -> list[Party]:
    """Parties from a list of raw names, dropping empty ones and exact duplicates."""
    out: list[Party] = []
    seen: set[str] = set()
    for n in names or []:
        p = make_party(n, kind=kind)
        if p and p.name not in seen:
            seen.add(p.name)
            out.append(p)
    return out
