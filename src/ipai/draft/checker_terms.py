"""Wording rules of the claim checker: antecedent basis, unclear and optional terms, support in the
description, reference numerals (see :mod:`ipai.draft.checker`)."""

from __future__ import annotations

import re

from ipai.draft.checker import CheckClaim, ClaimSet
from ipai.text.english import stem, tokenize

_EN_DEF = re.compile(r"\b(?P<art>the|said)\s+(?=(?P<rest>[A-Za-z][^;:,.()\[\]{}]{0,80}))", re.IGNORECASE)
_EN_WORD = re.compile(r"[A-Za-z][A-Za-z-]*")
# words that end a noun phrase after "the/said"
_EN_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "said",
        "of",
        "for",
        "to",
        "in",
        "on",
        "at",
        "by",
        "with",
        "from",
        "into",
        "onto",
        "over",
        "under",
        "between",
        "through",
        "about",
        "against",
        "and",
        "or",
        "but",
        "nor",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "has",
        "have",
        "had",
        "having",
        "comprising",
        "comprises",
        "comprise",
        "including",
        "includes",
        "include",
        "consisting",
        "consists",
        "wherein",
        "whereby",
        "which",
        "that",
        "when",
        "where",
        "while",
        "whereas",
        "so",
        "as",
        "than",
        "then",
        "if",
        "such",
        "each",
        "every",
        "any",
        "all",
        "both",
        "either",
        "neither",
        "not",
        "no",
        "thereof",
        "therein",
        "thereto",
        "configured",
        "adapted",
        "arranged",
        "operable",
        "positioned",
        "located",
        "disposed",
        "mounted",
        "connected",
        "coupled",
        "attached",
        "extending",
        "extends",
        "formed",
        "provided",
        "defined",
        "defining",
        "according",
        "claim",
        "claims",
        "step",
        "steps",
        "before",
        "after",
        "during",
        "within",
        "without",
        "above",
        "below",
        "toward",
        "towards",
        "upon",
        "around",
        "along",
        "across",
        "behind",
        "beyond",
        "inside",
        "outside",
        "via",
        "per",
        "until",
        "thereby",
        "relative",
        "respect",
    ]
)
# the same words never need an antecedent
_EN_SKIP_FIRST = frozenset(
    [
        "same",
        "other",
        "others",
        "following",
        "foregoing",
        "preceding",
        "like",
        "art",
        "invention",
        "present",
        "one",
        "two",
        "three",
        "first-mentioned",
        "claim",
        "claims",
        "step",
        "steps",
        "group",
        "form",
        "presence",
        "absence",
        "use",
        "case",
        "basis",
        "order",
        "sum",
        "total",
        "rest",
        "remainder",
        "number",
        "amount",
        "time",
        "end",
        "ends",
        "way",
        "manner",
        "extent",
        "range",
        "value",
        "type",
        "kind",
        "plurality",
        "majority",
        "outside",
        "inside",
        "interior",
        "exterior",
        "environment",
        "atmosphere",
        "ambient",
        "surrounding",
        "world",
        "user",
        "operator",
        "formula",
        "formulae",
        "formulas",
        "symbols",
        "general",
        "industry",
        "event",
        "improvement",
        "proviso",
        "latter",
        "former",
        "horizontal",
        "vertical",
        "ground",
        "earth",
        "air",
        "sun",
        "patient",
        "subject",
        "body",
        "skin",
        "wearer",
        "human",
        "subsequent",
        "electrons",
        "balance",
        "only",
    ]
)
# properties everything has: "the pressure in the chamber", "the direction of travel" need no antecedent
_EN_ATTRIBUTE = frozenset(
    [
        "pressure",
        "temperature",
        "rate",
        "direction",
        "position",
        "orientation",
        "magnitude",
        "length",
        "width",
        "height",
        "depth",
        "thickness",
        "diameter",
        "radius",
        "surface",
        "axis",
        "center",
        "centre",
        "middle",
        "size",
        "shape",
        "speed",
        "velocity",
        "weight",
        "mass",
        "volume",
        "area",
        "level",
        "degree",
        "frequency",
        "intensity",
        "density",
        "concentration",
        "distance",
        "angle",
        "interior",
        "periphery",
        "circumference",
        "result",
        "results",
        "output",
        "input",
        "top",
        "bottom",
        "side",
        "sides",
        "outset",
        "beginning",
        "start",
        "course",
        "duration",
        "period",
        "vicinity",
        "proximity",
        "region",
        "location",
        "place",
        "ratio",
        "voltage",
        "current",
        "power",
        "state",
    ]
)
_MODIFIER = frozenset(
    [
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "sixth",
        "seventh",
        "eighth",
        "ninth",
        "tenth",
        "upper",
        "lower",
        "inner",
        "outer",
        "front",
        "rear",
        "left",
        "right",
        "top",
        "bottom",
        "each",
        "one",
        "two",
        "other",
        "further",
        "additional",
        "respective",
        "entire",
        "whole",
        "corresponding",
        "resulting",
        "desired",
        "appropriate",
        "remaining",
        "opposite",
        "individual",
        "same",
        "most",
    ]
)
_ZH_DEF = re.compile(r"所述的?")
_ZH_STOP = re.compile(
    r"[，,。；;：:、（）()\s]|所述|的|和|与|及|或|在|为|是|于|被|将|把|由|使|通过|用于|设置|设有|连接|位于|包括|包含|具有"
)
_ZH_MOD = re.compile(
    r"^(?:第[一二三四五六七八九十\d]+|[一二两三四五六七八九十]|多个|若干|每个|各|至少一个?|两个|一个)$"
)
_ZH_IN_REF = re.compile(r"(?:权利要求\s*\d{1,3}|项|中任一项|中任意一项|权利要求)\s*$")

_EN_UNCLEAR = re.compile(
    r"\b(?P<t>about|approximately|roughly|circa|around|ca\.)\s+(?=[-+±~]?\s*\d)", re.IGNORECASE
)
_EN_SUBSTANTIALLY = re.compile(r"\bsubstantially\b", re.IGNORECASE)
_EN_OPTIONAL = re.compile(
    r"\b(?P<t>(?:more |most )?preferably|preferred|for example|for instance|e\.\s?g\.|such as|"
    r"in particular|optionally(?!\s+(?:[a-z]+ed\b|mono|di|poly|one|1|substitut))|if necessary|if desired|where appropriate|if appropriate|"
    r"or the like|and the like|or similar|etc\.?)(?=\W|$)",
    re.IGNORECASE,
)
_ZH_UNCLEAR = re.compile(
    r"(?P<t>大约|大概|约(?=\s*[\d０-９一二三四五六七八九十百千万]))|"
    r"(?<=[\d%℃°])\s*(?:[a-zA-Zμ毫厘米克升秒分钟小时天度个次倍]{1,3})?(?P<t2>左右|上下)|"
    r"(?P<t3>接近|近似|或类似物|或类似|等等)"
)
_ZH_OPTIONAL = re.compile(r"优选地?|优选的是|最好是?|尤其是|特别是|例如|比如|必要时|如有必要|可选地")


def term_rules(cs: ClaimSet) -> None:
    """Antecedent basis, unclear and optional terms, support, reference numerals."""
    for c in cs.claims:
        context = _context(cs, c)
        if cs.lang == "zh":
            _antecedent_zh(cs, c, context)
        else:
            _antecedent_en(cs, c, context)
        _unclear(cs, c)
    if cs.description:
        _support(cs)
    _numerals(cs)


def _context(cs: ClaimSet, c: CheckClaim) -> str:
    """The text a claim's definite terms may refer back to: its ancestors (or, when a reference in the
    chain is broken or unparsed, e.g. "one of the preceding Claims", every earlier claim)."""
    chain = [c, *cs.ancestors(c)]
    if any(_unsure_refs(x) for x in chain):
        return "\n".join(x.text for x in cs.claims if x.num < c.num)
    return "\n".join(a.text for a in chain[1:])


def _unsure_refs(c: CheckClaim) -> bool:
    broken = bool(c.refs) and len(c.depends_on) < len(c.refs)
    unparsed = not c.refs and bool(re.search(r"claim|权利要求", c.text[:300], re.IGNORECASE))
    return broken or unparsed


def _loose(word: str) -> str:
    """A matching key looser than the stem: "reaction" and "reacting" meet at "react"."""
    s = stem([word.lower()])[0]
    return s[:5] if len(s) > 5 else s


def _stems(text: str) -> str:
    return " " + " ".join(_loose(w) for w in tokenize(text)) + " "


def _antecedent_en(cs: ClaimSet, c: CheckClaim, context: str) -> None:
    ctx_stems = _stems(context)
    seen: set[str] = set()
    for m in _EN_DEF.finditer(c.text):
        words: list[str] = []
        for tok in m.group("rest").split():
            low = tok.lower()
            if not _EN_WORD.fullmatch(tok) or low in _EN_STOP or len(words) >= 4:
                break
            words.append(low)
        first = m.group("rest").split()[0]
        if first[:1].isupper() and first[1:].islower() and m.start() > 0 and c.text[m.start()] == "t":
            continue  # "the Internet": a proper name
        while words and words[-1] in _MODIFIER:  # "the first and second arms": the noun comes later
            words.pop()
        if not words or words[0] in _EN_SKIP_FIRST or len(words[0]) < 3:
            continue
        after = m.group("rest")[len(" ".join(words)) :]
        if m.group("art").lower() == "the" and (
            re.match(r"\s+(?:(?:and|or)\s+[a-z-]+\s+)?(?:of|between|thereof|therein|therebetween)\b", after)
            or words[-1] in _EN_ATTRIBUTE
        ):
            continue  # "the length of the arm", "the pressure in…": defined by what follows, or inherent
        if m.group("art").lower() == "the" and (
            len(words) == 1
            and re.match(r"\s+(?:or|and)\s", after)
            or re.match(r"\s*(?:\(\s*[a-z]{1,4}\s*\)|(?:to|in|on|by|at)?\s*which\b|that\b)", after)
        ):
            continue  # "the linear or branched…", "the operation (d)", "the atom to which they are attached"
        key = " ".join(words)
        if key in seen:
            continue
        earlier = ctx_stems + _stems(c.text[: m.start()])[1:]
        keys = [_loose(w) for w in words]
        content = [
            i
            for i, w in enumerate(words)
            if w not in _MODIFIER
            and not w.endswith("ly")
            and not (w.endswith("ed") and len(w) > 5 and i < len(words) - 1)
        ]
        if not content:
            continue
        if any(_found(keys[content[0] : j], earlier) for j in range(content[0] + 1, len(keys) + 1)):
            continue
        if len(content) >= 2 and _found(keys[-1:], earlier):
            continue
        seen.add(key)
        start = m.start()
        term = " ".join(m.group("rest").split()[: len(words)])
        cs.add(
            "antecedent",
            "warning",
            c,
            start,
            m.start("rest") + len(term),
            "antecedent",
            term=term,
            art=m.group("art"),
        )


def _found(stems: list[str], text_stems: str) -> bool:
    return (" " + " ".join(stems) + " ") in text_stems


def _zh_terms(text: str) -> list[tuple[int, int, str, list[str]]]:
    """The terms after "所述" (not the "权利要求1所述的" of a reference): (所述 start, term end, term, words)."""
    from ipai.text.chinese import segment

    out = []
    for m in _ZH_DEF.finditer(text):
        if _ZH_IN_REF.search(text[max(0, m.start() - 12) : m.start()]):
            continue  # "权利要求1所述的装置": the reference, not a term
        rest = text[m.end() : m.end() + 16]
        stop = _ZH_STOP.search(rest)
        phrase = rest[: stop.start()] if stop else rest
        if len(phrase) > 2 and phrase[-1] in "上下内外中侧":  # "所述车架上的…": a place, not part of the name
            phrase = phrase[:-1]
        if len(phrase) < 2:
            continue
        toks = segment(phrase)
        out.append((m.start(), m.end() + len(phrase), phrase, toks if "".join(toks) == phrase else [phrase]))
    return out


def _zh_known(toks: list[str], earlier: str) -> bool:
    """A term is known when a prefix of it (two characters or more, not only "第一"…) occurs in ``earlier``."""
    for j in range(1, len(toks) + 1):
        pre = "".join(toks[:j])
        if len(pre) < 2 or all(_ZH_MOD.match(t) for t in toks[:j]):
            continue
        if pre in earlier:
            return True
    return False


def _antecedent_zh(cs: ClaimSet, c: CheckClaim, context: str) -> None:
    seen: set[str] = set()
    for start, end, phrase, toks in _zh_terms(c.text):
        if phrase in seen:
            continue
        earlier = (context + "\n" + c.text[:start]).replace("所述" + phrase, "")
        if _zh_known(toks, earlier):
            continue
        seen.add(phrase)
        cs.add("antecedent", "warning", c, start, end, "antecedent-zh", term=phrase)


def _unclear(cs: ClaimSet, c: CheckClaim) -> None:
    zh_office = cs.office == "CN"
    if cs.lang == "zh":
        for m in _ZH_UNCLEAR.finditer(c.text):
            g = next(k for k in ("t", "t2", "t3") if m.group(k))
            cs.add("unclear-term", "warning", c, m.start(g), m.end(g), "unclear-zh", term=m.group(g))
        for m in _ZH_OPTIONAL.finditer(c.text):
            cs.add(
                "optional-term",
                "error" if zh_office else "warning",
                c,
                m.start(),
                m.end(),
                "optional-zh",
                term=m.group(0),
            )
        return
    for m in _EN_UNCLEAR.finditer(c.text):
        cs.add(
            "unclear-term",
            "info" if cs.office == "US" else "warning",
            c,
            m.start("t"),
            m.end("t"),
            "unclear",
            term=m.group("t"),
        )
    for m in _EN_SUBSTANTIALLY.finditer(c.text):
        cs.add("unclear-term", "info", c, m.start(), m.end(), "substantially", term=m.group(0))
    for m in _EN_OPTIONAL.finditer(c.text):
        cs.add("optional-term", "warning", c, m.start("t"), m.end("t"), "optional", term=m.group("t"))


_EN_BOILER = frozenset(
    [
        "claim",
        "claims",
        "comprising",
        "comprises",
        "comprise",
        "including",
        "includes",
        "wherein",
        "whereby",
        "said",
        "further",
        "thereof",
        "therein",
        "according",
        "characterised",
        "characterized",
        "configured",
        "adapted",
        "arranged",
        "plurality",
        "least",
        "method",
        "process",
        "apparatus",
        "device",
        "system",
        "respective",
        "respectively",
        "having",
        "being",
        "each",
        "which",
        "that",
        "when",
        "where",
        "preceding",
        "following",
        "time",
        "last",
        "subsequent",
        "previous",
        "combination",
        "entry",
    ]
)


def _support(cs: ClaimSet) -> None:
    """Claim terms the description never uses (each term once, where it first occurs)."""
    desc = cs.description or ""
    seen: set[str] = set()
    if cs.lang == "zh":
        from ipai.text.chinese import to_simplified

        desc_s = to_simplified(desc)
        for c in cs.claims:
            for _start, end, phrase, toks in _zh_terms(c.text):
                if phrase in seen or _zh_known(toks, desc_s):
                    continue
                seen.add(phrase)
                cs.add("support", "warning", c, end - len(phrase), end, "support-zh", term=phrase)
        return
    desc_low = desc.lower()
    desc_stems = set(stem(tokenize(desc)))
    for c in cs.claims:
        for m in _EN_ELEMENT.finditer(c.text):  # the words of the claimed elements ("a locking groove")
            for w in re.finditer(r"\S+", m.group("rest")):
                tok = w.group(0)
                low = tok.lower()
                if not _EN_WORD.fullmatch(tok) or low in _EN_STOP:
                    break
                if (
                    len(low) < 4
                    or low in _EN_BOILER
                    or low in _MODIFIER
                    or low in _EN_SKIP_FIRST
                    or low in seen
                    or low.endswith(("ly", "ed"))
                ):
                    continue
                parts = [p for p in low.split("-") if p]
                if all(_spelt(p, desc_low, desc_stems) for p in parts):
                    continue
                seen.add(low)
                at = m.start("rest") + w.start()
                cs.add("support", "warning", c, at, at + len(tok), "support", term=tok)


def _spelt(word: str, desc_low: str, desc_stems: set[str]) -> bool:
    """The word occurs in the description, in British or American spelling ("colour"/"color")."""
    variants = {
        word,
        word.replace("our", "or"),
        word.replace("or", "our"),
        re.sub(r"is(e|ing|ed)", r"iz\1", word),
        re.sub(r"iz(e|ing|ed)", r"is\1", word),
        re.sub(r"tre\b", "ter", word),
        re.sub(r"ter\b", "tre", word),
    }
    return any(v in desc_low or stem([v])[0] in desc_stems for v in variants)


_EN_ELEMENT = re.compile(
    r"\b(?:an?|said|the|plurality\s+of|one\s+or\s+more)\s+(?=(?P<rest>[A-Za-z][^;:,.()\[\]{}]{0,60}))",
    re.IGNORECASE,
)
_EN_NUMERAL = re.compile(
    r"(?P<pre>(?:[A-Za-z][A-Za-z-]*\s+){0,2})(?P<head>[A-Za-z][A-Za-z-]*)\s*\(\s*(?P<n>\d{1,4}[a-z]?'*(?:\s*[,;]\s*\d{1,4}[a-z]?'*)*)\s*\)"
)
_ZH_NUMERAL = re.compile(
    r"(?P<head>[\u4e00-\u9fff]{1,12})\s*[（(]\s*(?P<n>\d{1,4}[a-z]?'*(?:\s*[,，、]\s*\d{1,4}[a-z]?'*)*)\s*[)）]"
)
_NUMERAL_SKIP = frozenset(
    [
        "claim",
        "claims",
        "formula",
        "formulae",
        "equation",
        "step",
        "steps",
        "group",
        "figure",
        "fig",
        "table",
        "example",
        "compound",
        "compounds",
        "structure",
        "means",
        "comprising",
        "wherein",
        "and",
        "or",
        "of",
        "to",
        "in",
        "by",
        "with",
        "is",
        "are",
    ]
)


def _numerals(cs: ClaimSet) -> None:
    """A reference numeral stands for one part: the same numeral after two different nouns is flagged."""
    first: dict[str, tuple[set[str], int, str]] = {}  # numeral -> (word keys, claim, head as written)
    flagged: set[tuple[str, str]] = set()
    for c in cs.claims:
        for m in (_ZH_NUMERAL if cs.lang == "zh" else _EN_NUMERAL).finditer(c.text):
            head = m.group("head")
            key = _head_key(head, cs.lang)
            if not key:
                continue
            keys = {key} | (
                {k for w in (m.groupdict().get("pre") or "").split() if (k := _head_key(w, "en"))}
                if cs.lang != "zh"
                else set()
            )
            group = re.split(r"\s*[,;，、]\s*", m.group("n"))
            if len(group) > 1:
                continue  # "detection means (130, 131)": a group of parts, not one part
            for n in group:
                if n not in first:
                    first[n] = (keys, c.num, head)
                    continue
                k0, c0, h0 = first[n]
                same = bool(k0 & keys) or any(a.endswith(b) or b.endswith(a) for a in k0 for b in keys)
                if not same and (n, key) not in flagged:
                    flagged.add((n, key))
                    cs.add(
                        "reference-numeral",
                        "warning",
                        c,
                        m.start("head"),
                        m.end(),
                        "numeral",
                        n=n,
                        part=head,
                        other=h0,
                        other_claim=c0,
                    )


def _head_key(head: str, lang: str) -> str | None:
    if lang == "zh":
        from ipai.text.chinese import segment

        toks = [t for t in segment(head) if t not in ("所述", "的", "该")]
        return toks[-1] if toks and len(toks[-1]) >= 1 else None
    low = head.lower()
    if low in _NUMERAL_SKIP or low in _EN_STOP or low in _MODIFIER or low in _EN_SKIP_FIRST:
        return None
    return stem([low])[0]
