"""Claim splitting and dependency parsing for English, Chinese, Japanese, German and French claims.

``split_claims`` cuts a claims blob ("1. A method … 2. The method of claim 1 …",
"1.一种…2.根据权利要求1所述的…") into numbered claims; ``claim_refs`` finds which earlier claims
a claim refers to ("according to claim 3", "as claimed in any one of claims 1 to 5",
"根据权利要求1至3中任一项所述的", "nach einem der Ansprüche 1 bis 3",
"selon l'une quelconque des revendications 1 à 3", "any preceding claim").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_NUM = r"\d{1,3}"
_RANGE_SEP = r"(?:to|through|thru|-|–|—|~|～|〜|至|到|乃至|から|bis|à)"
_RANGE_WORDS = {
    "to",
    "through",
    "thru",
    "-",
    "–",
    "—",
    "~",
    "～",
    "〜",
    "至",
    "到",
    "乃至",
    "から",
    "bis",
    "à",
}
_LIST_SEP = r"(?:,|;|、|，|or|and|and/or|oder|und|ou|et|或|和|及|以及|又は|または|及び|および)"

# a reference: a keyword, then a list of numbers / ranges
_KEYWORDS = {
    "en": r"\bclaims?\b",
    "de": r"\bAnspr(?:uch|üche|uches|üchen|\.)",
    "fr": r"\brevendications?\b",
    "zh": r"权利要求",
    "ja": r"請求項",
}
_REF_BODY = re.compile(
    rf"^\s*(?:No\.?\s*|Nr\.?\s*|n°\s*)?(?P<body>{_NUM}(?:\s*(?:{_RANGE_SEP}|{_LIST_SEP})\s*(?:claims?\s*|Anspr\w*\s*|revendications?\s*|权利要求\s*|請求項\s*)?{_NUM})*)",
    re.IGNORECASE,
)
_PRECEDING = re.compile(
    r"(any (?:one )?of the (?:preceding|previous|foregoing|above|prior) claims|"
    r"any (?:preceding|previous|foregoing|prior) claims?|(?:one|any) of the claims above|"
    r"(?:einem|einer|jedem) (?:der )?(?:vorhergehenden|vorstehenden|vorangehenden|voranstehenden) Anspr(?:uch|üche)|"
    r"(?:l'une quelconque|l'une|une quelconque|quelconque) des revendications (?:précédentes|qui précèdent)|"
    r"une quelconque revendication précédente|"
    r"前述(?:任一|任意一|任何一)?(?:项)?权利要求|上述(?:任一|任意一)(?:项)?权利要求|前述权利要求中任一项|"
    r"任何一项前述权利要求|任一前述权利要求)",
    re.IGNORECASE,
)
_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
}
_ORDINAL_REF = re.compile(
    r"\b(?:the |of |in |to )(?P<w>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth) claim\b|"
    r"\bclaim (?P<c>one|two|three|four|five)\b",
    re.IGNORECASE,
)
_PREVIOUS_ONE = re.compile(
    r"\b(?:the (?:preceding|previous|foregoing) claim|dem vorhergehenden Anspruch|"
    r"la revendication précédente)\b",
    re.IGNORECASE,
)


_CUES = ("claim", "anspr", "revendication", "权利要求", "請求項")
_LANG_CUES = {"en": "claim", "de": "anspr", "fr": "revendication", "zh": "权利要求", "ja": "請求項"}
_PRECEDING_CUES = (
    "preced",
    "previous",
    "foregoing",
    "prior",
    "above",
    "vorher",
    "vorste",
    "vorang",
    "voranst",
    "précéd",
    "前述",
    "上述",
)


def claim_refs(text: str, num: int | None = None, lang: str | None = None) -> list[int]:
    """Numbers of the earlier claims this claim refers to (sorted, unique).

    ``num`` is the claim's own number: references to itself or to later claims are dropped
    (they are not dependencies), and "any preceding claim" expands to ``1 … num-1``.
    """
    if not text:
        return []
    head = text[:600]  # dependency is stated in the preamble
    low = head.lower()
    if not any(k in low for k in _CUES):  # cheap check before the regexes
        return []
    refs: set[int] = set()
    if num and any(k in low for k in _PRECEDING_CUES) and _PRECEDING.search(head):
        refs.update(range(1, num))
    elif num and num > 1 and any(k in low for k in _PRECEDING_CUES) and _PREVIOUS_ONE.search(head):
        refs.add(num - 1)
    if "claim" in low:
        for om in _ORDINAL_REF.finditer(head):
            refs.add(_ORDINALS[(om.group("w") or om.group("c")).lower()])
    langs = [lang] if lang in _KEYWORDS else [lg for lg, cue in _LANG_CUES.items() if cue in low]
    for lg in langs:
        for km in re.finditer(_KEYWORDS[lg], head, flags=re.IGNORECASE):
            bm = _REF_BODY.match(head[km.end() :])
            if bm:
                refs.update(_expand(bm.group("body")))
    if num is not None:
        refs = {r for r in refs if 0 < r < num}
    return sorted(refs)


def _expand(body: str) -> set[int]:
    """ "1 to 3, 5 or 7" → {1, 2, 3, 5, 7}."""
    out: set[int] = set()
    tokens = re.findall(r"\d{1,3}|[-–—~～〜至到]|[^\W\d_]+", body.replace("乃至", "至").replace("から", "至"))
    prev: int | None = None
    pending_range = False
    for t in tokens:
        if t.isdigit():
            n = int(t)
            if pending_range and prev is not None and prev < n <= prev + 200:
                out.update(range(prev, n + 1))
            else:
                out.add(n)
            prev, pending_range = n, False
        elif t.lower() in _RANGE_WORDS:
            pending_range = True
    return out


@dataclass
class SplitClaim:
    """A claim cut out of a claims blob."""

    num: int
    text: str
    depends_on: list[int] = field(default_factory=list)

    @property
    def independent(self) -> bool:
        """True when the claim refers to no other claim."""
        return not self.depends_on


_MARKER = re.compile(r"(?:(?<=\s)|(?<=^)|(?<=[.;。；:：]))(?P<n>\d{1,3})\s*(?:[.．、)）]|:)\s*(?=\S)")
_HEADER = re.compile(
    r"^\s*(?:what is claimed is|we claim|i claim|claims?|the invention claimed is|"
    r"权利要求书|Patentansprüche|Revendications)\s*[:：]?\s*",
    re.IGNORECASE,
)


def split_claims(blob: str, lang: str | None = None) -> list[SplitClaim]:
    """Split a claims text into numbered claims with their dependencies.

    Numbers must run 1, 2, 3…; a digit followed by a dot inside a claim ("1. 5 mm") is not a
    claim start unless it is the next expected number at a plausible place. A blob with no
    numbering is returned as a single claim 1.
    """
    text = (blob or "").strip()
    if not text:
        return []
    text = _HEADER.sub("", text, count=1)
    starts: list[tuple[int, int, int]] = []  # (claim number, marker start, text start)
    expected = 1
    for m in _MARKER.finditer(text):
        n = int(m.group("n"))
        if n != expected:
            continue
        if n > 1 and not _plausible_start(text, m.start()):
            continue
        starts.append((n, m.start(), m.end()))
        expected += 1
    if not starts or starts[0][1] > 40:
        return [SplitClaim(1, text, [])]
    out: list[SplitClaim] = []
    for i, (n, _, beg) in enumerate(starts):
        end = starts[i + 1][1] if i + 1 < len(starts) else len(text)
        body = text[beg:end].strip()
        out.append(SplitClaim(n, body, claim_refs(body, n, lang)))
    return out


def _plausible_start(text: str, pos: int) -> bool:
    """A new claim starts after the previous claim's end (". ", "。", ";", newline)."""
    before = text[max(0, pos - 3) : pos]
    return bool(re.search(r"[.。;；\n]\s*$", before)) or before.endswith("\n") or pos == 0
