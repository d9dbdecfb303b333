"""A patent landscape over a set of documents: counts by year, jurisdiction, class, applicant and
inventor; the applicant × technology matrix; the co-applicant network.

Documents are read as raw canonical JSON and only the fields a landscape needs are picked out
(parsing 25,000 full documents into models would cost more than the whole landscape). By default
each publication counts once; with ``count="families"`` every count counts families (同族:
documents sharing a family id, a priority claim or a listed member, :mod:`ipai.status.family`) —
a family once per year (its earliest), jurisdiction, class, applicant and inventor it has.
``families`` is always the number of distinct families.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from ipai.analytics.gcpause import fewer_collections
from ipai.text.names import normalize_name

_CPC_IPC = re.compile(r"^[A-HY]\d\d[A-Z]")
Resolve = Callable[[list[str]], dict[str, str]]  # names → entity label


@dataclass(slots=True)
class Facts:
    """The landscape-relevant fields of one document."""

    id: str
    country: str
    year: int | None  # earliest of priority, filing, publication
    pub_year: int | None
    family: str
    subclasses: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    applicants: list[str] = field(default_factory=list)
    inventors: list[str] = field(default_factory=list)
    cited_by: int = 0
    doc_type: str | None = None
    norms: dict[str, str] = field(default_factory=dict)  # name → normal form stored at ingest
    countries: dict[str, str] = field(default_factory=dict)  # applicant → country, where the source gives it
    fam_tokens: list[str] = field(default_factory=list)  # family id, priorities, itself (ipai.status.family)


def _year(v: str | None) -> int | None:
    return int(v[:4]) if v and v[:4].isdigit() else None


FIELDS = (
    "id",
    "pubno",
    "priority_date",
    "filing_date",
    "publication_date",
    "grant_date",
    "priorities",
    "family_id",
    "classifications",
    "applicants",
    "assignees",
    "inventors",
    "cited_by_count",
    "doc_type",
)


def facts_from_json(raw: str) -> Facts:
    """Pick the landscape fields out of a document's canonical JSON."""
    return facts_from_fields(json.loads(raw))


def facts_from_fields(d: dict[str, Any]) -> Facts:
    """Landscape fields from a dict holding (at least) :data:`FIELDS`."""
    known = [
        int(v[:4])
        for v in (
            d.get("priority_date"),
            d.get("filing_date"),
            d.get("publication_date"),
            d.get("grant_date"),
        )
        if v and v[:4].isdigit()
    ]
    for p in d.get("priorities") or ():
        v = p.get("date")
        if v and v[:4].isdigit():
            known.append(int(v[:4]))
    subclasses: dict[str, None] = {}
    groups: dict[str, None] = {}
    for c in d.get("classifications") or ():
        code = (c.get("code") or "").replace(" ", "")
        if not _CPC_IPC.match(code):  # national schemes (US 709/227, JP FI …) are not mapped here
            continue
        subclasses[code[:4]] = None
        if "/" in code:
            groups[code.split("/", 1)[0]] = None
    parties = d.get("applicants") or d.get("assignees") or ()
    inventors = d.get("inventors") or ()
    norms = {
        p["name"]: p["name_norm"] for p in (*parties, *inventors) if p.get("name") and p.get("name_norm")
    }
    from ipai.status import family_key, family_tokens

    pn = d.get("pubno") or {}
    doc_id = d.get("id", "")
    return Facts(
        id=doc_id,
        country=pn.get("country", ""),
        year=min(known) if known else None,
        pub_year=_year(d.get("publication_date") or d.get("grant_date")),
        family=family_key(d),
        subclasses=list(subclasses),
        groups=list(groups),
        applicants=[p["name"] for p in parties if p.get("name")],
        inventors=[p["name"] for p in inventors if p.get("name")],
        cited_by=int(d.get("cited_by_count") or 0),
        doc_type=d.get("doc_type"),
        norms=norms,
        countries={p["name"]: p["country"] for p in parties if p.get("name") and p.get("country")},
        fam_tokens=family_tokens(d),
    )


def facts_row(f: Facts) -> list[Any]:
    """The facts as a JSON-able list in field order (``Facts(*row)`` gives them back): how the
    store's ``doc_facts`` table keeps them."""
    return [
        f.id,
        f.country,
        f.year,
        f.pub_year,
        f.family,
        f.subclasses,
        f.groups,
        f.applicants,
        f.inventors,
        f.cited_by,
        f.doc_type,
        f.norms,
        f.countries,
        f.fam_tokens,
    ]


def _default_resolve(names: list[str], known: dict[str, str] | None = None) -> dict[str, str]:
    """Group names by their normal form (``known`` ones as stored at ingest); label each group
    with its most frequent spelling."""
    freq = Counter(names)
    known = known or {}
    norm = {n: known.get(n) or normalize_name(n) or n for n in freq}
    best: dict[str, tuple[int, str]] = {}
    for n, c in freq.items():
        k = norm[n]
        cur = best.get(k)
        if cur is None or c > cur[0]:
            best[k] = (c, n)
    return {n: best[norm[n]][1] for n in freq}


PEOPLE_MAX_DOCS = 30_000  # above this, inventors are grouped by their stored normal form (speed)


def _people(docs: list[Facts], app_of: dict[str, str]) -> dict[str, str | None]:
    """Inventor name → person label through the entity resolver (co-inventors and applicants as
    context; waivers, "et al." and organisations get ``None``)."""
    from ipai.analytics.entities.parties import not_a_person, person_labels

    if len(docs) > PEOPLE_MAX_DOCS:
        norms = {n: m for f in docs for n, m in f.norms.items()}
        grouped = _default_resolve([i for f in docs for i in f.inventors], norms)
        return {n: (lab if not_a_person(n) is None else None) for n, lab in grouped.items()}
    return person_labels([(f.id, f.inventors, [app_of.get(a, a) for a in f.applicants]) for f in docs])


def _top(counter: Counter[Any], n: int) -> list[dict[str, Any]]:
    return [{"key": k, "count": v} for k, v in counter.most_common(n)]


def family_of(docs: list[Facts], extra: dict[str, list[str]] | None = None) -> dict[str, str]:
    """Each document's family (the id of its family's first document): documents sharing a family
    token are one family; ``extra`` adds tokens per document (its application, listed members)."""
    from ipai.status import group

    extra = extra or {}
    out: dict[str, str] = {}
    for g in group((f.id, f.fam_tokens + extra.get(f.id, [])) for f in docs):
        out.update((i, g[0]) for i in g)
    return out


def _once(pairs: Iterable[tuple[Any, str]]) -> Counter[Any]:
    """Keys counted once per family (``pairs``: key, family)."""
    return Counter(k for k, _ in set(pairs))


def landscape(
    facts: Iterable[Facts],
    *,
    top: int = 20,
    resolve: Resolve | None = None,
    count: str = "documents",
    family_tokens: dict[str, list[str]] | None = None,
) -> dict[str, Any]:
    """Counts, matrix and network over ``facts`` (applicant names merged by ``resolve``, inventors
    by the person resolver of :mod:`ipai.analytics.entities.parties`); ``count``: ``documents`` or
    ``families`` (``family_tokens``: more family tokens per document, see :func:`family_of`)."""
    if count not in ("documents", "families"):
        raise ValueError(f"count must be documents or families, not {count!r}")
    with fewer_collections():
        return _landscape(list(facts), top, resolve, count, family_tokens)


def _landscape(
    docs: list[Facts],
    top: int,
    resolve: Resolve | None,
    count: str,
    family_tokens: dict[str, list[str]] | None,
) -> dict[str, Any]:
    """:func:`landscape` computed."""
    app_names = [a for f in docs for a in f.applicants]
    if resolve is None:
        app_of = _default_resolve(app_names, {n: m for f in docs for n, m in f.norms.items()})
    else:
        app_of = resolve(app_names)
    inv_of = _people(docs, app_of)
    # an individual applicant who is also an inventor takes the person's label (one row for
    # "Raghu Vemula" / "Vemula Raghu" among the applicants too)
    app_of = {a: (inv_of.get(a) or lab) if inv_of.get(a) else lab for a, lab in app_of.items()}
    # whole-set Counters built from generators (one C loop each) rather than per-document updates
    apps_of = [sorted({app_of[a] for a in f.applicants}) for f in docs]
    fam = family_of(docs, family_tokens)
    families = set(fam.values())
    if count == "families":
        first: dict[str, int] = {}
        for f in docs:
            if f.year and (fam[f.id] not in first or f.year < first[fam[f.id]]):
                first[fam[f.id]] = f.year
        by_year = Counter(first.values())
        by_pub_year = _once((f.pub_year, fam[f.id]) for f in docs if f.pub_year)
        by_cc = _once((f.country, fam[f.id]) for f in docs)
        by_sub = _once((s, fam[f.id]) for f in docs for s in f.subclasses)
        by_group = _once((g, fam[f.id]) for f in docs for g in f.groups)
        by_app = _once((a, fam[f.id]) for f, apps in zip(docs, apps_of, strict=False) for a in apps)
        by_inv = _once((i, fam[f.id]) for f in docs for i in {inv_of.get(x) for x in f.inventors} if i)
    else:
        by_year = Counter(f.year for f in docs if f.year)
        by_pub_year = Counter(f.pub_year for f in docs if f.pub_year)
        by_cc = Counter(f.country for f in docs)
        by_sub = Counter(s for f in docs for s in f.subclasses)
        by_group = Counter(g for f in docs for g in f.groups)
        by_app = Counter(a for apps in apps_of for a in apps)
        by_inv = Counter(i for f in docs for i in {inv_of.get(x) for x in f.inventors} if i)
    cites_app: Counter[str] = Counter()
    for f, apps in zip(docs, apps_of, strict=False):
        if f.cited_by:
            for a in apps:
                cites_app[a] += f.cited_by
    edges = Counter(pair for apps in apps_of if len(apps) > 1 for pair in combinations(apps, 2))
    top_apps = [a for a, _ in by_app.most_common(top)]
    leading = set(top_apps)
    app_sub: dict[str, Counter[str]] = defaultdict(Counter)
    app_years: dict[str, Counter[int]] = defaultdict(Counter)
    for f, apps in zip(docs, apps_of, strict=False):
        for a in apps:
            if a in leading:
                app_sub[a].update(f.subclasses)
                if f.year:
                    app_years[a][f.year] += 1
    top_subs = [s for s, _ in by_sub.most_common(min(top, 15))]
    years = sorted(by_year)
    return {
        "documents": len(docs),
        "families": len(families),
        "count": count,
        "years": {"first": years[0] if years else None, "last": years[-1] if years else None},
        "by_year": dict(sorted(by_year.items())),
        "by_publication_year": dict(sorted(by_pub_year.items())),
        "by_jurisdiction": _top(by_cc, top),
        "by_subclass": _top(by_sub, top),
        "by_group": _top(by_group, top),
        "by_applicant": [
            {
                "key": a,
                "count": by_app[a],
                "cited_by": cites_app[a],
                "first_year": min(app_years[a]) if app_years[a] else None,
                "last_year": max(app_years[a]) if app_years[a] else None,
            }
            for a in top_apps
        ],
        "by_inventor": _top(by_inv, top),
        "applicant_technology": {
            "applicants": top_apps,
            "subclasses": top_subs,
            "counts": [[app_sub[a][s] for s in top_subs] for a in top_apps],
        },
        "applicant_years": {a: dict(sorted(app_years[a].items())) for a in top_apps[:10]},
        "co_applicants": {
            "nodes": [{"id": a, "count": by_app[a]} for a in top_apps],
            "edges": [
                {"source": a, "target": b, "weight": w}
                for (a, b), w in edges.most_common(200)
                if a in top_apps and b in top_apps
            ],
        },
        "applicants_distinct": len(by_app),
        "inventors_distinct": len(by_inv),
    }


def hotspots(
    facts: list[Facts], *, last_year: int | None = None, top: int = 15, horizon: int = 3
) -> dict[str, Any]:
    """Emerging classification groups (growth and Kleinberg bursts over the set's years) and a
    backtested forecast of the set's yearly filings. Years after ``last_year`` (incomplete:
    publication lag) are left out of both."""
    from ipai.analytics.trends import forecast, term_trends

    years = [f.year for f in facts if f.year and (last_year is None or f.year <= last_year)]
    totals = Counter(years)
    group_year: dict[str, Counter[int]] = defaultdict(Counter)
    for f in facts:
        if f.year and f.year in totals:
            for g in f.groups:
                group_year[g][f.year] += 1
    trends = term_trends(group_year, totals, min_docs=max(5, len(facts) // 500), top=top) if totals else []
    fc = forecast(dict(sorted(totals.items())), horizon=horizon) if len(totals) >= 3 else None
    return {
        "last_complete_year": last_year,
        "emerging_groups": [t.to_dict() for t in trends],
        "forecast": fc.to_dict() if fc else None,
    }
