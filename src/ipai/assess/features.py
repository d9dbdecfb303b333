"""Technical features of a claim or a disclosure, in English, Chinese, German and French.

A claim is cut the way an examiner reads it:
- the **preamble** (up to "comprising" / "umfassend" / "comprenant" / "包括" …): the subject;
- the **elements**: the parts after it, separated by ";" / "；", by bullets ("- "), by ", and" at
  the end of a list, and by "wherein" / "wobei" / "dans lequel" / "其中" clauses;
- the **characterising** part, after "characterised in that" / "dadurch gekennzeichnet, dass" /
  "caractérisé en ce que" / "其特征在于", whose elements are marked as such (two-part form).
References to other claims ("according to claim 1", "根据权利要求1所述的") are not features.

A disclosure (交底书) that contains a claim set is assessed on its first independent claim; plain
prose is assessed on its technical statements: sentences (long ones cut at "，所述" / "; " /
", wherein") dense in distinctive terms. Field statements ("本发明涉及…", "the present invention
relates to…"), the state of the art, problem statements and statements of effect are never
features: they say what the invention is about or for, not what it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ipai.search.analysis import index_tokens
from ipai.text.claims import split_claims
from ipai.text.lang import detect

MAX_CHARS = 100_000
MAX_FEATURES = 12
MAX_SENTENCE_FEATURES = 8
# claim boilerplate: words every claim has, which say nothing about the invention
CLAIM_STOP = frozenset(
    [
        "compris",
        "compris",
        "includ",
        "consist",
        "configur",
        "adapt",
        "arrang",
        "provid",
        "characteris",
        "characteriz",
        "plural",
        "least",
        "first",
        "second",
        "third",
        "fourth",
        "claim",
        "accord",
        "method",
        "process",
        "use",
        "wherein",
        "whereby",
        "thereof",
        "therein",
        "said",
        "其特征在于",
        "特征",
        "在于",
        "设置",
        "设有",
        "包含",
        "至少",
        "多个",
        "第一",
        "第二",
        "第三",
        "权利要求",
        "方法",
        "装置",
        "系统",
        "所述",
        "一种",
        "其中",
        "构成",
        "组成",
        "结构",
        "when",
        "where",
        "so",
        "can",
        "may",
        "also",
        "thereby",
        "herein",
        "本发明",
        "本实用新型",
        "本申请",
        "涉及",
        "现有",
        "技术",
        "实施例",
        "可以",
        "能够",
        "进行",
        "实现",
        "umfass",
        "aufweis",
        "enthalt",
        "gekennzeichnet",
        "wobei",
        "anspruch",
        "ansprüch",
        "verfahren",
        "vorrichtung",
        "mindesten",
        "zumindest",
        "comprenant",
        "compren",
        "comport",
        "caractéris",
        "revend",
        "procéd",
        "dispositif",
        "moin",
        "lequel",
        "laquel",
        "step",
        "schritt",
        "étap",
    ]
)
_CHARACTERISING = re.compile(
    r"\b(?:characteri[sz]ed\s+(?:in\s+that|by)|the\s+improvement\s+(?:comprising|wherein))\b[\s:,]*|"
    r",?\s*(?:dadurch\s+gekennzeichnet\s*,?\s*(?:dass|daß)?|gekennzeichnet\s+durch)\s*[:,]?\s*|"
    r",?\s*caract[ée]ris[ée]e?s?\s+(?:en\s+ce\s+que?|par)\s*[:,]?\s*|"
    r"其特征在于[：:，,]?|其特征是[：:，,]?",
    re.IGNORECASE,
)
_TRANSITION = re.compile(
    r"\b(?:comprising|comprises|which\s+comprises|including|includes|consisting\s+(?:essentially\s+)?of|"
    r"having|composed\s+of|umfassend|umfasst|aufweisend|aufweist|enthaltend|bestehend\s+aus|"
    r"comprenant|comporte|comportant|incluant|constitu[ée]e?\s+de|consistant\s+en|compos[ée]e?\s+d(?:e\b|')|"
    r"comprend|comprennent)\b"
    r"(?:\s+(?:the\s+(?:following\s+)?steps?(?:\s+of)?|die\s+(?:folgenden\s+)?Schritte|"
    r"les\s+[ée]tapes\s+(?:de|suivantes|consistant\s+[àa])|des\s+[ée]tapes\s+(?:de|consistant\s+[àa])))?"
    r"\s*:?\s*|"
    r"(?:包括|包含|由以下|含有|具有)(?:有|以下)?(?:部件|步骤|组分)?[：:，,]?",
    re.IGNORECASE,
)
_ELEMENT_SPLIT = re.compile(
    r"\s*[;；]\s*(?:(?:and|und|et)\s+)?(?:[-–—]\s+)?|\s*,\s*and\s+(?=(?:a|an|the|at least|one or more)\b)|"
    r"(?:^|\s)[-–—]\s+(?=\S)|"
    r"[，,]\s*(?=wherein\b|wobei\b|dans\s+lequel\b|dans\s+laquelle\b|其中|并且|且所述)|\n+|"
    r"\.\s+(?=(?:a|an|the|one\s+or\s+more)\s)",
    re.IGNORECASE,
)
_LABEL_ITEM = re.compile(
    r"^\s*(?:\(?[a-z]{1,3}\)|[a-z]\.|\d{1,2}\))\s+|^\s*(?:wherein|wobei)\s*:\s*", re.IGNORECASE
)
_ZH_STEP = re.compile(r"(?<=[，,])")
ZH_LONG = 80  # a Chinese element longer than this is cut at its commas (steps of a process)
# references to other claims and the words around them: never part of a feature
_CLAIM_REF = re.compile(
    r"^\s*(?:the|a|an|der|die|das|le|la|les)?\s*[\w\s-]{0,60}?\s*"
    r"(?:(?:according|as\s+claimed|as\s+defined|as\s+recited|as\s+set\s+forth)\s+(?:in|to)\s+|of\s+|in\s+)"
    r"(?:any\s+(?:one\s+)?of\s+)?claims?\s*\d+(?:\s*(?:-|to|or|and|,)\s*\d+)*\s*,?\s*|"
    r"(?:nach|gemäß|gemaess)\s+(?:einem\s+der\s+)?Anspr(?:uch|üche)\s*\d+(?:\s*(?:bis|oder|und|,)\s*\d+)*\s*,?\s*|"
    r"selon\s+(?:l'une\s+quelconque\s+des\s+)?revendications?\s*\d+(?:\s*(?:à|ou|et|,)\s*\d+)*\s*,?\s*|"
    r"(?:根据|如|按照|依据)权利要求\s*\d+(?:\s*(?:至|到|或|和|、|-)\s*\d+)*(?:中任一项|中任意一项)?所述的?",
    re.IGNORECASE,
)
REF_SIGN = re.compile(
    r"\s*\((?:[A-Za-z]?\d+[a-z'′]?(?:\s*[,;-]\s*[A-Za-z]?\d+[a-z'′]?)*|[A-Z](?:\s*,\s*[A-Z])*)\)"
)
_SENT = re.compile(r"(?<=[.;!?])\s+(?=[A-Z0-9(])|(?<=[。；！？])")
_CLAUSE = re.compile(r"(?<=[，,])\s*(?=所述|该|其中|并|wherein\b|where\b|whereby\b)|(?<=;)\s+", re.IGNORECASE)
_FINE = re.compile(r"(?<=[;；])\s*|,\s+(?=and\s|while\s|whereas\s|which\s|wherein\s)|(?<=[，])(?=[^，]{6,})")
_COMMA = re.compile(r"(?<=[，；,;])")
# sentences that are not features: the field, the state of the art, the problem, the effect, figures
_NOT_FEATURE = re.compile(
    r"^\s*(?:"
    r"(?:本发明|本申请|本实用新型|本公开|本技术方案)(?:属于|涉及|公开了?一种.{0,30}领域|所要?解决|要解决|的目的|旨在|的有益效果|具有以下|"
    r"的优点|有益效果|通过.{0,80}(?:以|从而|进而)(?:提高|提升|降低|减少|实现|解决|保证|达到)|能够|可以|可|解决了)|"
    r"现有|目前|传统|以往|背景技术|技术领域|有益效果|为了?解决|为克服|针对.{0,40}(?:问题|不足|缺陷)|"
    r"(?:the\s+)?(?:present\s+)?(?:invention|disclosure|application)\s+(?:relates|pertains|is\s+directed|concerns|"
    r"belongs|has\s+the\s+advantage|solves|aims)|"
    r"(?:this|the\s+present)\s+(?:invention|disclosure)\s+(?:relates|pertains|is\s+directed|concerns)|"
    r"(?:it\s+is\s+)?an?\s+(?:\w+\s+)?(?:object|aim|purpose)\s+of\s+(?:the|this)|"
    r"in\s+the\s+(?:prior|related)\s+art|conventional(?:ly)?\b|known\s+\w+\s+(?:are|is|have)|background\b|"
    r"(?:fig(?:ure)?s?\.?|图)\s*\d+\s*(?:is|are|shows?|illustrates?|depicts?|为|是|示出)|"
    r"advantageously|the\s+advantages?\b|thereby\s+the\s+invention|keywords?\s*[:：]|关键词|"
    r"(?:本发明|本申请|本实用新型)(?:实现|提升|提高|降低|减少|能|可|具有|解决|克服)"
    r")",
    re.IGNORECASE,
)
_PROBLEM = re.compile(
    r"(?:存在.{0,30}(?:问题|缺陷|不足)|的问题[。，]|技术问题|a\s+problem\s+(?:that|of|with)|"
    r"drawbacks?\b|disadvantages?\b|shortcomings?\b)",
    re.IGNORECASE,
)
_LABEL = re.compile(r"^\s*(?:title|abstract|summary|标题|摘要|发明名称)\s*[:：]\s*", re.IGNORECASE)
_ENDS_TRANSITION = re.compile(
    r"(?:comprising|comprises|further\s+comprises|including|includes|umfassend|umfasst|"
    r"aufweist|comprenant|comprend(?:\s+en\s+outre)?|包括|包含)\s*[:：]?\s*$",
    re.IGNORECASE,
)
_LEAD_IN = re.compile(
    r"^\s*(?:(?:namely|thus|accordingly|specifically|in\s+particular),?\s*)?"
    r"(?:the\s+(?:present\s+)?invention|this\s+invention|the\s+disclosure)\s+(?:provides|discloses)\s+|"
    r"^\s*(?:本发明|本申请|本实用新型)(?:提供|公开)了?",
    re.IGNORECASE,
)


@dataclass
class Feature:
    """One technical feature: its text, where it sits in the claim, and its matching keys."""

    id: str
    text: str
    kind: str  # preamble | element | characterising | sentence
    keys: list[str] = field(default_factory=list)  # index tokens (stemmed / segmented), boilerplate dropped
    lang: str = ""

    @property
    def plain(self) -> str:
        """The text without reference signs ("(12)"), as the encoder reads it."""
        return " ".join(REF_SIGN.sub("", self.text).split())

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


def check_text(
    text: str | None, *, limit: int = MAX_CHARS, field: str = "text", lang: str | None = None
) -> str:
    """The text to assess, or :class:`InputError` naming the field (``text`` by default), in the
    user's language ``lang`` (both languages when unknown)."""
    from ipai.assess.messages import check_input

    return check_input(
        text if text is not None else "", field=field, what="what_text", limit=limit, lang=lang
    )


def keys_of(text: str, lang: str) -> list[str]:
    """Distinct matching keys of a text, claim boilerplate and bare numbers dropped."""
    out: list[str] = []
    for t in index_tokens(REF_SIGN.sub(" ", text), lang):
        if t in CLAIM_STOP or t.isdigit() or len(t) < 2 and not re.match(r"[\u4e00-\u9fff]", t):
            continue
        if t not in out:
            out.append(t)
    return out


def decompose(text: str, lang: str | None = None, *, ui: str | None = None) -> Decomposition:
    """Features of a claim, a claim set or a disclosure (errors in the user's language ``ui``)."""
    text = check_text(text, lang=ui)
    lang = lang or detect(text, default="en")
    numbered = re.match(
        r"^\s*(?:what is claimed is|we claim|claims?|权利要求书?)?\s*[:：]?\s*1\s*[.．、)）]",
        text,
        re.IGNORECASE,
    )
    if numbered:
        claims = split_claims(text, lang)
        first = next((c for c in claims if c.independent), claims[0])
        return Decomposition("claims", lang, first.text, claim_features(first.text, lang))
    sentences = len(re.findall(r"[。！？]|[.!?]\s+[A-ZÄÖÜÉ]", text.rstrip("。. ")))
    one_sentence = sentences == 0
    claim_like = sentences <= 2 and _TRANSITION.search(text[:800])  # a claim is one sentence
    if (len(text) < 1500 and one_sentence and _looks_like_claim(text)) or (len(text) < 6000 and claim_like):
        return Decomposition("claim", lang, text, claim_features(text, lang))
    return Decomposition("disclosure", lang, text, disclosure_features(text, lang))


def _looks_like_claim(text: str) -> bool:
    return bool(_TRANSITION.search(text[:800]) or _CHARACTERISING.search(text))


def strip_claim_ref(text: str) -> str:
    """A claim's text without its reference to other claims ("The system of claim 1, wherein")."""
    m = _CLAIM_REF.search(text[:300])
    if not m:
        return text
    rest = text[m.end() :].lstrip(" ,，")
    rest = re.sub(
        r"^(?:wherein|in which|further comprising|wobei|dans lequel|dans laquelle|其中|还包括)\s*[:,，]?\s*",
        "",
        rest,
        flags=re.IGNORECASE,
    )
    return rest or text


def claim_features(claim: str, lang: str) -> list[Feature]:
    """Preamble, elements and characterising features of one claim."""
    claim = re.sub(r"^\s*\d{1,3}\s*[.、．)]\s*", "", claim.strip())
    claim = strip_claim_ref(claim)
    pre_char, char = claim, ""
    m = _CHARACTERISING.search(claim)
    if m:
        pre_char, char = claim[: m.start()], claim[m.end() :]
        t = _TRANSITION.match(char.lstrip())  # "其特征在于，包括：A；B"
        char = char.lstrip()[t.end() :] if t else char
    parts: list[tuple[str, str]] = []
    t = _TRANSITION.search(pre_char)
    if t and t.start() > 3:
        head = pre_char[: t.start()]
        # "X, the X comprising" / "Druckmaschine …, wobei die Druckmaschine … umfasst": the subject is the head
        head = re.split(r",\s*(?:the|said|wobei|la|le)\b", head, maxsplit=1, flags=re.IGNORECASE)[0]
        parts.append(("preamble", head))
        body = pre_char[t.end() :]
    else:
        body = ""
        parts.append(("preamble", pre_char))
    parts += [("element", e) for e in _split_elements(body)]
    parts += [("characterising", e) for e in _split_elements(char)]
    merged: list[tuple[str, str]] = []
    for kind, part in parts:  # "a pipe arrangement comprising:" introduces the parts that follow
        if merged and merged[-1][0] == kind and _ENDS_TRANSITION.search(merged[-1][1]):
            merged[-1] = (kind, f"{merged[-1][1].rstrip(' :：')} {part}")
        else:
            merged.append((kind, part))
    feats = []
    for kind, part in merged:
        part = part.strip(" ,，;；:：.。-–—")
        if kind == "preamble":
            part = re.sub(r"(?:[，,]\s*(?:其|which|der|die|das|qui))+$", "", part).strip(" ,，")
        keys = keys_of(part, lang)
        if not keys:
            continue
        feats.append(Feature(id="", text=part, kind=kind, keys=keys, lang=lang))
    feats = _merge_small(feats)[:MAX_FEATURES]
    for i, f in enumerate(feats, 1):
        f.id = f"F{i}"
    return feats


def _split_elements(body: str) -> list[str]:
    out = []
    for piece in _ELEMENT_SPLIT.split(body):
        piece = _LABEL_ITEM.sub("", (piece or "").strip(" ,，;；:：-–—")).strip()
        if not piece:
            continue
        if len(piece) > ZH_LONG and re.search(r"[\u4e00-\u9fff]", piece):
            steps: list[str] = []
            for part in _ZH_STEP.split(piece):
                part = part.strip(" ,，")
                if steps and len(part) < 10:
                    steps[-1] += "，" + part
                elif part:
                    steps.append(part)
            out += steps
        else:
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


def is_statement(sentence: str) -> bool:
    """Whether a prose sentence can be a feature: not the field, the state of the art, the problem
    solved or an effect claimed."""
    return not (_NOT_FEATURE.match(sentence) or _PROBLEM.search(sentence))


def statements(text: str) -> list[str]:
    """The technical statements of prose: sentences that can be features, long ones cut into clauses."""
    sents = [s.strip() for s in _SENT.split(re.sub(r"\s*\n\s*", "\n", text)) for s in s.split("\n")]
    out = []
    for s in sents:
        s = strip_claim_ref(_LABEL.sub("", s)) if s else s
        if not s or not is_statement(s):
            continue
        s = _LEAD_IN.sub("", s).strip()
        out += [p for p in clauses(s) if is_statement(p)]
    return out


def clauses(sentence: str, *, fine: bool = False) -> list[str]:
    """A long sentence cut into its clauses ("，所述…", "; ", ", wherein"); a short one as is.
    ``fine`` cuts at every clause boundary ("，", "; ", ", and", ", which"), whatever the length
    (product descriptions, whose sentences list several features)."""
    if fine:
        parts = [p.strip(" ,，;；") for p in _FINE.split(sentence)]
        return [p for p in parts if p]
    limit = 90 if re.search(r"[\u4e00-\u9fff]", sentence) else 260
    if len(sentence) <= limit:
        return [sentence]
    return [p for p in (p.strip(" ,，;；") for p in _CLAUSE.split(sentence)) if p]


def chunks(sentence: str) -> list[str]:
    """A long sentence as pieces a reader can take in at once: cut at its commas and semicolons,
    neighbouring pieces joined up to a readable length (Chinese 24–100 characters, Latin 80–300);
    a short sentence as is."""
    han = bool(re.search(r"[\u4e00-\u9fff]", sentence))
    lo, hi = (24, 100) if han else (80, 300)
    if len(sentence) <= hi:
        return [sentence]
    out: list[str] = []
    for piece in _COMMA.split(sentence):
        piece = piece.strip()
        if not piece:
            continue
        if out and (len(out[-1]) < lo or len(piece) < lo // 3) and len(out[-1]) + len(piece) <= hi:
            out[-1] += ("" if han else " ") + piece
        else:
            out.append(piece)
    return [p.strip(" ,，;；") for p in out if p.strip(" ,，;；")]


def disclosure_features(text: str, lang: str, limit: int = MAX_SENTENCE_FEATURES) -> list[Feature]:
    """The technical statements of a prose disclosure richest in distinctive terms, in reading order."""
    cands = []
    seen: set[str] = set()
    for i, s in enumerate(statements(text)):
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
        from ipai.assess.messages import bad_input

        raise bad_input("text", "no_features", None, what="what_text")
    return [
        Feature(id=f"F{n}", text=s, kind="sentence", keys=keys, lang=lang)
        for n, (_, _, s, keys) in enumerate(best, 1)
    ]
