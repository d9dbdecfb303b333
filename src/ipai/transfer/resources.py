"""The resources list: who holds transferable technology. Patent owners of a given type
(universities and institutes by default) with their documents, classes and leading inventors."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from ipai.text.names import normalize_name


def owners_by_type(svc: Any, *, kinds: tuple[str, ...], limit: int = 50) -> dict[str, Any]:
    """Owners whose type is in ``kinds``, most documents first, over the newest
    ``analytics_cache_docs`` documents (the landscape facts cache); owners and inventors are
    resolved entities (:mod:`ipai.analytics.entities.parties`): one organisation, one row."""
    from ipai.analytics.entities.parties import org_labels, person_labels
    from ipai.transfer.matcher import _owner_kind

    facts = svc.facts_cache.get(svc.store.recent_ids(max(svc.settings.analytics_cache_docs, 1)))
    org_of = org_labels([a for f in facts for a in f.applicants])
    docs: dict[str, list[Any]] = defaultdict(list)
    spelling: dict[str, Counter[str]] = defaultdict(Counter)
    kind_of: dict[str, str | None] = {}
    for f in facts:
        for a in f.applicants:
            key = org_of.get(a) or normalize_name(a) or a
            if key not in kind_of:
                kind_of[key] = _owner_kind(a)
            if kind_of[key] in kinds:
                docs[key].append(f)
                spelling[key][a] += 1
    out = []
    chosen = sorted(docs, key=lambda k: -len(docs[k]))[:limit]
    person_of = person_labels(
        [
            (f.id, f.inventors, [org_of.get(a, a) for a in f.applicants])
            for f in {id(f): f for k in chosen for f in docs[k]}.values()
        ]
    )
    for key in chosen:
        ds = docs[key]
        out.append(
            {
                "owner": key,
                "key": key,
                "type": kind_of[key],
                "documents": len(ds),
                "countries": dict(Counter(f.country for f in ds).most_common(5)),
                "subclasses": [s for s, _ in Counter(s for f in ds for s in f.subclasses).most_common(5)],
                "inventors": [
                    i
                    for i, _ in Counter(
                        i for f in ds for i in {person_of.get(x) for x in f.inventors} if i
                    ).most_common(5)
                ],
                "years": [
                    min((f.year for f in ds if f.year), default=None),
                    max((f.year for f in ds if f.year), default=None),
                ],
                "sample": [f.id for f in ds[:5]],
            }
        )
    return {"kinds": list(kinds), "owners": out, "total_owners": len(docs), "documents_scanned": len(facts)}
