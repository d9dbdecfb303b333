"""Evidence mapping: for each feature, the passage of a document (or of a product description)
that best supports it — the one implementation behind search reports and claim charts.

A passage is a sentence (or clause) of a document's title, abstract, claims or description, with
its location; reference signs ("(12)") are dropped. Support is read in two stages:

1. **candidates**, cheaply: for every feature, the passages with the largest share of its key words
   (:func:`lexical`; across Chinese and English through the dictionary, :mod:`ipai.assess.bridge`)
   and the passages nearest in the static multilingual word space of the index;
2. **meaning**: those candidates are read by multilingual-e5 (:mod:`ipai.search.vector.e5`,
   passage vectors cached by content) and scored with the fitted model of
   :mod:`ipai.assess.calibration`, so a paraphrase or a translation (EN/DE/FR/ZH) of a feature
   finds its passage; for a document in another language than the claim the candidates are
   chosen by the multilingual sentence encoder (USE) instead of the word space. Reading by
   meaning costs (~20–50 passages a second here), so a report reads at most :data:`BUDGET`
   passages, the most promising documents first; a feature whose key words are all in one
   passage (:data:`LEX_SURE`), a document too far from the claim or far behind the most promising
   one (:data:`PROMISE_FLOOR`, :data:`PROMISE_SPREAD`), the
   rest past the budget, and every passage when e5 is not installed are scored on their words by
   the fitted lexical model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from ipai.assess import reference
from ipai.assess.bridge import Bridge
from ipai.assess.calibration import SupportParams
from ipai.assess.calibration import params as fitted
from ipai.assess.features import REF_SIGN, Feature, chunks
from ipai.model import PatentDocument
from ipai.search.analysis import has_han, index_tokens
from ipai.search.highlight import mark, passages_of, split_sentences

MAX_SENTENCE = 400
E5_CHARS = 300  # what the encoder reads of a passage or a feature
K_LEX, K_NEAR = 2, 3  # candidates per feature: best by key words, best in the word space
K_NEAR_OTHER = 4  # … best by sentence meaning (USE), for a unit in another language than the claim
MAX_USE = 300  # passages of one unit read by the sentence encoder
NEAR_MAX = 80  # passages of one unit placed in the word space (title, abstract, claims first)
RARE = 2  # a feature's rarest keys, whose presence is a signal of its own
LEX_SURE = 0.8  # a feature with this share of its key words in one passage is not read by meaning there
PROMISE_FLOOR = 0.5  # a unit whose cheap estimate is below this is read on words only …
PROMISE_SPREAD = 0.25  # … and so is one this far below the report's most promising unit
BUDGET = 40  # passages one report reads by meaning

Passage = tuple[str, str, str]  # (where, text, lang)
_NEGATION = re.compile(
    r"\b(?:not|no(?!\.\s*\d)|without|never|none|cannot|lacks?|lacking|neither|nor|nicht|kein|keine|keinen|ohne|sans|pas|aucun|"
    r"aucune)\b|n't\b|不再|没有|不设|不含|不包括|不包含|不需要|无需|并非|不是|不能|不会|不带|未设|未采用|不采用|不具有|不具备|不另设",
    re.IGNORECASE,
)


@dataclass
class Support:
    """How well one passage of one document supports one feature."""

    feature: str
    score: float  # probability that the passage discloses the feature (fitted)
    lexical: float
    semantic: float  # e5 cosine above the feature's baseline; 0.0 when not read by meaning
    where: str = ""
    text: str = ""  # HTML-escaped sentence, feature words in <mark>
    matched: int = 0  # distinct feature keys in the sentence
    verified: bool = False  # read by meaning (e5), not only by its words

    def to_json(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "feature": self.feature,
            "score": round(self.score, 3),
            "lexical": round(self.lexical, 3),
            "semantic": round(self.semantic, 3),
            "verified": self.verified,
            "where": self.where,
            "text": self.text,
            "matched_terms": self.matched,
        }


def doc_passages(doc: PatentDocument, *, max_paragraphs: int = 300) -> list[Passage]:
    """A document's sentences (and the clauses of long ones) with their location."""
    out = []
    n_desc = 0
    for where, text, lang in passages_of(doc):
        if where.startswith("description"):
            n_desc += 1
            if n_desc > max_paragraphs:
                break
        for sent in split_sentences(REF_SIGN.sub("", text)):
            parts = chunks(sent)  # a long sentence is also read piece by piece
            for s in [sent] + parts if len(parts) > 1 else parts:
                if len(s) > MAX_SENTENCE:
                    s = s[:MAX_SENTENCE].rsplit(" ", 1)[0] + " …"
                if len(s) > 2:
                    out.append((where, s, lang))
    return out


def negated(text: str) -> bool:
    """Whether a passage denies something ("does not move", "外侧不再另设橡胶密封圈"): it cannot be the
    passage that discloses an element, however close its meaning (embeddings do not see negation)."""
    return bool(_NEGATION.search(text))


def shortlist(sents: list[Passage], lex: np.ndarray, limit: int) -> list[int]:
    """The passages worth comparing by meaning: title, abstract and claims, then the description
    passages sharing most key words with some feature (at most ``limit``, in reading order)."""
    head = [j for j, (w, _, _) in enumerate(sents) if not w.startswith("description")]
    if len(sents) <= limit:
        return list(range(len(sents)))
    best = lex.max(axis=0) if lex.size else np.zeros(len(sents))
    rest = sorted(
        (j for j in range(len(sents)) if sents[j][0].startswith("description")), key=lambda j: -best[j]
    )
    return sorted(head[:limit] + rest[: max(limit - len(head), 0)])


def _script(lang: str) -> str:
    return "zh" if lang in ("zh", "ja") else "latin"


class Semantic:
    """The e5 side of a mapping: feature vectors and baselines, passage vectors by content."""

    def __init__(self, cache_path: Any, features: list[Feature]) -> None:
        from ipai.search.vector import e5

        self.cache = e5.PassageCache(cache_path)
        self.features = features
        self.fvec: dict[int, np.ndarray] = {}  # encoded when first needed: a report may need few
        self.base: dict[tuple[int, str], float] = {}
        self.refs: dict[str, np.ndarray] = {}

    def _vectors(self, feats: list[int]) -> np.ndarray:
        todo = [i for i in feats if i not in self.fvec]
        if todo:
            vecs, _ = self.cache.vectors([self.features[i].plain[:E5_CHARS] for i in todo], kind="query")
            self.fvec.update(zip(todo, vecs, strict=False))
        return np.stack([self.fvec[i] for i in feats])

    def baseline(self, feat: int, lang: str) -> float:
        """A feature's mean cosine to the reference passages in ``lang``."""
        key = lang if lang in reference.BY_LANG else "en"
        if key not in self.refs:
            self.refs[key], _ = self.cache.vectors(list(reference.references(key)))
        if (feat, key) not in self.base:
            sims = np.sort(self.refs[key] @ self._vectors([feat])[0])
            self.base[(feat, key)] = float(sims[-reference.TOP :].mean())
        return self.base[(feat, key)]

    def rel(self, texts: list[str], langs: list[str], feats: list[int]) -> np.ndarray:
        """len(feats) × P cosines above each feature's baseline for the passage's language."""
        pvec, _ = self.cache.vectors([t[:E5_CHARS] for t in texts])
        base = np.array([[self.baseline(f, lg) for lg in langs] for f in feats]).reshape(
            len(feats), len(langs)
        )
        return self._vectors(feats) @ pvec.T - base


def semantic_side(engine: Any, features: list[Feature]) -> Semantic | None:
    """The e5 side, or ``None`` when the encoder cannot load here (the report says so)."""
    from ipai.search.vector import e5

    if not features or not e5.available():
        return None
    return Semantic(engine.settings.encoder_cache_path, features)


class Mapper:
    """Maps features onto documents or product descriptions; ``engine`` gives corpus IDF and the
    static word-space vectors used to pick candidates."""

    def __init__(
        self,
        engine: Any,
        features: list[Feature],
        lang: str,
        *,
        model: SupportParams | None = None,
        budget: int = BUDGET,
        semantic: Semantic | None | bool = True,
        gate: bool = True,
    ) -> None:
        """``gate``: read by meaning only the promising units (a report's documents); without it
        every unit is read (a product description)."""
        self.engine = engine
        self.features = features
        self.lang = lang
        self.model = model or fitted()
        self.budget = budget
        keys = [k for f in features for k in f.keys]
        self.idf = engine.idf(keys) if keys else {}
        self.bridge = Bridge([(f.text, f.keys) for f in features], lang)
        self.near = engine.embed([f.plain for f in features]) if features else np.zeros((0, 1))
        self.semantic = semantic_side(engine, features) if semantic is True else (semantic or None)
        self.gate = gate
        self.read = 0  # passages read by meaning so far
        self._use_f: np.ndarray | None = None
        self.keep_signals = False
        # with keep_signals: per unit of the last map_units call, per feature, the candidates'
        # signal rows and whether each was read by meaning (what calibration fits on)
        self.signals: dict[int, list[tuple[np.ndarray, np.ndarray]]] = {}
        self.promise: dict[int, float] = {}  # per unit of the last map_units call: the cheap stage's estimate

    # ---- stage 1: candidates ------------------------------------------------------------------
    def lexical(self, sents: list[Passage]) -> tuple[np.ndarray, np.ndarray]:
        """F × S IDF-weighted share of each feature's keys found in each passage, and the same
        share of its :data:`RARE` rarest keys (what sets the feature apart: "silicone oil", not
        "coolant")."""
        out = np.zeros((len(self.features), len(sents)))
        rare = np.zeros_like(out)
        fscript = _script(self.lang)
        top = [set(sorted(f.keys, key=lambda k: -self.idf.get(k, 1.0))[:RARE]) for f in self.features]
        for j, (_, s, lang) in enumerate(sents):
            slang = "zh" if has_han(s) else lang
            toks = set(index_tokens(s, slang, subwords=True))
            other = _script(slang) != fscript
            for i, f in enumerate(self.features):
                total = got = rtotal = rgot = 0.0
                for k in f.keys:
                    w = self.idf.get(k, 1.0)
                    found = k in toks or (other and self.bridge.present(k, toks, s))
                    total += w
                    got += w * found
                    if k in top[i]:
                        rtotal += w
                        rgot += w * found
                out[i, j] = got / total if total else 0.0
                rare[i, j] = rgot / rtotal if rtotal else 0.0
        return out, rare

    def _stage(self, sents: list[Passage]) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
        """Key-word shares (all keys, rarest keys), word-space nearness and the promise of one unit (cheap)."""
        lex, rare = self.lexical(sents)
        denied = [j for j, (_, s, _) in enumerate(sents) if negated(s)]
        if denied and len(denied) < len(sents):  # a denial is never the disclosing passage
            lex[:, denied] = 0.0
            rare[:, denied] = 0.0
        near = np.full(lex.shape, -1.0)
        idx = [
            j for j in shortlist(sents, lex, NEAR_MAX) if j not in set(denied) or len(denied) == len(sents)
        ]
        near[:, idx] = self.near @ self.engine.embed([sents[j][1] for j in idx]).T
        return lex, rare, near, float(np.mean(np.maximum(lex, near).max(axis=1)))

    def _pick(
        self, lex: np.ndarray, near: np.ndarray, k_near: int = K_NEAR, features: list[int] | None = None
    ) -> list[int]:
        """Candidate passages of the given features (all by default)."""
        cand: set[int] = set()
        for i in range(len(self.features)) if features is None else features:
            cand.update(int(j) for j in np.argsort(-lex[i])[:K_LEX] if lex[i, j] > 0)
            cand.update(
                int(j) for j in np.argsort(-near[i])[:k_near] if near[i, j] > -1
            )  # -1: not placed, or denied
        return sorted(cand)

    def _sentence_near(self, sents: list[Passage], lex: np.ndarray) -> np.ndarray | None:
        """F × S nearness by the multilingual sentence encoder (USE): a better choice of candidates
        when the unit is in another language than the claim (no shared key words to go by)."""
        try:
            from ipai.search.meaning import _use_vectors

            if self._use_f is None:
                self._use_f = _use_vectors([f.plain for f in self.features])
            idx = [j for j in shortlist(sents, lex, MAX_USE) if not negated(sents[j][1])] or list(
                range(len(sents))
            )
            out = np.full(lex.shape, -1.0)
            out[:, idx] = self._use_f @ _use_vectors([sents[j][1][:E5_CHARS] for j in idx]).T
            return out
        except Exception:  # noqa: BLE001 - the encoder missing: the word space picks the candidates
            return None

    # ---- stage 2: meaning ---------------------------------------------------------------------
    def _score(
        self,
        sents: list[Passage],
        lex: np.ndarray,
        rare: np.ndarray,
        cand: list[int],
        ask: set[int],
        open_: list[int],
        unit: int = 0,
    ) -> list[Support]:
        """Supports from the candidates; those in ``ask`` are read by meaning for the features in
        ``open_`` (the others, and the other passages, on words)."""
        F = len(self.features)
        xl = np.array([float(_lang_of(sents[j]) != self.lang) for j in cand])
        rel = np.zeros((F, len(cand)))
        asked = np.array([j in ask for j in cand], dtype=bool)
        if asked.any() and open_ and self.semantic is not None:
            idx = [n for n, j in enumerate(cand) if j in ask]
            rel[np.ix_(open_, idx)] = self.semantic.rel(
                [sents[cand[n]][1] for n in idx], [_lang_of(sents[cand[n]]) for n in idx], open_
            )
            self.read += len(idx)
        out, kept = [], []
        for i, f in enumerate(self.features):
            rows = np.column_stack([lex[i, cand], rel[i], xl, rare[i, cand]]) if cand else np.zeros((0, 4))
            verified = asked & (i in open_) & (self.semantic is not None)
            scores = self.model.score(rows, verified)
            if self.keep_signals:
                kept.append((rows, verified))
            if not len(scores):
                out.append(Support(f.id, 0.0, 0.0, 0.0))
                continue
            b = int(np.argmax(scores))
            where, s, lang = sents[cand[b]]
            slang = "zh" if has_han(s) else lang
            marked, n = mark(s, self._mark_keys(f, slang), slang)
            out.append(
                Support(
                    f.id,
                    float(scores[b]),
                    float(rows[b, 0]),
                    float(rows[b, 1]),
                    where,
                    marked,
                    n,
                    bool(verified[b]),
                )
            )
        if self.keep_signals:
            self.signals[unit] = kept
        return out

    def _mark_keys(self, f: Feature, slang: str) -> set[str]:
        keys = set(f.keys)
        if _script(slang) != _script(self.lang):
            if self.bridge.zh:
                keys |= {t for k in f.keys for part in self.bridge.to_en.get(k, ()) for s in part for t in s}
            else:
                keys |= {w for k in f.keys for w in self.bridge.to_zh.get(k, ())}
        return keys

    # ---- public ---------------------------------------------------------------------------------
    def map(self, doc: PatentDocument) -> list[Support]:
        """The best-supporting passage of ``doc`` for each feature (in feature order)."""
        return self.map_many([doc])[0]

    def map_many(self, docs: list[PatentDocument]) -> list[list[Support]]:
        """Supports per document; documents are read by meaning in order of promise (the mean
        over features of their best candidate) while the budget lasts."""
        units = [doc_passages(d) for d in docs]
        return self.map_units(units)

    def map_units(self, units: list[list[Passage]]) -> list[list[Support]]:
        """Supports for several passage lists (documents, or one product description)."""
        staged = [(sents, *self._stage(sents)) if sents and self.features else None for sents in units]
        ready = {i: s for i, s in enumerate(staged) if s}
        order = sorted(ready, key=lambda i: -ready[i][4])
        floor = max(PROMISE_FLOOR, ready[order[0]][4] - PROMISE_SPREAD) if order and self.gate else -1.0
        out: list[list[Support]] = [[Support(f.id, 0.0, 0.0, 0.0) for f in self.features] for _ in units]
        self.signals = {}
        self.promise = {i: ready[i][4] for i in order}
        for i in order:
            sents, lex, rare, near, promise = ready[i]
            cand = self._pick(lex, near)
            # features whose words are all there need no reading by meaning; nor does a unit
            # too far from the claim to matter
            same = np.array([_lang_of(p) == self.lang for p in sents])
            decided = (lex[:, same].max(axis=1) if same.any() else np.zeros(len(self.features))) >= LEX_SURE
            open_ = [f for f in range(len(self.features)) if not decided[f]]
            ask = self._pick(lex, near, features=open_) if promise >= floor else []
            verify = bool(ask) and self.semantic is not None and self.read + len(ask) <= self.budget
            other = sum(_lang_of(p) != self.lang for p in sents) > len(sents) / 2
            if verify and other:
                better = self._sentence_near(sents, lex)
                if better is not None:
                    near = better
                    cand = self._pick(lex, near, K_NEAR_OTHER)
                    ask = self._pick(lex, near, K_NEAR_OTHER, features=open_)
            out[i] = self._score(sents, lex, rare, cand, set(ask) if verify else set(), open_, i)
        return out

    def map_sentences(self, sents: list[Passage]) -> list[Support]:
        """The best-supporting of ``sents`` (a product description's) for each feature."""
        return self.map_units([sents])[0]


def _lang_of(p: Passage) -> str:
    return "zh" if has_han(p[1]) else p[2]
