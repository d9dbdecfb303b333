"""Structural rules of the claim checker: numbering, references, multiple dependency, category,
subject name and two-part form (see :mod:`ipai.draft.checker`)."""

from __future__ import annotations

import re

from ipai.draft.checker import CheckClaim, ClaimSet
from ipai.text.claims import _KEYWORDS, _REF_BODY, _expand

_UNPARSED = re.compile(r"\b(?:claims?|Anspruch|Ansprüche|revendications?)\s+(?P<x>[IlO])\b(?!\s*[(.-]\s*\w)")
# a cumulative ("and") list of claims: not in the alternative
_CUMULATIVE = re.compile(
    r"\bclaims?\s+\d{1,3}(?:\s*,\s*\d{1,3})*,?\s+and(?:/or)?\s+\d{1,3}\b|"
    r"权利要求\s*\d{1,3}(?:\s*[、，,]\s*\d{1,3})*\s*(?:和|及|以及|与|并)\s*(?:权利要求)?\s*\d{1,3}",
    re.IGNORECASE,
)
_ALTERNATIVE_NEAR = re.compile(r"\b(?:any|either|one)\b|任一|任意|之一|或", re.IGNORECASE)
_METHOD = re.compile(r"^(?:method|process|procedure|verfahren|procédé)$", re.IGNORECASE)
_USE = re.compile(r"^(?:use|utilisation|verwendung)$", re.IGNORECASE)
_EN_SUBJECT = re.compile(
    r"^\s*(?:(?:an?|the|one or more)\s+)?(?P<words>(?:[\w/-]+\s+){0,3}?)"
    r"(?P<head>method|process|procedure|use|[\w/-]+?)(?=\s|,|$)",
    re.IGNORECASE,
)
_EN_ATTACH = re.compile(
    r"\s*,?\s*(?:(?:as|is)\s+)?(?:according\s+to|as\s+claimed\s+in|as\s+recited\s+in|as\s+defined\s+in|"
    r"as\s+set\s+forth\s+in|as\s+described\s+in|as\s+in|of|in|according\s+to|recited\s+in|"
    r"defined\s+in|claimed\s+in|per|under)\s+(?:any\s+(?:one\s+)?of\s+|one\s+of\s+|either\s+of\s+)?"
    r"(?:the\s+)?$",
    re.IGNORECASE,
)
_EN_BREAK = {
    "for",
    "of",
    "to",
    "in",
    "with",
    "by",
    "on",
    "at",
    "from",
    "that",
    "which",
    "wherein",
    "according",
    "as",
    "comprising",
    "including",
    "having",
    "storing",
    "using",
    "and",
    "or",
    "claim",
    "claims",
}
_ZH_DEP = re.compile(
    r"^\s*(?:根据|如|按照|按|依据|依照)?\s*(?:前述|上述)?(?:任一项?|任意一项)?\s*权利要求[^，,；;。]{0,40}?所述的?"
    r"(?P<subj>[^，,；;：:。]{1,30}?)(?:[，,；;：:]|其特征|，?其中|还包括|包括|$)"
)
_ZH_INDEP = re.compile(
    r"^\s*(?:一种|一个|一套|一类)(?P<subj>[^，,；;：:。]{1,60}?)(?:[，,；;：:]|其特征|包括|包含|由|$)"
)
_ZH_METHOD = re.compile(r"(?:方法|工艺|流程|步骤)$")
_ZH_USE = re.compile(r"(?:用途|应用)$")
_TWO_PART = re.compile(
    r"characteri[sz]ed\s+(?:in\s+that|by)|其特征在于|其特征是|the improvement", re.IGNORECASE
)


def ref_spans(text: str, lang: str) -> list[tuple[int, int, list[int]]]:
    """Where the claim refers to claims: (start, end, numbers) of each "claim(s) N…" in its head."""
    out = []
    head = text[:600]
    langs = [lang] if lang in _KEYWORDS else list(_KEYWORDS)
    for lg in langs:
        for km in re.finditer(_KEYWORDS[lg], head, flags=re.IGNORECASE):
            bm = _REF_BODY.match(head[km.end() :])
            if bm:
                body = bm.group("body")
                end = km.end() + bm.start("body") + len(body)
                out.append((km.start(), end, sorted(_expand(body))))
    return sorted(out)


def structure_rules(cs: ClaimSet) -> None:
    """Numbering, references, multiple dependency, category, subject name, two-part form."""
    _numbering(cs)
    for c in cs.claims:
        _references(cs, c)
    _multiple(cs)
    for c in cs.claims:
        c.category = _category(cs, c)
    if cs.lang in ("en", "zh"):
        for c in cs.claims:
            _dependent_subject(cs, c)
        _two_part(cs)


def _numbering(cs: ClaimSet) -> None:
    expected = 1
    for c in cs.claims:
        if c.num != expected:
            cs.add(
                "numbering", "error", c, 0, min(len(c.text), 40), "numbering", num=c.num, expected=expected
            )
        expected = c.num + 1 if c.num >= expected else expected + 1


def _references(cs: ClaimSet, c: CheckClaim) -> None:
    nums = {x.num for x in cs.claims}
    flagged: set[int] = set()
    for start, end, refs in ref_spans(c.text, cs.lang):
        for r in refs:
            if r in flagged:
                continue
            if r not in nums:
                flagged.add(r)
                cs.add("ref-missing", "error", c, start, end, "ref-missing", num=c.num, ref=r)
            elif r >= c.num:
                flagged.add(r)
                cs.add("ref-forward", "error", c, start, end, "ref-forward", num=c.num, ref=r)
    for m in _UNPARSED.finditer(c.text[:600]):
        cs.add("ref-unparsed", "error", c, m.start(), m.end(), "ref-unparsed", x=m.group("x"))


def _multiple(cs: ClaimSet) -> None:
    """CN and US: a multiple-dependent claim refers in the alternative and is no basis of another one."""
    if cs.office == "EP":
        return
    multiple = {c.num for c in cs.claims if len(c.depends_on) >= 2 and not cross_reference(cs, c)}
    for c in cs.claims:
        if c.num not in multiple:
            continue
        via = [a.num for a in cs.ancestors(c) if a.num in multiple]
        if via:
            spans = ref_spans(c.text, cs.lang)
            start, end = (spans[0][0], spans[-1][1]) if spans else (0, min(40, len(c.text)))
            direct = [r for r in c.depends_on if r in multiple]
            key = "multi-chain" if direct else "multi-chain-indirect"
            cs.add(
                "multiple-dependent-chain",
                "error",
                c,
                start,
                end,
                key,
                num=c.num,
                ref=(direct or via)[0],
                office=cs.office,
            )
        for m in _CUMULATIVE.finditer(c.text[:600]):
            before = c.text[max(0, m.start() - 25) : m.start()]
            if _ALTERNATIVE_NEAR.search(before) or re.search(r"\bor\b|或", m.group(0)):
                continue
            cs.add("multiple-dependent-form", "error", c, m.start(), m.end(), "multi-form", office=cs.office)


_CROSS = re.compile(
    r"\b(?:compris\w*|contain\w*|includ\w*|using|use\s+of|produc\w*|mak\w*|manufactur\w*|"
    r"prepar\w*|operat\w*|obtain\w*|treat\w*|employ\w*)\b",
    re.IGNORECASE,
)


def cross_reference(cs: ClaimSet, c: CheckClaim) -> bool:
    """True for a claim of its own that refers to others ("A method of using the device of claim 1",
    "一种使用权利要求1所述装置的方法"), not in dependent form."""
    if not c.refs:
        return False
    if cs.lang == "zh":
        return bool(re.match(r"\s*(?:一种|一个|一套|一类)", c.text))
    spans = ref_spans(c.text, cs.lang)
    return bool(spans) and bool(_CROSS.search(c.text[: spans[0][0]]))


def _en_subject(text: str) -> tuple[str | None, int]:
    """The head word of an English claim's subject ("method", "device"…) and where it ends."""
    m = _EN_SUBJECT.match(text)
    if not m:
        return None, 0
    words = (m.group("words") + m.group("head")).split()
    for i, w in enumerate(words):
        if w.lower() in _EN_BREAK:
            words = words[:i]
            break
    if not words:
        return None, 0
    head = words[-1].strip(",;:").lower()
    return head, m.start("words") + len(" ".join(words))


def _category(cs: ClaimSet, c: CheckClaim) -> str | None:
    if cs.lang == "zh":
        m = _ZH_INDEP.match(c.text) if c.independent else _ZH_DEP.match(c.text)
        if not m:
            return None
        subj = m.group("subj")
        return "method" if _ZH_METHOD.search(subj) else "use" if _ZH_USE.search(subj) else "product"
    head, _ = _en_subject(c.text)
    if head is None:
        return None
    return "method" if _METHOD.match(head) else "use" if _USE.match(head) else "product"


def _dependent_subject(cs: ClaimSet, c: CheckClaim) -> None:
    """A dependent claim in dependent form has the category and the subject name of its parent."""
    if len(c.depends_on) == 0 or c.category is None:
        return
    nums = cs.by_num()
    parent = nums[c.depends_on[0]]
    root = parent
    if cs.lang == "zh":
        m = _ZH_DEP.match(c.text)
        if not m or "的" in m.group("subj") or "权利要求" in m.group("subj"):
            return  # "一种使用权利要求1所述装置的方法": another category referring to a claim
        start, end, subj = m.start("subj"), m.end("subj"), m.group("subj")
        pm = _ZH_INDEP.match(root.text) or _ZH_DEP.match(root.text)
        parent_subj = pm.group("subj") if pm else ""
    else:
        head, end = _en_subject(c.text)
        spans = ref_spans(c.text, cs.lang)
        if head is None or not spans or not _EN_ATTACH.fullmatch(c.text[end : spans[0][0]]):
            return  # the reference belongs to another noun ("a method of making the device of claim 1")
        start = c.text.lower().rfind(head, 0, end)
        subj = head
        parent_subj = " ".join(
            re.split(
                r"\b(?:comprising|comprises|including|consisting|characteri[sz]ed|having|"
                r"wherein|which)\b",
                root.text,
                maxsplit=1,
                flags=re.IGNORECASE,
            )[0].split()[:25]
        )
    if parent.category and c.category != parent.category:
        cs.add(
            "category",
            "error",
            c,
            start,
            end,
            "category",
            num=c.num,
            ref=parent.num,
            cat=c.category,
            parent_cat=parent.category,
        )
    elif parent_subj and not _same_subject(subj, parent_subj, cs.lang):
        cs.add(
            "subject-name",
            "warning",
            c,
            start,
            end,
            "subject-name",
            num=c.num,
            ref=root.num,
            subj=subj,
            parent_subj=parent_subj[:60],
        )


def _same_subject(subj: str, parent_subj: str, lang: str) -> bool:
    if lang == "zh":
        s = re.sub(r"^(?:一种|一个)", "", subj.strip())
        return bool(s) and (s in parent_subj or parent_subj.endswith(s[-2:]))
    from ipai.text.english import stem

    if subj.isupper() and len(subj) <= 6:  # "The DMA of claim 10" for "A device model agent"
        initials = "".join(w[0] for w in re.findall(r"[\w-]+", parent_subj)).upper()
        if subj in initials or subj in parent_subj:
            return True
    want = stem([subj.lower()])[0]
    return want in stem([w.lower() for w in re.findall(r"[\w-]+", parent_subj)])


def _two_part(cs: ClaimSet) -> None:
    """EP and CN: the two-part form ("characterised in that", "其特征在于") is expected where appropriate."""
    if cs.office == "US":
        return
    for c in cs.claims:
        if (
            c.independent
            and not _TWO_PART.search(c.text)
            and not re.search(r"claim|权利要求", c.text, re.IGNORECASE)
        ):
            cs.add("two-part", "info", c, 0, min(len(c.text), 30), "two-part", office=cs.office)
