"""Associated terms (二级联想词): what a searcher would add to a query, each with a measured
association to the term — never its substrings (无人机 ↛ 人机, 无机) or patent boilerplate.

- **translation** — the term in the other language: CC-CEDICT senses and words learned by the e5
  term space (无人机 → drone, unmanned aerial vehicle); score: e5 cosine of the two;
- **synonym** — same language, through a translation (drone → 无人机 → unmanned aerial vehicle) or
  the term space; score: e5 cosine;
- **narrower** — corpus words that contain the term as a word part (电池 → 锂电池, 动力电池);
  score: NPMI with the term over the corpus;
- **related** — words over-represented in the documents carrying the term (significant terms):
  score: normalised pointwise mutual information (NPMI) of word and term over the documents,
  from the matching documents read and the word's corpus document frequency.

Only words the corpus has are suggested; each says its kind, language and document count.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ipai.search.analysis import has_han, index_tokens, vector_tokens
from ipai.search.concepts import BOILERPLATE
from ipai.search.docfields import semantic_text
from ipai.search.keyword.tantivy_index import ALL_TEXT
from ipai.text.lang import detect

CO_DOCS = 400  # documents carrying the term read for co-occurrence
MIN_CO = 3  # a related word must occur in this many of them
MIN_NPMI = 0.12
DISCOUNT = 2.0  # co-occurrences taken off each count before NPMI (absolute discounting): a word seen in
# three documents of the sample is weak evidence, in thirty strong
# words of patent drafting that co-occur with everything: never worth suggesting
PATENT_STOP = BOILERPLATE | frozenset(
    [
        "wherein",
        "said",
        "plurality",
        "first",
        "second",
        "third",
        "configured",
        "provided",
        "least",
        "portion",
        "member",
        "element",
        "according",
        "invention",
        "present",
        "embodiment",
        "embodiments",
        "claim",
        "claims",
        "disclosed",
        "describes",
        "described",
        "include",
        "includes",
        "including",
        "one",
        "two",
        "more",
        "each",
        "such",
        "other",
        "thereof",
        "therein",
        "thereby",
        "can",
        "may",
        "also",
        "based",
        "used",
        "use",
        "uses",
        "本发明",
        "所述",
        "其中",
        "以及",
        "实现",
        "提供",
        "具有",
        "设置",
        "连接",
        "固定",
        "位于",
        "采用",
        "进行",
        "通过",
        "能够",
        "可以",
        "第一",
        "第二",
        "一端",
        "另一端",
        "两端",
        "底部",
        "顶部",
        "内部",
        "外部",
        "表面",
        "主体",
        "本体",
        "相应",
        "对应",
        "若干",
        "多个",
        "至少",
        "所述的",
        "一个",
        "有效",
        "解决",
        "问题",
        "技术",
        "效果",
    ]
)


@dataclass
class Suggestion:
    """One associated term."""

    term: str
    score: float  # the measured association (e5 cosine, or NPMI for narrower/related)
    lang: str
    sources: list[str] = field(default_factory=list)  # kind first: translation, synonym, narrower, related
    count: int = 0  # documents in the index with the term
    kind: str = ""


def suggest(engine: Any, term: str, k: int = 20) -> list[Suggestion]:
    """Associated terms for ``term``: translations and synonyms first, then narrower and related
    terms, each kind by its score."""
    from ipai.search.query.ast import FreeText, Seq, Term
    from ipai.search.query.parser import parse_query

    node = parse_query(term, free_text_fallback=False) if len(term) < 200 else FreeText(pos=0, text=term)
    if not isinstance(node, (Seq, Term)):
        node = Term(pos=0, text=term)
    plan = engine.plan(node)
    own = _own_strings(term, plan)
    out: dict[str, Suggestion] = {}
    for c in plan.concepts:
        for f in c.forms + [f for p in c.parts for f in p.forms]:
            if f.source == "query" or f.kind == "prefix" or _excluded(f.text, own - {f.text.lower()}, plan):
                continue
            kind = "synonym" if f.lang == c.lang else "translation"
            out.setdefault(f.text.lower(), Suggestion(f.text, 0.0, f.lang, [kind, f.source], f.df, kind))
    for w, cos in _same_language(engine, term):
        if not _excluded(w, own, plan):
            out.setdefault(
                w.lower(),
                Suggestion(
                    w,
                    round(cos, 4),
                    detect(w, default="en"),
                    ["synonym", "termspace"],
                    _df(engine, w),
                    "synonym",
                ),
            )
    _score_by_e5(term, [s for s in out.values() if s.score == 0.0])
    for w, npmi, n, kind in _cooccurring(engine, plan, own):
        if w.lower() not in out:
            out[w.lower()] = Suggestion(
                w,
                round(npmi, 4),
                "zh" if has_han(w) else detect(w, default="en"),
                [kind, "co-occurrence"],
                n,
                kind,
            )
    order = {"translation": 0, "synonym": 1, "narrower": 2, "related": 3}
    ranked = sorted(out.values(), key=lambda s: (order.get(s.kind, 9), -s.score))
    return ranked[:k]


def _own_strings(term: str, plan: Any) -> set[str]:
    """The term, its words and every form of its concepts (lower case): their parts are never
    suggested (人机 ⊂ 无人机, aerial ⊂ unmanned aerial vehicle)."""
    own = {term.lower(), *(w.lower() for w in term.split())}
    for c in plan.concepts:
        own.add(c.text.lower())
        own.update(f.text.lower() for f in c.forms + [f for p in c.parts for f in p.forms])
    return own


def _excluded(word: str, own: set[str], plan: Any) -> bool:
    """Boilerplate, too short, a part of the term (人机 ⊂ 无人机), or the term itself inflected."""
    w = word.lower().strip()
    if len(w) < 2 or w in PATENT_STOP or w.replace(".", "").isdigit():
        return True
    if any(w != o and w in o for o in own):  # a substring of the term
        return True
    if not has_han(w):
        stems = set(index_tokens(w, "en"))
        if stems and stems <= {t for o in own if not has_han(o) for t in index_tokens(o, "en")}:
            return True  # drones, drone's
    return w in own


def _is_narrower(word: str, own: set[str]) -> bool:
    """A longer word containing the term (or a form of it) in the same script: 锂电池 for 电池."""
    w = word.lower()
    return any(o and o != w and o in w and has_han(o) == has_han(w) for o in own)


def _df(engine: Any, word: str) -> int:
    toks = index_tokens(word, "zh" if has_han(word) else "en")
    return min((engine.planner.kw.doc_freq(ALL_TEXT, t) for t in toks), default=0) if toks else 0


def _same_language(engine: Any, term: str) -> list[tuple[str, float]]:
    """Near-synonyms in the term's own script from the e5 term space."""
    space = getattr(engine, "termspace", None)
    script = "zh" if has_han(term) else "en"
    if space is None or not space.has(script) or " " in term.strip():
        return []
    found: list[tuple[str, float]] = space.translate(term, script, k=4)
    return found


def _score_by_e5(term: str, items: list[Suggestion]) -> None:
    """Set each suggestion's score to the e5 cosine of the term and the suggestion."""
    if not items:
        return
    from ipai.search.vector import e5

    if not e5.available():
        for s in items:
            s.score = 1.0
        return
    vecs = e5.encode_queries([term] + [s.term for s in items])
    sims = vecs[1:] @ vecs[0]
    for s, v in zip(items, sims, strict=False):
        s.score = round(float(v), 4)


def _cooccurring(engine: Any, plan: Any, own: set[str]) -> list[tuple[str, float, int, str]]:
    """(word, NPMI, documents, narrower|related) over the documents carrying the term."""
    from ipai.search.engine import full_match_query

    q = full_match_query(plan)
    if q is None:
        return []
    keys, _, total = engine.kw_search(q, CO_DOCS, True)
    if not total:
        return []
    ids = engine.doc_ids([int(k) for k in keys])
    docs = engine.store.get_documents(list(ids.values()))
    seen: Counter[str] = Counter()
    for d in docs.values():
        seen.update(set(vector_tokens(semantic_text(d))))
    n_read, n_docs = max(len(docs), 1), max(engine.planner.kw.num_docs(), 1)
    p_term = total / n_docs
    # a term carried by a handful of documents: those are all the evidence there is, so two of them
    # suffice and the discount shrinks with the sample
    min_co, discount = (2, min(DISCOUNT, n_read / 25)) if n_read < 25 else (MIN_CO, DISCOUNT)
    out = []
    for w, c in seen.items():
        if c < min_co or _excluded(w, own, plan):
            continue
        df = _df(engine, w)
        if df <= 0:
            continue
        p_joint = ((c - discount) / n_read) * p_term
        p_word = df / n_docs
        if p_joint <= 0 or p_joint >= 1:
            continue
        npmi = math.log(p_joint / (p_term * p_word)) / -math.log(p_joint)
        if npmi < MIN_NPMI:
            continue
        kind = "narrower" if _is_narrower(w, own) else "related"
        out.append((w, float(npmi), df, kind))
    out.sort(key=lambda x: -x[1])
    return out[:40]


def suggestions_json(items: list[Suggestion]) -> list[dict[str, Any]]:
    """Suggestions as the API returns them."""
    return [
        {
            "term": s.term,
            "lang": s.lang,
            "score": s.score,
            "sources": s.sources,
            "count": s.count,
            "kind": s.kind,
        }
        for s in items
    ]
