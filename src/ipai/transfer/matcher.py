"""Matching a technical demand to patents, their owners and experts (and a patent to demands).

1. **Key terms.** The demand's key technical terms are picked by :mod:`ipai.transfer.terms`: never a
   stop word, boilerplate (需要, 公司, 高校, method, system, need …) or everyday word (时, 严重),
   ranked by termhood against the store.
2. **Search.** The key terms are searched with the search engine (hybrid keyword + meaning,
   each term a concept with its translations, documents carrying every concept first), so a
   Chinese need finds English patents and the reverse; no other word is expanded. The whole
   demand, searched as a pasted text, adds :data:`TEXT_CANDIDATES` candidates the key terms miss
   — only candidates: what they are worth is decided by step 3, where only key terms count.
3. **Relevance.** The best :data:`PASSAGES` candidates are read by the multilingual e5 encoder
   (the demand as a query against each patent's invention passage) and the share of key terms each
   carries is counted; the calibrated model of :mod:`ipai.transfer.calibration` turns the two into the
   probability that the patent is on topic — the score shown, and the order. Below the calibrated
   threshold a demand has no good match, and says so.
4. **Owners and experts.** Applicants and inventors of the proposed patents are resolved into
   entities (:mod:`ipai.analytics.entities.parties`: one organisation or person is one row;
   waivers, "et al." and company names are never experts); an owner's or expert's relevance is
   that of its most relevant proposed patent (several weak patents never add up to a strong one).

**Feedback** re-ranks: a rejected proposal is not proposed again, patents close (cosine of their
semantic vectors) to accepted ones gain up to :data:`FEEDBACK_WEIGHT`, those close to rejected
ones lose as much, and patents of a rejected owner are left out.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ipai.search.analysis import has_han, index_tokens
from ipai.transfer.calibration import relevance, threshold
from ipai.transfer.meaning import meaning
from ipai.transfer.reasons import with_reasons
from ipai.transfer.terms import KeyTerm, key_terms

FEEDBACK_WEIGHT = 0.25
PASSAGES = 20  # key-term candidates read by the e5 encoder (their passages are cached by content)
TEXT_CANDIDATES = 10  # candidates of the whole demand searched as a pasted text (hybrid mode)
ANCHOR_CANDIDATES = 6  # candidates of the most specific key term alone (hybrid mode)
FULL_EVIDENCE = (
    3  # key concepts a demand needs for full coverage (one shared word of a one-word demand is weak)
)


@dataclass
class Feedback:
    """Accepted and rejected proposals of one demand: (kind, target) pairs."""

    accepted: set[tuple[str, str]] = field(default_factory=set)
    rejected: set[tuple[str, str]] = field(default_factory=set)

    @classmethod
    def from_matches(cls, rows: list[dict[str, Any]]) -> Feedback:
        fb = cls()
        for r in rows:
            if r.get("feedback") == "accepted":
                fb.accepted.add((r["kind"], r["target"]))
            elif r.get("feedback") == "rejected":
                fb.rejected.add((r["kind"], r["target"]))
        return fb


def _doc_text(doc: Any) -> str:
    """What a proposal is judged on: titles, abstracts, the first three claims (all languages)."""
    return " ".join([*doc.titles.values(), *doc.abstracts.values(), *(c.text for c in doc.claims[:3])])


@dataclass
class _Concept:
    """A searched concept: the key terms it stands for, their weight and every form searched."""

    text: str
    weight: float
    forms: list[tuple[str, str]]  # (form, source): the term itself ("query") or a translation


def _concepts(terms: list[KeyTerm], info: list[dict[str, Any]]) -> list[_Concept]:
    """The engine's concepts of the key-term query, each weighted by its key terms' termhood."""
    out = []
    for c in info:
        mine = [
            t
            for t in terms
            if t.text == c["text"]
            or t.text in c["text"].split()
            or (has_han(t.text) and t.text in c["text"] and t.broader_of is None)
        ]
        forms = [(c["text"], "query")] + [
            (f["text"], f.get("source") or "")
            for f in c.get("forms") or []
            if f.get("text") and f.get("source") in ("query", "cedict", "synonym", "wordspace")
        ]
        out.append(_Concept(c["text"], sum(t.termhood for t in mine) or 1.0, list(dict.fromkeys(forms))))
    return out


def _carried(concepts: list[_Concept], text: str) -> tuple[list[str], list[str], float]:
    """Concepts the text carries in their own words, those carried only through a translation,
    and the carried share of the concepts' weight."""
    toks = set(index_tokens(text, "en"))
    own: list[str] = []
    translated: list[str] = []
    got = 0.0
    for c in concepts:
        hit = None
        for form, source in c.forms:
            if has_han(form):
                found = form in text
            else:
                need = set(index_tokens(form, "en"))
                found = bool(need) and need <= toks
            if found:
                hit = (form, source)
                break
        if hit is None:
            continue
        got += c.weight
        (own if hit[1] == "query" else translated).append(c.text if hit[1] == "query" else hit[0])
    total = sum(c.weight for c in concepts) or 1.0
    return own, translated, got / total


def match_demand(
    engine: Any,
    text: str,
    lang: str,
    *,
    top: int = 20,
    classes: list[str] | None = None,
    value: Callable[[list[str]], dict[str, float]] | None = None,
    feedback: Feedback | None = None,
    mode: str = "hybrid",
    exclude: set[str] | frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """Ranked patents, owners and experts for a demand text, each with its calibrated relevance and
    reasons (``mode`` keyword or semantic restricts the search; ``exclude``: documents left out)."""
    from ipai.search.query import ast as A

    t0 = time.perf_counter()
    fb = feedback or Feedback()
    if hasattr(engine, "ensure_fresh"):
        engine.ensure_fresh()  # key terms are weighed on the index: bring it up to the store first
    terms = key_terms(engine, text)
    thr = threshold()
    out: dict[str, Any] = {
        "lang": lang,
        "key_terms": [_term_dict(t) for t in terms],
        "translations": {},
        "predicted_classes": sorted({c[:4] for c in classes or []}),
        "threshold": thr,
        "patents": [],
        "owners": [],
        "experts": [],
        "best": 0.0,
        "good_match": False,
    }
    if not terms:
        out["notice"] = "no_terms"
        out["timing_ms"] = {"search": 0.0, "total": round((time.perf_counter() - t0) * 1000, 1)}
        return out
    node = A.Seq(0, tuple(A.Term(t.position, t.text) for t in terms))
    pool = max(top, PASSAGES)
    res = engine.search_node(node, top=pool + len(exclude), explain=False, mode=mode)
    hits = [h for h in res.hits if h.id not in exclude][:pool]
    if mode == "hybrid":
        # candidates the key terms together miss: the whole demand as a pasted text, and the most
        # specific key term alone (a rare central term such as 利托那韦 is outnumbered by documents
        # carrying two common ones)
        anchor = max((t for t in terms if t.broader_of is None), key=lambda t: t.termhood)
        for extra, n in ((A.FreeText(0, text), TEXT_CANDIDATES), (A.Term(0, anchor.text), ANCHOR_CANDIDATES)):
            seen = {h.id for h in hits}
            more = engine.search_node(extra, top=n + len(exclude), explain=False, mode=mode)
            hits += [h for h in more.hits if h.id not in exclude and h.id not in seen][:n]
    t_search = time.perf_counter()
    concepts = _concepts(terms, res.concepts)
    out["translations"] = {
        c.text: [f for f, s in c.forms if s != "query"][:4]
        for c in concepts
        if any(s != "query" for _, s in c.forms)
    }
    docs_by_id = engine.documents([h.id for h in hits])
    hits = [h for h in hits if h.id in docs_by_id and ("patent", h.id) not in fb.rejected]
    rejected_owners = {t for k, t in fb.rejected if k == "owner"}
    docs = [docs_by_id[h.id] for h in hits]
    sims = meaning(engine, text, docs)
    t_meaning = time.perf_counter()
    ids = [h.id for h in hits]
    adjust = _feedback_adjust(engine, ids, fb) if (fb.accepted or fb.rejected) else {}
    want = {c[:4] for c in classes or []}
    values = value(ids) if value and ids else {}
    patents = []
    for h, doc, (sim, z) in zip(hits, docs, sims, strict=False):
        owners = [p.name for p in (doc.applicants or doc.assignees) if p.name]
        if rejected_owners and rejected_owners & set(_owner_keys(owners).values()):
            continue
        own, translated, coverage = _carried(concepts, _doc_text(doc))
        coverage *= min(len(concepts), FULL_EVIDENCE) / FULL_EVIDENCE
        rel = relevance(z, coverage)
        score = min(1.0, max(0.0, rel + adjust.get(h.id, 0.0)))
        subclasses = sorted({c.code.replace(" ", "")[:4] for c in doc.classifications if c.code})
        ex = {
            "relevance": round(rel, 4),
            "meaning": round(sim, 4),
            "meaning_z": round(z, 3),
            "coverage": round(coverage, 3),
            "shared_terms": own,
            "translated_terms": translated,
            "classes": subclasses[:8],
            "shared_classes": sorted(want & set(subclasses)),
            "value": values.get(h.id),
            "ranks": h.matched,
            "owners": owners[:5],
            "date": h.date,
            "inventors": [p.name for p in doc.inventors if p.name][:12],
            "feedback": round(adjust.get(h.id, 0.0), 3),
        }
        patents.append(
            with_reasons(
                {
                    "kind": "patent",
                    "target": h.id,
                    "label": h.title or doc.title,
                    "score": round(score, 4),
                    "explanation": ex,
                }
            )
        )
    patents.sort(key=lambda p: (-p["score"], -p["explanation"]["meaning_z"]))
    patents = _one_per_invention(patents)
    for i, p in enumerate(patents, 1):
        p["rank"] = i
    out["best"] = patents[0]["score"] if patents else 0.0
    out["good_match"] = out["best"] >= thr
    if not out["good_match"]:
        out["notice"] = "no_good_match"
    out["patents"] = patents[:top]
    out["owners"] = _aggregate(patents, "owner", fb, top)
    out["experts"] = _aggregate(patents, "expert", fb, top)
    out["query"] = " ".join(t.text for t in terms)
    out["timing_ms"] = {
        "search": round((t_search - t0) * 1000, 1),
        "meaning": round((t_meaning - t_search) * 1000, 1),
        "total": round((time.perf_counter() - t0) * 1000, 1),
    }
    return out


def _one_per_invention(patents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One proposal per invention: publications of one family in several offices (same title,
    same owners) are listed once, the others under ``explanation.same_invention``."""
    import re

    first: dict[tuple[str, tuple[str, ...]], dict[str, Any]] = {}
    out = []
    owner_of = _owner_keys([o for p in patents for o in p["explanation"]["owners"]])
    for p in patents:
        title = re.sub(r"\W+", "", (p["label"] or "").lower())
        key = (title, tuple(sorted({owner_of.get(o, o) for o in p["explanation"]["owners"]})))
        if title and key in first:
            first[key]["explanation"].setdefault("same_invention", []).append(p["target"])
            continue
        first[key] = p
        out.append(p)
    return out


def _term_dict(t: KeyTerm) -> dict[str, Any]:
    return {"text": t.text, "lang": t.lang, "documents": t.documents, "termhood": t.termhood}


def _owner_keys(names: list[str]) -> dict[str, str]:
    """Each owner name → its entity label (variants of one organisation share it)."""
    from ipai.analytics.entities.parties import org_labels

    return org_labels(names)


def _owner_kind(name: str) -> str | None:
    """university, institute, government, company, individual or unknown (see ipai.value)."""
    from ipai.value.indicators import owner_type

    return owner_type(name)


def _aggregate(patents: list[dict[str, Any]], kind: str, fb: Feedback, top: int) -> list[dict[str, Any]]:
    """Owners or experts of the proposed patents, one row per resolved entity: the relevance of its
    best patent, with its patents and the terms they share."""
    from ipai.analytics.entities.parties import org_labels, person_labels

    label_of: Mapping[str, str | None]
    if kind == "owner":
        label_of = org_labels([o for p in patents for o in p["explanation"]["owners"]])
    else:
        label_of = person_labels(
            [(p["target"], p["explanation"]["inventors"], p["explanation"]["owners"]) for p in patents]
        )
    best: dict[str, float] = defaultdict(float)
    spell: dict[str, Counter[str]] = defaultdict(Counter)
    docs: dict[str, list[str]] = defaultdict(list)
    terms: dict[str, Counter[str]] = defaultdict(Counter)
    partners: dict[str, Counter[str]] = defaultdict(Counter)
    owner_label = (
        org_labels([o for p in patents for o in p["explanation"]["owners"]]) if kind == "expert" else {}
    )
    for p in patents:
        ex = p["explanation"]
        names = ex["owners"] if kind == "owner" else ex["inventors"]
        for key in dict.fromkeys(label_of.get(n) for n in names):
            if not key:
                continue  # not a person (a waiver, "et al.", a company in the inventor field)
            best[key] = max(best[key], p["score"])
            docs[key].append(p["target"])
            terms[key].update(ex["shared_terms"] + ex["translated_terms"])
            if kind == "expert":
                partners[key].update(list(dict.fromkeys(owner_label.get(o, o) for o in ex["owners"][:2])))
        for n in names:
            if lab := label_of.get(n):
                spell[lab][n] += 1
    out = []
    for key in sorted(best, key=lambda k: (-best[k], -len(docs[k]), k)):
        if (kind, key) in fb.rejected:
            continue
        explanation: dict[str, Any] = {
            "patents": docs[key][:10],
            "terms": [t for t, _ in terms[key].most_common(10)],
            "variants": sorted(spell[key])[:10],
        }
        if kind == "owner":
            explanation["type"] = _owner_kind(key)
        else:
            explanation["affiliations"] = [a for a, _ in partners[key].most_common(3) if a != key]
        out.append(
            with_reasons(
                {
                    "kind": kind,
                    "target": key,
                    "label": key,
                    "score": round(best[key], 4),
                    "explanation": explanation,
                }
            )
        )
        if len(out) >= top:
            break
    for i, it in enumerate(out, 1):
        it["rank"] = i
    return out


def _feedback_adjust(engine: Any, ids: list[str], fb: Feedback) -> dict[str, float]:
    """±FEEDBACK_WEIGHT × the highest cosine to an accepted / rejected patent."""
    acc = [t for k, t in fb.accepted if k == "patent"]
    rej = [t for k, t in fb.rejected if k == "patent"]
    if not acc and not rej:
        return {}
    keep, mat = engine.doc_vectors(list(dict.fromkeys(ids + acc + rej)))
    if not len(keep):
        return {}
    mat = mat / np.maximum(np.linalg.norm(mat, axis=1, keepdims=True), 1e-9)
    row = {i: n for n, i in enumerate(keep)}
    out: dict[str, float] = {}
    for group, sign in ((acc, 1.0), (rej, -1.0)):
        g = [row[i] for i in group if i in row]
        if not g:
            continue
        sims = mat @ mat[g].T
        for i in ids:
            if i in row:
                out[i] = out.get(i, 0.0) + sign * FEEDBACK_WEIGHT * float(max(0.0, sims[row[i]].max()))
    return out


def match_patent(
    engine: Any, doc: Any, demands: list[dict[str, Any]], *, top: int = 20
) -> list[dict[str, Any]]:
    """Open demands ranked for one stored patent by the same calibrated relevance: the standardised
    e5 similarity of each demand (as a query) with the patent's passage, and the share of the
    demand's key terms the patent carries (their own words or the dictionary's translations)."""
    if not demands:
        return []
    text = _doc_text(doc)
    out = []
    for d in demands:
        terms = key_terms(engine, d["text"])
        concepts = [
            _Concept(t.text, t.termhood, [(t.text, "query")] + [(g, "cedict") for g in _glosses(t)])
            for t in terms
        ]
        own, translated, coverage = _carried(concepts, text)
        coverage *= min(len(concepts), FULL_EVIDENCE) / FULL_EVIDENCE
        sim, z = meaning(engine, d["text"], [doc])[0]
        ex = with_reasons(
            {
                "kind": "patent",
                "explanation": {"shared_terms": own, "translated_terms": translated, "meaning": sim},
            }
        )["explanation"]
        out.append(
            {
                "demand_id": d["id"],
                "title": d["title"],
                "organisation": d.get("organisation"),
                "score": round(relevance(z, coverage), 4),
                "meaning": round(sim, 4),
                "meaning_z": round(z, 3),
                "coverage": round(coverage, 3),
                "shared_terms": own,
                "translated_terms": translated,
                "reasons": ex["reasons"],
                "reasons_zh": ex["reasons_zh"],
            }
        )
    out.sort(key=lambda x: -x["score"])
    return out[:top]


def _glosses(t: KeyTerm) -> list[str]:
    """Dictionary translations of a key term (CC-CEDICT, both directions)."""
    from ipai.text.lexicon import lexicon

    try:
        lex = lexicon()
    except Exception:  # noqa: BLE001 - without the lexicon only the term's own words count
        return []
    if t.lang == "zh":
        return [g.text for g in lex.glosses(t.text) if not g.qualified][:3]
    return [w for w, _ in lex.chinese([t.text])][:3]
