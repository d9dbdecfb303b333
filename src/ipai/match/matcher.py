"""Matching a technical demand to patents, their owners and experts (and a patent to demands).

A demand is searched like a pasted disclosure (hybrid: keywords + multilingual vectors, so a
Chinese need finds English patents), after **associated-term expansion**: its most specific words
(highest idf) bring their nearest words in the multilingual word space (both languages). Each
proposal carries its reasons:

- **patents**: the demand words found in the patent (title, abstract, claims), associated terms
  found, classification subclasses shared with the classes predicted for the demand, which list
  found it (keyword/semantic rank), and the patent's value score when valuation is available;
- **owners** (universities, institutes, companies): the sum of their matched patents' scores,
  with those patents and the owner's type;
- **experts** (inventors): the same over the patents they invented, with their affiliations.

**Feedback** re-ranks: a rejected proposal is not proposed again, patents close (cosine of their
semantic vectors) to accepted ones gain up to :data:`FEEDBACK_WEIGHT`, those close to rejected
ones lose as much, and patents of a rejected owner are left out.
"""

from __future__ import annotations

import math
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from ipai.search.analysis import index_tokens, vector_tokens
from ipai.text.names import normalize_name

FEEDBACK_WEIGHT = 0.25
EXPAND_WORDS = 3  # most specific demand words expanded
EXPAND_PER_WORD = 2  # associated terms added per word
EXPAND_MIN_SIM = 0.5  # an associated term in the other language (zh ↔ en)
EXPAND_SAME_SIM = 0.7  # one in the demand's own language (near-synonyms drift: 降落 → 升降)
# words every demand uses ("we need a method …", "我们需要一种技术 …"): never keywords or shared terms
DEMAND_STOP = frozenset("""
我们 需要 希望 寻求 寻找 一种 能够 可以 技术 方法 企业 公司 问题 解决 实现 提供 用于 进行 相关 目前 现有 基于 获得
we our need needs needed want wants looking seek seeking require requires required method methods technology
technologies solution solutions company able way ways provide providing use using during keep new""".split())
FIELDS = ("titles", "abstracts", "applicants", "assignees", "inventors", "classifications", "claims")


@dataclass
class Feedback:
    """Accepted and rejected proposals of one demand: (kind, target) pairs."""

    accepted: set[tuple[str, str]] = field(default_factory=set)
    rejected: set[tuple[str, str]] = field(default_factory=set)

    @classmethod
    def from_matches(cls, rows: list[dict[str, Any]]) -> "Feedback":
        fb = cls()
        for r in rows:
            if r.get("feedback") == "accepted":
                fb.accepted.add((r["kind"], r["target"]))
            elif r.get("feedback") == "rejected":
                fb.rejected.add((r["kind"], r["target"]))
        return fb


def keywords(engine: Any, text: str, lang: str, k: int = EXPAND_WORDS) -> list[str]:
    """The demand's most specific words (tf × idf of their index token), surface forms."""
    words = [w for w in vector_tokens(text) if len(w) >= (2 if not w.isascii() else 3) and w not in DEMAND_STOP]
    if not words:
        return []
    tok = {w: (index_tokens(w, lang) or [w])[0] for w in set(words)}
    idf = engine.idf(list(tok.values()))
    tf = Counter(words)
    return sorted(tf, key=lambda w: (-tf[w] * idf.get(tok[w], 0.0), w))[:k]


def expansions(engine: Any, words: list[str]) -> dict[str, list[str]]:
    """Associated terms per word from the multilingual word space (cheap: no search)."""
    from ipai.search.wordspace import neighbours

    out: dict[str, list[str]] = {}
    for w in words:
        near = []
        for t, s in neighbours(engine.encoder, w, 12):
            other_script = t.isascii() != w.isascii()
            # a word's pieces or extensions (无人 / 无人机) add nothing; the other language bridges
            # to documents the words alone cannot reach, so it is taken at a lower similarity
            if t in w or w in t or t in DEMAND_STOP or s < (EXPAND_MIN_SIM if other_script else EXPAND_SAME_SIM):
                continue
            near.append(t)
        if near:
            out[w] = near[:EXPAND_PER_WORD]
    return out


def _doc_text(r: dict[str, Any]) -> str:
    parts = [*(r.get("titles") or {}).values(), *(r.get("abstracts") or {}).values()]
    claims = r.get("claims") or []
    parts += [c.get("text", "") for c in claims[:3]]
    return " ".join(parts)


def _stems(words: list[str]) -> dict[str, str]:
    """Comparable key of each word: its English stem, Chinese words as they are."""
    return {w: (index_tokens(w, "en") or [w])[0] for w in words}


def _owner_kind(name: str) -> str | None:
    """university, institute, government, company, individual or unknown (see ipai.value)."""
    from ipai.value.indicators import owner_type

    return owner_type(name)


def match_demand(engine: Any, text: str, lang: str, *, top: int = 20, depth: int = 60,
                 classes: list[str] | None = None, value: Callable[[list[str]], dict[str, float]] | None = None,
                 feedback: Feedback | None = None, expand: bool = True, mode: str = "hybrid",
                 exclude: set[str] | frozenset[str] = frozenset()) -> dict[str, Any]:
    """Ranked patents, owners and experts for a demand text, each with reasons (``mode``
    keyword = the BM25-only baseline of ``ipai eval match``; ``exclude``: documents left out)."""
    from ipai.search.query.ast import FreeText

    t0 = time.perf_counter()
    fb = feedback or Feedback()
    kw = keywords(engine, text, lang)
    exp = expansions(engine, kw) if expand else {}
    added = [t for ts in exp.values() for t in ts]
    query = " ".join([text, *added]) if added else text
    res = engine.search_node(FreeText(0, query), top=depth + len(exclude), explain=False, mode=mode)
    res.hits = [h for h in res.hits if h.id not in exclude][:depth]
    t_search = time.perf_counter()
    ids = [h.id for h in res.hits]
    rows = engine.store.get_fields(ids, FIELDS) if ids else {}
    rejected_owners = {t for k, t in fb.rejected if k == "owner"}
    base = {h.id: 1.0 / math.sqrt(h.rank) for h in res.hits}  # rank-based: comparable across queries
    adjust = _feedback_adjust(engine, ids, fb) if (fb.accepted or fb.rejected) else {}
    demand_words = [w for w in dict.fromkeys(vector_tokens(text)) if w not in DEMAND_STOP]
    d_stems = _stems(demand_words)
    a_stems = _stems(added)
    want = {c[:4] for c in classes or []}
    values = value(ids) if value and ids else {}
    patents = []
    for h in res.hits:
        r = rows.get(h.id)
        if r is None or ("patent", h.id) in fb.rejected:
            continue
        owners = [p["name"] for p in (r.get("applicants") or r.get("assignees") or []) if p.get("name")]
        if rejected_owners & {normalize_name(o) for o in owners}:
            continue
        doc_keys = set(index_tokens(_doc_text(r), "en"))
        shared = [w for w in demand_words if d_stems[w] in doc_keys][:12]
        assoc = [w for w in added if a_stems[w] in doc_keys]
        subclasses = sorted({(c.get("code") or "")[:4] for c in r.get("classifications") or [] if c.get("code")})
        score = base[h.id] + adjust.get(h.id, 0.0)
        reasons = []
        if shared:
            reasons.append("shared terms: " + ", ".join(shared[:8]))
        if assoc:
            reasons.append("associated terms: " + ", ".join(assoc))
        both = sorted(want & set(subclasses))
        if both:
            reasons.append("classes: " + ", ".join(both))
        if h.matched.get("semantic") and not shared:
            reasons.append(f"close in meaning (semantic rank {h.matched['semantic']})")
        if h.id in values:
            reasons.append(f"value score {values[h.id]:.0f}/100")
        if adjust.get(h.id):
            reasons.append(f"feedback {'+' if adjust[h.id] > 0 else ''}{adjust[h.id]:.2f}")
        patents.append({"kind": "patent", "target": h.id, "label": h.title, "score": round(score, 4),
                        "explanation": {"reasons": reasons, "shared_terms": shared, "associated_terms": assoc,
                                        "classes": subclasses[:8], "shared_classes": both, "value": values.get(h.id),
                                        "ranks": h.matched, "owners": owners[:5], "date": h.date,
                                        "inventors": [p["name"] for p in r.get("inventors") or [] if p.get("name")][:8],
                                        "feedback": round(adjust.get(h.id, 0.0), 3)}})
    patents.sort(key=lambda p: -p["score"])
    owners_out = _aggregate(patents, "owners", "owner", fb, top)
    experts_out = _aggregate(patents, "inventors", "expert", fb, top)
    for i, p in enumerate(patents, 1):
        p["rank"] = i
    return {"keywords": kw, "expansions": exp, "query_terms_added": added, "predicted_classes": sorted(want),
            "patents": patents[:top], "owners": owners_out, "experts": experts_out,
            "timing_ms": {"search": round((t_search - t0) * 1000, 1),
                          "total": round((time.perf_counter() - t0) * 1000, 1)}}


def _aggregate(patents: list[dict[str, Any]], key: str, kind: str, fb: Feedback, top: int) -> list[dict[str, Any]]:
    """Owners or experts: Σ of their patents' scores (spellings merged by normal form)."""
    score: dict[str, float] = defaultdict(float)
    label: dict[str, Counter[str]] = defaultdict(Counter)
    docs: dict[str, list[str]] = defaultdict(list)
    terms: dict[str, Counter[str]] = defaultdict(Counter)
    partners: dict[str, Counter[str]] = defaultdict(Counter)
    for p in patents:
        ex = p["explanation"]
        for name in dict.fromkeys(ex[key]):
            k = normalize_name(name) or name
            score[k] += p["score"]
            label[k][name] += 1
            docs[k].append(p["target"])
            terms[k].update(ex["shared_terms"])
            if kind == "expert":
                partners[k].update(ex["owners"][:2])
    out = []
    for k in sorted(score, key=lambda x: -score[x]):
        if (kind, k) in fb.rejected:
            continue
        name = label[k].most_common(1)[0][0]
        reasons = [f"{len(docs[k])} matched patent(s): " + ", ".join(docs[k][:5])]
        if terms[k]:
            reasons.append("terms: " + ", ".join(t for t, _ in terms[k].most_common(6)))
        item: dict[str, Any] = {"kind": kind, "target": k, "label": name, "score": round(score[k], 4),
                                "explanation": {"reasons": reasons, "patents": docs[k][:10],
                                                "terms": [t for t, _ in terms[k].most_common(10)]}}
        if kind == "owner":
            item["explanation"]["type"] = _owner_kind(name)
            if item["explanation"]["type"] not in (None, "unknown"):
                reasons.append(f"type: {item['explanation']['type']}")
        else:
            item["explanation"]["affiliations"] = [a for a, _ in partners[k].most_common(3)]
            if partners[k]:
                reasons.append("affiliations: " + ", ".join(item["explanation"]["affiliations"]))
        out.append(item)
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


def match_patent(engine: Any, doc_text: str, demands: list[dict[str, Any]], *, top: int = 20) -> list[dict[str, Any]]:
    """Open demands ranked for one patent (or a portfolio's text): cosine of the semantic vectors
    plus shared words, each with its reasons."""
    if not demands:
        return []
    vecs = engine.embed([doc_text[:5000]] + [d["text"][:5000] for d in demands])
    sims = vecs[1:] @ vecs[0]
    doc_words = set(_stems(list(dict.fromkeys(vector_tokens(doc_text)))).values())
    out = []
    for d, s in zip(demands, sims.tolist()):
        words = [w for w in dict.fromkeys(vector_tokens(d["text"])) if w not in DEMAND_STOP]
        shared = [w for w, st in _stems(words).items() if st in doc_words][:10]
        score = float(s) + 0.02 * len(shared)
        out.append({"demand_id": d["id"], "title": d["title"], "organisation": d.get("organisation"),
                    "score": round(score, 4), "similarity": round(float(s), 4), "shared_terms": shared,
                    "reasons": [f"similarity {s:.2f}"] + (["shared terms: " + ", ".join(shared[:8])] if shared else [])})
    out.sort(key=lambda x: -x["score"])
    return out[:top]
