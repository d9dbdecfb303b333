"""Patent families (同族): which stored documents protect the same invention.

A document carries *family tokens*:

- ``F:<id>`` — the family id its source gives (DOCDB/INPADOC simple family, OPS ``family-id``);
- ``P:<CC><number>`` — each priority application it claims, and its own application (a first
  filing is the priority of its later filings; the A and B publications of one application share it);
- ``D:<doc id>`` — itself and each family member its source lists (Lens "Simple Family Members").

Documents that share a token are one family; :func:`group` joins them transitively (union–find),
in the order given, so a ranked list groups deterministically. :func:`family_key` is one
document's own key: its family id, else its earliest priority (date, then number), else its own
application, else itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

_ALNUM = re.compile(r"[^0-9A-Z]")
_PREFIX_ORDER = {"F": 0, "P": 1, "D": 2}


def _get(d: Any, key: str) -> Any:
    return d.get(key) if isinstance(d, dict) else getattr(d, key, None)


def app_token(ref: Any) -> str | None:
    """``P:<CC><number>`` of an application reference (CN check digits after '.' dropped, leading
    zeros of the serial dropped)."""
    if not ref:
        return None
    number = str(_get(ref, "number") or "").upper().strip()
    country = str(_get(ref, "country") or "").upper().strip()
    if not number:
        return None
    number = number.split(".")[0] if re.search(r"\.\d$", number) else number
    number = _ALNUM.sub("", number)
    if not country and re.match(r"^[A-Z]{2}", number):
        country, number = number[:2], number[2:]
    elif country and number.startswith(country):
        number = number[len(country) :]
    number = number.lstrip("0") or number
    return f"P:{country}{number}" if number else None


def family_tokens(doc: Any) -> list[str]:
    """Every family token of a document (a model or a dict of its JSON fields)."""
    out: list[str] = []
    fid = _get(doc, "family_id")
    if fid:
        out.append(f"F:{fid}")
    for ref in (*(_get(doc, "priorities") or ()), _get(doc, "application")):
        tok = app_token(ref)
        if tok:
            out.append(tok)
    doc_id = _get(doc, "id")
    if doc_id:
        out.append(f"D:{doc_id}")
    out += [f"D:{m}" for m in _get(doc, "family_members") or () if m]
    return list(dict.fromkeys(out))


def family_key(doc: Any) -> str:
    """The document's own family key (see the module docstring)."""
    fid = _get(doc, "family_id")
    if fid:
        return f"F:{fid}"
    prios = []
    for ref in _get(doc, "priorities") or ():
        tok = app_token(ref)
        if tok:
            d = _get(ref, "date")
            prios.append((str(d) if d else "9999", tok))
    if prios:
        return min(prios)[1]
    own = app_token(_get(doc, "application"))
    return own or f"D:{_get(doc, 'id')}"


def best_key(keys: Iterable[str]) -> str:
    """The key that names a group: a family id before a priority before a document, then the smallest."""
    return min(keys, key=lambda k: (_PREFIX_ORDER.get(k[:1], 3), k))


def group(items: Iterable[tuple[str, list[str]]]) -> list[list[str]]:
    """Ids grouped by shared tokens (transitively), groups in order of their first member, members
    in the given order."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    order: dict[str, int] = {}
    owner: dict[str, str] = {}
    for doc_id, tokens in items:
        if doc_id in parent:
            continue
        parent[doc_id] = doc_id
        order[doc_id] = len(order)
        for t in tokens:
            other = owner.setdefault(t, doc_id)
            if other != doc_id:
                a, b = find(other), find(doc_id)
                if a != b:
                    first, second = (a, b) if order[a] < order[b] else (b, a)
                    parent[second] = first
    groups: dict[str, list[str]] = {}
    for doc_id in order:
        groups.setdefault(find(doc_id), []).append(doc_id)
    return list(groups.values())


def count_families(items: Iterable[tuple[str, list[str]]]) -> int:
    """How many families the documents form."""
    return len(group(items))
