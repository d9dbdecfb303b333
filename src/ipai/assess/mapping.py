"""Evidence mapping: for each feature, the passage of a prior-art document that best supports it.

A passage is a sentence of the document's title, abstract, claims or description (with its
location). Its support for a feature combines
- **lexical** coverage: the share of the feature's distinctive terms (weighted by corpus IDF) that
  the sentence contains, after the same analysis the index uses (stems, segmented Chinese); and
- **semantic** similarity of the two in the multilingual vector space, which is what lets a Chinese
  feature find its English counterpart.
Same-language support is ``max(lexical, ½·lexical + ½·semantic')``; across languages the semantic
part alone counts (``semantic'`` is the cosine rescaled so that unrelated sentences sit near 0).
The quoted passage carries ``<mark>`` around the feature's words it contains.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ipai.assess.features import Feature
from ipai.model import PatentDocument
from ipai.search.analysis import has_han, index_tokens
from ipai.search.highlight import mark, passages_of, split_sentences

MAX_SENTENCE = 400
SEM_FLOOR, SEM_SPAN = 0.35, 0.45  # cosine → [0, 1]: ≤ 0.35 unrelated, ≥ 0.80 same meaning
SEMANTIC_CANDIDATES = 40  # sentences per document compared semantically (best lexical first)


@dataclass
class Support:
    """How well one passage of one document supports one feature."""

    feature: str
    score: float
    lexical: float
    semantic: float
    where: str = ""
    text: str = ""  # HTML-escaped sentence, feature words in <mark>
    matched: int = 0  # distinct feature keys in the sentence

    def to_json(self) -> dict[str, Any]:
        """JSON form."""
        return {"feature": self.feature, "score": round(self.score, 3), "lexical": round(self.lexical, 3),
                "semantic": round(self.semantic, 3), "where": self.where, "text": self.text,
                "matched_terms": self.matched}


def _sentences(doc: PatentDocument, max_paragraphs: int = 300) -> list[tuple[str, str, str]]:
    out = []
    n_desc = 0
    for where, text, lang in passages_of(doc):
        if where.startswith("description"):
            n_desc += 1
            if n_desc > max_paragraphs:
                break
        for s in split_sentences(text):
            if len(s) > MAX_SENTENCE:
                s = s[:MAX_SENTENCE].rsplit(" ", 1)[0] + " …"
            out.append((where, s, lang))
    return out


class Mapper:
    """Maps features onto documents; ``engine`` gives corpus IDF and sentence vectors."""

    def __init__(self, engine: Any, features: list[Feature], lang: str) -> None:
        self.engine = engine
        self.features = features
        self.lang = lang
        keys = [k for f in features for k in f.keys]
        self.idf = engine.idf(keys) if keys else {}
        self.fvec = engine.embed([f.text for f in features]) if features else np.zeros((0, 1))

    def _lexical(self, f: Feature, toks: set[str]) -> float:
        total = sum(self.idf.get(k, 1.0) for k in f.keys)
        got = sum(self.idf.get(k, 1.0) for k in f.keys if k in toks)
        return got / total if total else 0.0

    def map(self, doc: PatentDocument) -> list[Support]:
        """The best-supporting passage of ``doc`` for each feature (in feature order)."""
        return self.map_sentences(_sentences(doc))

    def map_sentences(self, sents: list[tuple[str, str, str]],
                      bridged: list[set[str]] | None = None) -> list[Support]:
        """The best-supporting of ``sents`` ((where, sentence, lang) triples, e.g. a product
        description's) for each feature. ``bridged``: per sentence, index tokens of its words in
        the feature's language (word-space translations), so that a sentence in the other
        language is also scored lexically (½·lexical + ½·semantic, never below semantic)."""
        if not sents or not self.features:
            return [Support(f.id, 0.0, 0.0, 0.0) for f in self.features]
        toks = [set(index_tokens(s, "zh" if has_han(s) else lang)) for _, s, lang in sents]
        if bridged is not None:
            toks = [t | b for t, b in zip(toks, bridged)]
        lex = np.array([[self._lexical(f, t) for t in toks] for f in self.features])  # F × S
        # semantic scores for the best lexical sentences of each feature plus title/abstract/claims
        cand = set(np.argsort(-lex, axis=1)[:, :SEMANTIC_CANDIDATES].ravel().tolist())
        cand.update(i for i, (w, _, _) in enumerate(sents[:600]) if not w.startswith("description"))
        idx = sorted(cand)[:1500]
        svec = self.engine.embed([sents[i][1] for i in idx])
        cos = self.fvec @ svec.T  # F × C
        sem = np.zeros_like(lex)
        sem[:, idx] = np.clip((cos - SEM_FLOOR) / SEM_SPAN, 0.0, 1.0)
        same = np.array([(has_han(s) == (self.lang == "zh")) for _, s, _ in sents])
        other = np.maximum(sem, 0.5 * lex + 0.5 * sem) if bridged is not None else sem
        score = np.where(same[None, :], np.maximum(lex, 0.5 * lex + 0.5 * sem), other)
        out = []
        for fi, f in enumerate(self.features):
            j = int(np.argmax(score[fi]))
            where, s, lang = sents[j]
            marked, n = mark(s, set(f.keys), "zh" if has_han(s) else lang)
            out.append(Support(f.id, float(score[fi, j]), float(lex[fi, j]), float(sem[fi, j]), where, marked, n))
        return out
