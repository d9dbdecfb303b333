"""Applicants and inventors as entities, for every list that names them (landscapes, talent,
company portraits, resources, matching): one organisation or person is one row.

Both go through :class:`ipai.analytics.entities.resolver.Resolver`, the resolver that
``ipai eval disambiguation`` measures on the PatentsView benchmarks:

- **organisations** by :func:`org_labels` (governing bodies, legal forms and abbreviations
  folded: REGENTS OF THE UNIVERSITY OF CALIFORNIA = UNIV CALIFORNIA = University of California);
- **persons** by :func:`person_labels`, with each name's context (its co-inventors, applicants
  and documents) so that "Vemula Raghu" and "Raghu Vemula" are one person when their documents,
  co-inventors or applicants say so; strings that are no person — a waiver ("THE INVENTOR HAS
  WAIVED HIS RIGHT TO BE MENTIONED"), "et al.", "N/A", an organisation in the inventor field —
  get no label at all (:func:`not_a_person` says why).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any, overload

from ipai.analytics.entities.resolver import Resolver, resolve_names
from ipai.text.names import guess_party_kind

# a waiver of the right to be named, in the languages of the offices' data (EPO/WIPO records carry
# "THE INVENTOR HAS WAIVED THE RIGHT TO BE MENTIONED", sometimes rotated by a permuted index)
_WAIVER = re.compile(
    r"WAIVE|RIGHT TO BE (?:MENTIONED|NAMED)|NOT (?:TO BE )?(?:MENTIONED|NAMED)|VERZICHT|"
    r"RENONC|RINUNCI|NICHT GENANNT|NON NOMM|ANONYM",
    re.I,
)
_PLACEHOLDER = re.compile(
    r"^(?:ET\.? ?AL\.?|AND OTHERS|N/?A|NONE|NIL|NULL|UNKNOWN|NOT (?:PROVIDED|AVAILABLE|GIVEN)|"
    r"INVENTOR|INVENTORS|ANONYMOUS|-+|\?+|\.+)$",
    re.I,
)
_ET_AL = re.compile(r"\bET\.? ?AL\b\.?", re.I)
_HAN_NOT_PERSON = re.compile(r"(发明人|请求不公布|不公布姓名|未知|等人)")


@lru_cache(maxsize=1 << 16)
def not_a_person(name: str) -> str | None:
    """Why a string from an inventor field is not a person (``None`` when it may be one)."""
    s = " ".join((name or "").split())
    if not s or not any(ch.isalpha() for ch in s):
        return "empty"
    if _HAN_NOT_PERSON.search(s):
        return "placeholder"
    if _WAIVER.search(s):
        return "waiver"
    if _PLACEHOLDER.match(s.strip(" .,;")):
        return "placeholder"
    if guess_party_kind(s) == "organisation":
        return "organisation"
    words = re.sub(r"[,;]", " ", s).split()
    if len(words) > 6:
        return "sentence"
    return None


@lru_cache(maxsize=1 << 18)
def clean_person(name: str) -> str:
    """The name without a trailing "et al." (``SMITH JOHN ET AL`` → ``SMITH JOHN``)."""
    return " ".join(_ET_AL.sub(" ", name or "").split()).strip(" ,;")


_party_kind = lru_cache(maxsize=1 << 18)(guess_party_kind)  # applicants recur on every inventor


def org_labels(names: Iterable[str]) -> dict[str, str]:
    """Every distinct organisation name → the label of its entity (its most frequent variant)."""
    names = [n for n in names if n and n.strip()]
    return resolve_names(names, "applicant") if names else {}


def person_labels(docs: Sequence[tuple[str, Sequence[str], Sequence[str]]]) -> dict[str, str | None]:
    """Every distinct inventor name of ``docs`` — (document id, inventors, applicants) — → the
    label of its person entity, or ``None`` when the string is no person."""
    names: list[str] = []
    ctx = _Contexts()
    out: dict[str, str | None] = {}
    for doc_id, inventors, applicants in docs:
        people = [(n, clean_person(n)) for n in inventors if n]
        kept = [(raw, n) for raw, n in people if not_a_person(n) is None]
        for raw, n in people:
            if not_a_person(n) is not None:
                out[raw] = None
        if not kept:
            continue
        ctx.add(doc_id, kept, applicants)
        names.extend(n for _, n in kept)
    if names:
        r = Resolver().fit(names, kind="inventor", context=ctx)
        for _, inventors, _ in docs:
            for raw in inventors:
                if raw and raw not in out:
                    ent = r.entity_of(clean_person(raw))
                    out[raw] = ent.label if ent is not None else clean_person(raw)
    return out


class _Contexts(Sequence[dict[str, Any]]):
    """Each inventor mention's context — its co-inventors, the document's applicants that are no
    person, the document — built when the resolver asks for it (it asks only for names it
    compares)."""

    def __init__(self) -> None:
        self._docs: list[tuple[str, list[tuple[str, str]], Sequence[str]]] = []
        self._at: list[tuple[int, int]] = []  # mention → (document, position among its kept names)

    def add(self, doc_id: str, kept: list[tuple[str, str]], applicants: Sequence[str]) -> None:
        d = len(self._docs)
        self._docs.append((doc_id, kept, applicants))
        self._at.extend((d, j) for j in range(len(kept)))

    def __len__(self) -> int:
        return len(self._at)

    @overload
    def __getitem__(self, k: int) -> dict[str, Any]: ...
    @overload
    def __getitem__(self, k: slice) -> Sequence[dict[str, Any]]: ...
    def __getitem__(self, k: int | slice) -> dict[str, Any] | Sequence[dict[str, Any]]:
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(len(self)))]
        d, j = self._at[k]
        doc_id, kept, applicants = self._docs[d]
        raw = kept[j][0]
        return {
            "coinventors": [_last_key(m) for r, m in kept if r != raw],
            "assignees": [a for a in applicants if a and _party_kind(a) != "person"],
            "documents": [doc_id],
        }


@lru_cache(maxsize=1 << 18)
def _last_key(name: str) -> str:
    """A co-inventor as context: the upper-cased words of the name, in a fixed order (so both
    spellings of one co-inventor, last name first or not, give the same context)."""
    return " ".join(sorted(re.sub(r"[^\w\s]", " ", name.upper()).split()))
