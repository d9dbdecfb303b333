"""Technical features of a claim or a disclosure, in English and Chinese.

A claim is cut the way an examiner reads it:
- the **preamble** (up to "comprising" / "including" / "consisting of" / "包括" / "包含");
- the **elements**: the parts after it, separated by ";" / "；", by ", and" at the end of a list,
  and by "wherein" / "其中" clauses, which each add a feature;
- the **characterising** part, after "characterised in that" / "其特征在于", whose elements are
  marked as such (two-part EPO/CNIPA form).

A disclosure (交底书) that contains a claim set is assessed on its first independent claim; plain
prose is assessed on its most technical sentences (those dense in distinctive terms), which stand in
for features.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ipai.errors import InputError
from ipai.search.analysis import index_tokens
from ipai.text.claims import split_claims
from ipai.text.inputs import check_text as check_inputs
from ipai.text.lang import detect

MAX_CHARS = 100_000
MAX_FEATURES = 12
# claim boilerplate: words every claim has, which say nothing about the invention
CLAIM_STOP = frozenset(
    "compris compris includ consist configur adapt arrang provid characteris characteriz plural least "
    "first second third fourth claim accord method process use wherein whereby thereof therein "
    "其特征在于 特征 在于 设置 设有 包含 至少 多个 第一 第二 第三 权利要求 方法 装置 系统 所述 一种 "
    "其中 构成 组成 结构 when where so can may also thereby herein 本发明 本实用新型 涉及 现有 技术 "
    "实施例 可以 能够 进行 实现".split()
)
_CHARACTERISING = re.compile(
    r"\b(?:characteri[sz]ed\s+(?:in\s+that|by)|the\s+improvement\s+(?:comprising|wherein))\b[\s:,]*|"
    r"其特征在于[：:，,]?|其特征是[：:，,]?", re.IGNORECASE)
_TRANSITION = re.compile(
    r"\b(?:comprising|comprises|which\s+comprises|including|includes|consisting\s+(?:essentially\s+)?of|"
    r"having|composed\s+of)\b\s*:?\s*|"
    r"(?:包括|包含|由以下|含有|具有)(?:有|以下)?(?:部件|步骤|组分)?[：:，,]?", re.IGNORECASE)
_ELEMENT_SPLIT = re.compile(r"\s*[;；]\s*(?:and\s+)?|\s*,\s*and\s+(?=(?:a|an|the|at least|one or more)\b)|"
                            r"[，,]\s*(?=wherein\b|其中|并且|且所述)|\n+", re.IGNORECASE)
_SENT = re.compile(r"(?<=[.;!?])\s+(?=[A-Z0-9(])|(?<=[。；！？])")
_CLAIM_START = re.compile(r"^\s*(?:an?|the|in an?|method|process|apparatus|system|device|use|一种|一個|一种用于)\b",
                          re.IGNORECASE)
_BACKGROUND = re.compile(r"^\s*(?:现有|目前|传统|以往|背景技术|in the (?:prior|related) art|conventional(?:ly)?\b|"
                         r"known\s+\w+\s+(?:are|is|have)|background\b)", re.IGNORECASE)


@dataclass
class Feature:
    """One technical feature: its text, where it sits in the claim, and its matching keys."""

    id: str
    text: str
    kind: str  # preamble | element | characterising | sentence
    keys: list[str] = field(default_factory=list)  # index tokens (stemmed / segmented), boilerplate dropped

    def to_json(self) -> dict[str, object]:
        """JSON form."""
        return {"id": self.id, "text": self.text, "kind": self.kind, "keys": self.keys}


@dataclass
class Decomposition:
    """What was assessed: the claim (or key sentences) and its features."""

    source: str  # claim | claims | disclosure
    lang: str
    text: str  # the claim or passage the features come from
    features: list[Feature]


def check_text(text: str | None, *, limit: int = MAX_CHARS) -> str:
    """The text to assess, or :class:`InputError` naming the field ``text``."""
    return check_inputs(text if text is not None else "", what="the text to assess", limit=limit,
                        hint="; paste the claims or the technical disclosure")


def keys_of(text: str, lang: str) -> list[str]:
    """Distinct matching keys of a text, claim boilerplate and bare numbers dropped."""
    out: list[str] = []
    for t in index_tokens(text, lang):
        if t in CLAIM_STOP or t.isdigit() or len(t) < 2 and not re.match(r"[\u4e00-\u9fff]", t):
            continue
        if t not in out:
            out.append(t)
    return out


def decompose(text: str, lang: str | None = None) -> Decomposition:
    """Features of a claim, a claim set or a disclosure."""
    text = check_text(text)
    lang = lang or detect(text, default="en")
    numbered = re.match(r"^\s*(?:what is claimed is|we claim|claims?|权利要求书?)?\s*[:：]?\s*1\s*[.．、)）]",
                        text, re.IGNORECASE)
    if numbered:
        claims = split_claims(text, lang)
        first = next((c for c in claims if c.independent), claims[0])
        return Decomposition("claims", lang, first.text, claim_features(first.text, lang))
    one_sentence = len(re.findall(r"[。！？]|[.!?]\s+[A-Z]", text.rstrip("。. "))) == 0
    claim_like = _CLAIM_START.match(text) and _TRANSITION.search(text[:800])
    if (len(text) < 1500 and one_sentence and _looks_like_claim(text)) or (len(text) < 6000 and claim_like):
        return Decomposition("claim", lang, text, claim_features(text, lang))
    return Decomposition("disclosure", lang, text, disclosure_features(text, lang))


def _looks_like_claim(text: str) -> bool:
    return bool(_TRANSITION.search(text[:800]) or _CHARACTERISING.search(text))


def claim_features(claim: str, lang: str) -> list[Feature]:
    """Preamble, elements and characterising features of one claim."""
    claim = re.sub(r"^\s*\d{1,3}\s*[.、．)]\s*", "", claim.strip())
    pre_char, char = claim, ""
    m = _CHARACTERISING.search(claim)
    if m:
        pre_char, char = claim[:m.start()], claim[m.end():]
    parts: list[tuple[str, str]] = []
    t = _TRANSITION.search(pre_char)
    if t and t.start() > 3:
        parts.append(("preamble", pre_char[:t.start()]))
        body = pre_char[t.end():]
    else:
        body = ""
        parts.append(("preamble", pre_char))
    parts += [("element", e) for e in _split_elements(body)]
    parts += [("characterising", e) for e in _split_elements(char)]
    feats = []
    for kind, part in parts:
        part = part.strip(" ,，;；:：.。")
        keys = keys_of(part, lang)
        if not keys:
            continue
        feats.append(Feature(id="", text=part, kind=kind, keys=keys))
    feats = _merge_small(feats)[:MAX_FEATURES]
    for i, f in enumerate(feats, 1):
        f.id = f"F{i}"
    return feats


def _split_elements(body: str) -> list[str]:
    out = []
    for piece in _ELEMENT_SPLIT.split(body):
        piece = piece.strip(" ,，;；:：")
        if piece:
            out.append(piece)
    return out


def _merge_small(feats: list[Feature]) -> list[Feature]:
    """Fold features with a single key into the previous one (a dangling 'and' clause)."""
    out: list[Feature] = []
    for f in feats:
        if out and len(f.keys) < 2 and f.kind == out[-1].kind:
            prev = out[-1]
            prev.text = f"{prev.text}; {f.text}"
            prev.keys += [k for k in f.keys if k not in prev.keys]
        else:
            out.append(f)
    if len(out) > MAX_FEATURES:  # keep the richest features, in claim order
        keep = sorted(sorted(range(len(out)), key=lambda i: -len(out[i].keys))[:MAX_FEATURES])
        out = [out[i] for i in keep]
    return out


def disclosure_features(text: str, lang: str, limit: int = 8) -> list[Feature]:
    """The most technical sentences of a prose disclosure, in reading order."""
    sents = [s.strip() for s in _SENT.split(re.sub(r"\s*\n\s*", "\n", text)) for s in s.split("\n")]
    cands = []
    seen: set[str] = set()
    background = [i for i, s in enumerate(sents) if _BACKGROUND.match(s)]
    if len(sents) - len(background) >= 3:  # the state of the art is not the invention
        sents = [s for i, s in enumerate(sents) if i not in set(background)]
    for i, s in enumerate(sents):
        keys = keys_of(s, lang)
        if len(keys) < 3:
            continue
        if len(s) > 600:  # a claim-like run-on sentence: its clauses are the features
            s = s[:600].rsplit(" ", 1)[0] + " …"
        new = [k for k in keys if k not in seen]
        cands.append((len(new) + 0.25 * len(keys), i, s, keys))
        seen.update(keys)
    best = sorted(sorted(cands, key=lambda c: -c[0])[:limit], key=lambda c: c[1])
    if not best:
        raise InputError("no technical content found: the text has no sentence with at least three "
                         "distinctive words", errors=[{"field": "text", "message": "no features"}])
    return [Feature(id=f"F{n}", text=s, kind="sentence", keys=keys) for n, (_, _, s, keys) in enumerate(best, 1)]
