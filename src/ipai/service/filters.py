"""Search filters from forms and URL parameters, turned into the query language.

The web form and the API take filters as separate fields (jurisdiction, years, class, applicant,
legal status); they become clauses of the same examiner syntax (``cc:``, ``pd:[… TO …]``, ``cls:…*``,
``pa:``, ``status:``),
so a filtered search is exactly the query a user could have typed, and filters run inside the
index on both the keyword and the semantic side.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import Any

from ipai.errors import InputError

_CODE = re.compile(r"^[A-HY]\d{0,2}[A-Z]?(\d{1,4}(/\d{1,6})?)?\*?$")
_CC = re.compile(r"^[A-Z]{2}$")
LANGS = ("en", "zh", "de", "fr", "ja", "ko", "es", "ru")
DOC_TYPES = ("application", "patent", "utility_model", "design", "plant", "reissue")


@dataclass
class Filters:
    """Filters a search form can set; every one is optional."""

    cc: str | None = None  # jurisdiction(s), "US" or "US,CN"
    lang: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    cls: str | None = None  # CPC or IPC, truncated or exact: "G06N", "G06N3*", "H04L9/32"
    applicant: str | None = None
    doc_type: str | None = None
    status: str | None = None  # legal status: in_force, 有效, lapsed, alive, dead … (ipai.status.query)

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> Filters:
        """Build from form or query-string values; empty strings count as unset."""
        names = {f.name for f in fields(cls)}
        vals: dict[str, Any] = {
            k: (v.strip() if isinstance(v, str) else v) for k, v in data.items() if k in names
        }
        vals = {k: v for k, v in vals.items() if v not in (None, "")}
        for k in ("year_from", "year_to"):
            if k in vals:
                try:
                    vals[k] = int(vals[k])
                except (TypeError, ValueError):
                    raise InputError(
                        f"{k} must be a year", errors=[{"field": k, "message": "not a year"}]
                    ) from None
        return cls(**vals)

    def is_empty(self) -> bool:
        """True when no filter is set."""
        return all(getattr(self, f.name) in (None, "") for f in fields(self))

    def clauses(self) -> str:
        """The filters as query syntax (``''`` when none); bad values raise :class:`InputError`
        naming the field."""
        out: list[str] = []
        if self.cc:
            codes = [c.strip().upper() for c in self.cc.replace(";", ",").split(",") if c.strip()]
            bad = [c for c in codes if not _CC.match(c)]
            if bad:
                raise _bad("cc", f"not a two-letter jurisdiction code: {bad[0]!r}")
            if len(codes) == 1:
                out.append(f"cc:{codes[0]}")
            elif codes:
                out.append("(" + " OR ".join(f"cc:{c}" for c in codes) + ")")
        if self.lang:
            if self.lang not in LANGS:
                raise _bad("lang", f"unknown language {self.lang!r}: use one of {', '.join(LANGS)}")
            out.append(f"lang:{self.lang}")
        if self.year_from is not None or self.year_to is not None:
            lo, hi = self.year_from, self.year_to
            for name, y in (("year_from", lo), ("year_to", hi)):
                if y is not None and not 1790 <= y <= 2100:
                    raise _bad(name, f"year {y} is out of range")
            if lo is not None and hi is not None and lo > hi:
                raise _bad("year_from", f"year_from {lo} is after year_to {hi}")
            out.append(f"pd:[{lo or '*'} TO {hi or '*'}]")
        if self.cls:
            code = self.cls.upper().replace(" ", "")
            if not _CODE.match(code):
                raise _bad("cls", f"not a CPC/IPC class: {self.cls!r} (e.g. G06N, G06N3*, H04L9/32)")
            if not code.endswith("*") and "/" not in code:
                code += "*"
            out.append(f"cls:{code}")
        if self.applicant:
            name = self.applicant.replace('"', " ").strip()
            out.append(f'pa:"{name}"')
        if self.doc_type:
            if self.doc_type not in DOC_TYPES:
                raise _bad(
                    "doc_type", f"unknown document type {self.doc_type!r}: use one of {', '.join(DOC_TYPES)}"
                )
            out.append(f"type:{self.doc_type}")
        if self.status:
            from ipai.status.query import statuses

            try:
                statuses(self.status)
            except ValueError as exc:
                raise _bad("status", str(exc)) from None
            out.append(f'status:"{self.status.strip()}"')
        return " ".join(out)


def _bad(name: str, message: str) -> InputError:
    return InputError(f"filter {name}: {message}", errors=[{"field": name, "message": message}])


def with_filters(node: Any, filters: Filters) -> Any:
    """``node`` with the filters added as must-hold clauses."""
    from ipai.search.query import ast as A
    from ipai.search.query.parser import parse_query

    text = filters.clauses()
    if not text:
        return node
    extra = parse_query(text, free_text_fallback=False)
    extra_children = extra.children if isinstance(extra, A.Seq) else (extra,)
    base = node.children if isinstance(node, A.Seq) else (node,)
    return A.Seq(pos=node.pos, children=tuple(base) + tuple(extra_children))
