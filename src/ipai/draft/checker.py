"""The claim checker: formal and clarity defects of a claim set, in Chinese and English.

Rules (see ``docs/draft-check.md``): claim numbering; references (to an earlier claim only, to an
existing claim); multiple dependency per office (CN and US: a multiple-dependent claim refers in the
alternative and is never the basis of another one; EP allows both); antecedent basis ("a/an" then
"the/said"; "一种/一个" then "所述"); claim terms without support in the description; reference
numerals used for two parts; unclear terms ("about", "preferably", "优选", "大约"); claim category
and subject name of dependent claims; two-part form (EP/CN, advisory).

Every finding names its rule, severity (``error``: the office's rule is broken; ``warning``: very
likely unclear, review it; ``info``: advisory), the claim, the character span in that claim's text,
a message and a suggested fix. The checker is deterministic and offline.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from ipai.errors import InputError
from ipai.text.claims import claim_refs, split_claims
from ipai.text.lang import detect

OFFICES = ("CN", "EP", "US")
SEVERITIES = ("error", "warning", "info")
RULES = (
    "numbering",
    "ref-forward",
    "ref-missing",
    "ref-unparsed",
    "multiple-dependent-chain",
    "multiple-dependent-form",
    "category",
    "subject-name",
    "two-part",
    "antecedent",
    "unclear-term",
    "optional-term",
    "support",
    "reference-numeral",
)
MAX_CHARS = 300_000
MAX_DESCRIPTION = 2_000_000
MAX_CLAIMS = 1000
TEXT_LANGS = ("en", "zh")  # antecedent / terms / category rules; others get the structural rules only


@dataclass
class CheckClaim:
    """One claim as checked: its number, text, offset in the input text (if any) and parsed references."""

    num: int
    text: str
    start: int | None = None
    refs: list[int] = field(default_factory=list)  # every claim number referred to, as written
    depends_on: list[int] = field(default_factory=list)  # the valid (earlier, existing) ones
    category: str | None = None  # method | product | use

    @property
    def independent(self) -> bool:
        """True when the claim refers to no other claim."""
        return not self.refs

    def to_json(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "num": self.num,
            "text": self.text,
            "start": self.start,
            "refs": self.refs,
            "depends_on": self.depends_on,
            "independent": self.independent,
            "category": self.category,
        }


@dataclass
class Finding:
    """One defect: where it is (claim, span in the claim text), which rule, how bad, what to do."""

    rule: str
    severity: str
    claim: int
    start: int
    end: int
    message: str
    suggestion: str
    text: str = ""

    def to_json(self) -> dict[str, Any]:
        """JSON form."""
        return asdict(self)


@dataclass
class ClaimSet:
    """The claims under check, their language, the office and the description (if any)."""

    claims: list[CheckClaim]
    lang: str
    office: str
    description: str | None = None
    ui: str = "en"  # language of the messages
    findings: list[Finding] = field(default_factory=list)

    def by_num(self) -> dict[int, CheckClaim]:
        """Claims by number (the first claim of a duplicated number wins)."""
        out: dict[int, CheckClaim] = {}
        for c in self.claims:
            out.setdefault(c.num, c)
        return out

    def ancestors(self, claim: CheckClaim) -> list[CheckClaim]:
        """Every claim this one depends on, directly or through others (nearest first, no repeats)."""
        nums = self.by_num()
        out: list[CheckClaim] = []
        todo = list(claim.depends_on)
        seen: set[int] = set()
        while todo:
            n = todo.pop(0)
            if n in seen or n not in nums:
                continue
            seen.add(n)
            out.append(nums[n])
            todo.extend(nums[n].depends_on)
        return out

    def add(
        self, rule: str, severity: str, claim: CheckClaim, start: int, end: int, key: str, **params: Any
    ) -> None:
        """Record a finding; ``key`` picks the message and suggestion (in the set's UI language)."""
        from ipai.draft.checker_messages import render

        msg, fix = render(key, self.ui, **params)
        self.findings.append(Finding(rule, severity, claim.num, start, end, msg, fix, claim.text[start:end]))


# ---- input -------------------------------------------------------------------------------------------

_LINE_MARKER = re.compile(
    r"^[ \t]*(?:(?:claim|权利要求)\s*)?(?P<n>\d{1,3})\s*[.．、)）:：]\s*(?=\S)", re.MULTILINE | re.IGNORECASE
)


def parse_claims(text: str, lang: str | None = None) -> list[CheckClaim]:
    """Claims of a numbered claim set, with each claim's offset in ``text``.

    Claims written one per line ("1. …" at a line start) are taken as numbered, so that a skipped or
    repeated number is seen; run-on text is cut by :func:`ipai.text.claims.split_claims`.
    """
    marks = [m for m in _LINE_MARKER.finditer(text)]
    if len(marks) >= 2 and int(marks[0].group("n")) == 1 and _line_numbering_ok(text, marks):
        out = []
        for i, m in enumerate(marks):
            end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
            body = text[m.end() : end].rstrip()
            out.append(CheckClaim(int(m.group("n")), body, m.end()))
        return out
    out, pos = [], 0
    for sc in split_claims(text, lang):
        at = text.find(sc.text, pos)
        out.append(CheckClaim(sc.num, sc.text, at if at >= 0 else None))
        pos = at + len(sc.text) if at >= 0 else pos
    return out


def _line_numbering_ok(text: str, marks: list[re.Match[str]]) -> bool:
    """Line-start numbers are claim numbers when they mostly rise (not a numbered list inside a claim)."""
    nums = [int(m.group("n")) for m in marks]
    rising = sum(b > a for a, b in zip(nums, nums[1:], strict=False))
    return rising >= 0.8 * (len(nums) - 1)


def claims_from_input(data: Any) -> tuple[list[CheckClaim], str | None]:
    """Claims (and a description, if the input carries one) from text, JSON text, a list of claims
    (dicts or :class:`ipai.model.Claim`) or a :class:`ipai.model.PatentDocument`."""
    description = None
    if hasattr(data, "claims") and hasattr(data, "description"):  # a PatentDocument
        desc = data.description
        claims = data.claims_in()
        if desc is not None and data.claims_in(desc.lang):  # the claims in the description's language
            claims, description = data.claims_in(desc.lang), desc.text
        return [CheckClaim(int(c.num), c.text) for c in claims], description
    if isinstance(data, str):
        s = data.strip()
        if s[:1] in "[{":
            with contextlib.suppress(ValueError):
                data = json.loads(s)
        if isinstance(data, str):
            return parse_claims(data), None
    if isinstance(data, dict):
        description = data.get("description")
        data = data.get("claims")
        if isinstance(data, str):
            return parse_claims(data), description
    if not isinstance(data, list):
        raise InputError(
            'claims must be a numbered claim set (text), a list of claims or {"claims": …, "description": …}',
            errors=[{"field": "claims", "message": "bad shape"}],
        )
    out = []
    for i, c in enumerate(data, 1):
        if isinstance(c, str):
            out.append(CheckClaim(i, c))
        elif isinstance(c, dict) and isinstance(c.get("text"), str):
            out.append(CheckClaim(int(c.get("num") or i), c["text"]))
        elif hasattr(c, "num") and hasattr(c, "text"):
            out.append(CheckClaim(int(c.num), c.text))
        else:
            raise InputError(
                f"claim {i} has no text", errors=[{"field": f"claims[{i - 1}]", "message": "no text"}]
            )
    return out, description


# ---- the check -----------------------------------------------------------------------------------------


def check_claims(
    data: Any,
    description: str | None = None,
    lang: str | None = None,
    office: str = "CN",
    ui_lang: str | None = None,
) -> dict[str, Any]:
    """Check a claim set; the claims, the findings (in claim order) and counts by rule and severity."""
    from ipai.draft.checker_rules import structure_rules
    from ipai.draft.checker_terms import term_rules

    office = (office or "CN").upper()
    if office not in OFFICES:
        raise InputError(
            f"office must be one of {', '.join(OFFICES)}", errors=[{"field": "office", "message": "unknown"}]
        )
    if isinstance(data, str) and len(data) > MAX_CHARS:
        raise InputError(
            f"the claims are longer than {MAX_CHARS:,} characters",
            errors=[{"field": "claims", "message": "too long"}],
        )
    claims, desc_in = claims_from_input(data)
    description = description if description is not None and description.strip() else desc_in
    claims = [c for c in claims if c.text.strip()]
    if not claims:
        raise InputError(
            "no claims to check: paste a numbered claim set (1. … 2. …)",
            errors=[{"field": "claims", "message": "empty"}],
        )
    if len(claims) > MAX_CLAIMS:
        raise InputError(
            f"more than {MAX_CLAIMS} claims", errors=[{"field": "claims", "message": "too many"}]
        )
    if description is not None and len(description) > MAX_DESCRIPTION:
        raise InputError(
            "the description is too long", errors=[{"field": "description", "message": "too long"}]
        )
    lang = lang or detect(" ".join(c.text for c in claims[:5])[:3000], default="en")
    ui = ui_lang if ui_lang in ("en", "zh") else ("zh" if lang == "zh" else "en")
    cs = ClaimSet(claims, lang, office, description, ui)
    _resolve_refs(cs)
    structure_rules(cs)
    if lang in TEXT_LANGS:
        term_rules(cs)
    order = {c.num: i for i, c in enumerate(claims)}
    cs.findings.sort(key=lambda f: (order.get(f.claim, 0), f.start, f.rule))
    return {
        "office": office,
        "lang": lang,
        "claims": [c.to_json() for c in claims],
        "findings": [f.to_json() for f in cs.findings],
        "counts": counts(cs.findings, len(claims)),
    }


def _resolve_refs(cs: ClaimSet) -> None:
    nums = {c.num for c in cs.claims}
    for c in cs.claims:
        c.refs = claim_refs(c.text, None, cs.lang if cs.lang in ("en", "zh", "de", "fr") else None)
        if c.num > 1:  # "any preceding claim" expands only with the claim's own number
            c.refs = sorted(
                set(c.refs) | set(claim_refs(c.text, c.num, cs.lang if cs.lang != "un" else None))
            )
        c.depends_on = [r for r in c.refs if r < c.num and r in nums]


def counts(findings: Iterable[Finding], n_claims: int) -> dict[str, Any]:
    """Findings by rule and by severity, and their total."""
    fs = list(findings)
    return {
        "claims": n_claims,
        "findings": len(fs),
        "by_rule": dict(Counter(f.rule for f in fs)),
        "by_severity": {s: sum(f.severity == s for f in fs) for s in SEVERITIES},
    }
