"""Claim-vs-product comparison (freedom to operate / infringement screening): a claim chart.

The claim is cut into its elements exactly as the patentability report cuts it
(:func:`ipai.assess.features.claim_features`: preamble, elements, characterising part), and each
element is looked for in the product description with the report's support measure
(:class:`ipai.assess.mapping.Mapper`: the element's key words, across Chinese and English
through the dictionary, and its meaning read by the multilingual e5 encoder, with the fitted model
of :mod:`ipai.assess.calibration`), so an English claim can be charted on a Chinese product text
and the reverse. An element is

- **present** when its best product passage's support is at least ``present``,
- **unclear** from ``unclear`` (partly there, or said differently: a person must look),
- **absent** below that;
both thresholds are fitted on labelled charts (``ipai eval claim-charts --calibrate``).

**Literal coverage** is the share of elements present; under the all-elements rule a literal
reading needs every element present, so the verdict says "all elements found" only then. This is
a screening aid, not a legal opinion: equivalents, claim construction and prosecution history are
for the attorney.
"""

from __future__ import annotations

import re
from typing import Any

from ipai.assess.calibration import params
from ipai.assess.features import Feature, claim_features, clauses
from ipai.assess.mapping import Mapper
from ipai.assess.messages import bad_input, check_input, render, say, ui_lang
from ipai.search.analysis import has_han
from ipai.search.highlight import split_sentences
from ipai.text.lang import detect

PRODUCT_CHARS = 50_000
PRODUCT_BUDGET = 400  # a product description is read by meaning in full (up to this many passages)
# claim-internal labels ("a first housing", "第二铰链"): they name parts, a product never says them
ORDINALS = frozenset(
    [
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "sixth",
        "erst",
        "zweit",
        "dritt",
        "premi",
        "deuxiem",
        "troisiem",
        "第一",
        "第二",
        "第三",
        "第四",
        "第五",
        "一",
        "二",
        "三",
    ]
)


def product_sentences(text: str) -> list[tuple[str, str, str]]:
    """(where, passage, lang) of a product description: its sentences, and the clauses of those
    that list several things, with their paragraph number."""
    out = []
    paragraphs = [p for p in re.split(r"\n\s*\n|\r?\n", text) if p.strip()]
    for n, para in enumerate(paragraphs, 1):
        for s in split_sentences(para.strip()):
            s = s.strip()
            if not s:
                continue
            lang = "zh" if has_han(s) else detect(s, default="en")
            out.append((f"¶{n}", s, lang))
            parts = clauses(s, fine=True)
            if len(parts) > 1:
                out.extend((f"¶{n}", p, lang) for p in parts)
    return out


def status(score: float) -> str:
    """present / unclear / absent for a support score (the fitted thresholds)."""
    p = params()
    return "present" if score >= p.present else "unclear" if score >= p.unclear else "absent"


def verdict(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The chart's verdict as a structured fact (rendered in the reader's language)."""
    absent = [r["id"] for r in rows if r["status"] == "absent"]
    unclear = [r["id"] for r in rows if r["status"] == "unclear"]
    if absent:
        return {"code": "chart_missing", "features": absent}
    if unclear:
        return {"code": "chart_unclear", "u": len(unclear), "features": unclear}
    return {"code": "chart_all", "n": len(rows)}


def claim_chart(
    engine: Any,
    claim: str,
    product: str,
    *,
    claim_lang: str | None = None,
    features: list[Feature] | None = None,
    lang: str | None = None,
    keep_signals: bool = False,
    semantic: bool = True,
) -> dict[str, Any]:
    """The chart of one claim against one product description; texts of verdicts and errors in
    the reader's language ``lang`` (default: the product description's). ``semantic=False``
    reads the product on words only (a first pass over many claims)."""
    claim = check_input(claim, field="claim", what="what_claim", limit=100_000, lang=lang)
    product = check_input(product, field="product", what="what_product", limit=PRODUCT_CHARS, lang=lang)
    product_lang = "zh" if has_han(product[:2000]) else detect(product, default="en")
    ui = ui_lang(lang or product_lang)
    clang = claim_lang or detect(claim, default="en")
    feats = features or claim_features(claim, clang)
    for f in feats:
        f.keys = [k for k in f.keys if k not in ORDINALS] or f.keys
    if not feats:
        raise bad_input("claim", "no_features", ui, what="what_claim")
    sents = product_sentences(product)
    mapper = Mapper(engine, feats, clang, budget=PRODUCT_BUDGET, semantic=semantic, gate=False)
    mapper.keep_signals = keep_signals
    supports = mapper.map_sentences(sents)
    rows = []
    for f, s in zip(feats, supports, strict=False):
        st = status(s.score)
        rows.append(
            {
                "id": f.id,
                "feature": f.text,
                "kind": f.kind,
                "status": st,
                "status_text": say(f"status_{st}", ui),
                "score": round(s.score, 3),
                "lexical": round(s.lexical, 3),
                "semantic": round(s.semantic, 3),
                "verified": s.verified,
                "product_passage": s.text if st != "absent" else "",
                "where": s.where if st != "absent" else "",
                "best_passage": s.text,
                "matched_terms": s.matched,
            }
        )
    n = len(rows)
    present = sum(r["status"] == "present" for r in rows)
    unclear = sum(r["status"] == "unclear" for r in rows)
    fact = verdict(rows)
    p = params()
    out = {
        "claim": claim,
        "claim_lang": clang,
        "product_lang": product_lang,
        "lang": ui,
        "features": rows,
        "present": present,
        "unclear": unclear,
        "absent": n - present - unclear,
        "literal_coverage": round(present / n, 3),
        "weighted_coverage": round((present + 0.5 * unclear) / n, 3),
        "verdict": render(fact, ui),
        "verdict_fact": fact,
        "thresholds": {"present": p.present, "unclear": p.unclear},
        "semantic": {
            "available": mapper.semantic is not None,
            "note": None
            if mapper.semantic is not None or not semantic
            else render({"code": "semantic_off"}, ui),
        },
        "note": say("chart_note", ui),
    }
    if keep_signals:
        out["_signals"] = mapper.signals.get(0, [])
    return out
