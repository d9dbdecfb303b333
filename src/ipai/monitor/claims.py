"""Claim-vs-product comparison (freedom to operate / infringement screening): a claim chart.

The claim is decomposed into its features exactly as the patentability report does it
(:func:`ipai.assess.features.claim_features`: preamble, elements, characterising part); every
feature is then looked for in the product description, sentence by sentence, with the report's
evidence measure (:class:`ipai.assess.mapping.Mapper`: IDF-weighted share of the feature's terms
in the sentence, and multilingual semantic similarity, so a Chinese product text can be charted
against an English claim). A feature is

- **present** when its best product sentence scores at least :data:`PRESENT` (the report's
  "disclosed" threshold),
- **unclear** from :data:`UNCLEAR` (partly there, or said differently: a person must look),
- **absent** below that.

**Literal coverage** is the share of features present; under the all-elements rule a literal
reading needs every feature present, so the verdict is "all features found" only then. This is a
screening aid, not a legal opinion: equivalents, claim construction and prosecution history are
for the attorney.
"""

from __future__ import annotations

import re
from typing import Any

from ipai.assess.categorize import COVERED, PARTIAL
from ipai.assess.features import Feature, claim_features
from ipai.assess.mapping import Mapper
from ipai.errors import InputError
from ipai.search.analysis import has_han
from ipai.search.highlight import split_sentences
from ipai.text.inputs import check_text
from ipai.text.lang import detect

PRESENT = COVERED
UNCLEAR = PARTIAL
PRODUCT_CHARS = 50_000
# claim-internal labels ("a first housing", "第二铰链"): they name parts, a product never says them
ORDINALS = frozenset("first second third fourth fifth sixth 第一 第二 第三 第四 第五 一 二 三".split())
_CLAUSES = re.compile(r"(?<=[;；])\s*|,\s+(?=and\s|while\s|whereas\s|which\s)|(?<=[，])(?=[^，]{6,})")


def product_sentences(text: str) -> list[tuple[str, str, str]]:
    """(where, passage, lang) of a product description: its sentences, long ones also cut into
    clauses (";", ", and …", "，"), paragraph numbers kept."""
    out = []
    paragraphs = [p for p in re.split(r"\n\s*\n|\r?\n", text) if p.strip()]
    for n, para in enumerate(paragraphs, 1):
        for s in split_sentences(para.strip()):
            s = s.strip()
            if not s:
                continue
            lang = "zh" if has_han(s) else detect(s, default="en")
            out.append((f"product ¶{n}", s, lang))
            parts = [p.strip(" ,，;；") for p in _CLAUSES.split(s) if p and p.strip(" ,，;；")]
            if len(parts) > 1:
                out.extend((f"product ¶{n}", p, lang) for p in parts)
    return out


def _bridge(engine: Any, sents: list[tuple[str, str, str]], claim_lang: str) -> list[set[str]]:
    """Per passage in the other language than the claim: index tokens (claim language) of the
    nearest other-language words of its words in the multilingual word space."""
    from ipai.search.analysis import index_tokens, vector_tokens
    from ipai.search.wordspace import neighbours

    memo: dict[str, set[str]] = {}
    out = []
    for _, s, lang in sents:
        if (lang == "zh") == (claim_lang == "zh"):
            out.append(set())
            continue
        got: set[str] = set()
        for w in vector_tokens(s):
            if w not in memo:
                near = [t for t, sim in neighbours(engine.encoder, w, 12) if sim >= 0.45 and t.isascii() != w.isascii()]
                memo[w] = {tok for t in near[:3] for tok in index_tokens(t, claim_lang)}
            got |= memo[w]
        out.append(got)
    return out


def _status(score: float) -> str:
    return "present" if score >= PRESENT else "unclear" if score >= UNCLEAR else "absent"


def claim_chart(engine: Any, claim: str, product: str, *, claim_lang: str | None = None,
                features: list[Feature] | None = None) -> dict[str, Any]:
    """The chart of one claim against one product description."""
    claim = check_text(claim, field="claim", what="the claim")
    product = check_text(product, field="product", what="the product description", limit=PRODUCT_CHARS)
    lang = claim_lang or detect(claim, default="en")
    feats = features or claim_features(claim, lang)
    for f in feats:
        f.keys = [k for k in f.keys if k not in ORDINALS] or f.keys
    if not feats:
        raise InputError("no technical features found in the claim", errors=[{"field": "claim", "message": "no features"}])
    sents = product_sentences(product)
    supports = Mapper(engine, feats, lang).map_sentences(sents, _bridge(engine, sents, lang))
    rows = []
    for f, s in zip(feats, supports):
        st = _status(s.score)
        rows.append({"id": f.id, "feature": f.text, "kind": f.kind, "status": st, "score": round(s.score, 3),
                     "lexical": round(s.lexical, 3), "semantic": round(s.semantic, 3),
                     "product_passage": s.text if st != "absent" else "", "where": s.where if st != "absent" else "",
                     "best_passage": s.text, "matched_terms": s.matched})
    n = len(rows)
    present = sum(r["status"] == "present" for r in rows)
    unclear = sum(r["status"] == "unclear" for r in rows)
    if present == n:
        verdict = "all features found in the product: literal reading of the claim on the product is likely"
    elif present + unclear == n:
        verdict = f"no feature clearly absent, {unclear} unclear: check those passages (and equivalents)"
    else:
        missing = [r["id"] for r in rows if r["status"] == "absent"]
        verdict = f"feature(s) {', '.join(missing)} not found: no literal reading unless the product has them"
    return {"claim": claim, "claim_lang": lang, "product_lang": detect(product, default="en"),
            "features": rows, "present": present, "unclear": unclear, "absent": n - present - unclear,
            "literal_coverage": round(present / n, 3), "weighted_coverage": round((present + 0.5 * unclear) / n, 3),
            "verdict": verdict, "thresholds": {"present": PRESENT, "unclear": UNCLEAR},
            "note": "screening aid, not a legal opinion"}
