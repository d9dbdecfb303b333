"""IP ↔ industry: map IPC/CPC codes to a target scheme (WIPO's 35 technology fields by default, or any
industry classification the user loads: GB/T 4754, NACE …) and join patent counts with industry figures.

A *concordance* is a CSV ``code_prefix,target_id,target_label_en,target_label_zh`` (``#`` lines are
comments); the longest prefix matching a document's class wins. Concordances and figures the user
loads live as plain CSV files under ``<home>/industry/`` (see docs/industry.md).
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ipai.errors import InputError, NotFound

DEFAULT_SCHEME = "wipo35"
_BUILTIN = Path(__file__).parent / "concordance"
COLUMNS = ("code_prefix", "target_id", "target_label_en", "target_label_zh")
FIGURE_COLUMNS = ("industry_id", "region", "year", "value", "unit")
# section, class, subclass, or main group with its slash ("G01N33/")
PREFIX = re.compile(r"^[A-HY](\d\d([A-Z](\d{1,4}/)?)?)?$")
SCHEME_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,39}$")
_CODE = re.compile(r"^([A-HY]\d\d[A-Z])\s*0*(\d{1,4})?\s*(/.*)?$")


def normalize_code(code: str) -> str:
    """``"H04N 0005/232"`` → ``"H04N5/232"``; a subclass stays as is; "" if not IPC/CPC-shaped."""
    m = _CODE.match((code or "").strip().upper().replace(" ", ""))
    if not m:
        return ""
    sub, group, rest = m.groups()
    return sub + (f"{int(group)}{rest or '/'}" if group else "")


@dataclass
class Concordance:
    """Prefix → (target id, English label, Chinese label), longest prefix first when mapping."""

    scheme: str
    rows: dict[str, str] = field(default_factory=dict)  # prefix → target id
    labels: dict[str, tuple[str, str]] = field(default_factory=dict)  # target id → (en, zh)
    source: str = ""

    def map(self, code: str) -> str | None:
        """Target id of one IPC/CPC code (subclass, group or full symbol), or ``None``."""
        c = normalize_code(code)
        for n in range(len(c), 0, -1):
            t = self.rows.get(c[:n])
            if t is not None:
                return t
        return None

    def targets(self, subclasses: Iterable[str], groups: Iterable[str]) -> set[str]:
        """Targets of one document: its main groups (``H04N5`` → ``H04N5/``) and the subclasses
        no group of it refines."""
        out: set[str] = set()
        covered: set[str] = set()
        for g in groups:
            c = normalize_code(g)
            if c:
                covered.add(c[:4])
                t = self.map(c if "/" in c else c + "/")
                if t is not None:
                    out.add(t)
        for s in subclasses:
            if s[:4] not in covered:
                t = self.map(s)
                if t is not None:
                    out.add(t)
        return out


def parse_concordance(text: str, scheme: str, source: str = "") -> Concordance:
    """Validate and read a concordance CSV; every error names its row (file line) and field."""
    errors: list[dict[str, Any]] = []
    con = Concordance(scheme=scheme, source=source)
    lines = [
        (i, ln) for i, ln in enumerate(text.splitlines(), 1) if ln.strip() and not ln.lstrip().startswith("#")
    ]
    if not lines:
        raise InputError("the concordance is empty", errors=[{"field": "file", "message": "no rows"}])
    reader = csv.reader([ln for _, ln in lines])
    header = [h.strip().lstrip("\ufeff") for h in next(reader)]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise InputError(
            f"concordance header lacks {', '.join(missing)}",
            errors=[{"row": lines[0][0], "field": c, "message": "missing column"} for c in missing],
        )
    ix = {c: header.index(c) for c in COLUMNS}
    for (lineno, _), rec in zip(lines[1:], reader, strict=False):
        v = {c: (rec[ix[c]].strip() if ix[c] < len(rec) else "") for c in COLUMNS}
        prefix = v["code_prefix"].upper().replace(" ", "")
        if not PREFIX.match(prefix):
            errors.append(
                {"row": lineno, "field": "code_prefix", "message": f"not an IPC/CPC prefix: {prefix!r}"}
            )
            continue
        if not v["target_id"]:
            errors.append({"row": lineno, "field": "target_id", "message": "missing"})
            continue
        if not (v["target_label_en"] or v["target_label_zh"]):
            errors.append({"row": lineno, "field": "target_label_en", "message": "missing label (en and zh)"})
            continue
        old = con.rows.get(prefix)
        if old is not None and old != v["target_id"]:
            errors.append(
                {
                    "row": lineno,
                    "field": "code_prefix",
                    "message": f"{prefix} already mapped to {old}, here to {v['target_id']}",
                }
            )
            continue
        con.rows[prefix] = v["target_id"]
        en, zh = con.labels.get(v["target_id"], ("", ""))
        con.labels[v["target_id"]] = (en or v["target_label_en"], zh or v["target_label_zh"])
    if errors:
        raise InputError(
            f"{len(errors)} bad row(s) in the concordance, first at row {errors[0]['row']}: "
            f"{errors[0]['field']}: {errors[0]['message']}",
            errors=errors[:200],
        )
    if not con.rows:
        raise InputError("the concordance has no rows", errors=[{"field": "file", "message": "no rows"}])
    return con


def parse_figures(text: str) -> list[dict[str, Any]]:
    """Validate and read industry figures ``industry_id,region,year,value,unit``."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in FIGURE_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError(
            f"figures header lacks {', '.join(missing)}",
            errors=[{"row": 1, "field": c, "message": "missing column"} for c in missing],
        )
    out: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    for n, r in enumerate(reader, 2):
        v = {c: (r.get(c) or "").strip() for c in FIGURE_COLUMNS}
        for c in ("industry_id", "unit"):
            if not v[c]:
                errors.append({"row": n, "field": c, "message": "missing"})
        try:
            year = int(v["year"])
        except ValueError:
            errors.append({"row": n, "field": "year", "message": f"not a year: {v['year']!r}"})
            continue
        try:
            value = float(v["value"].replace(",", ""))
        except ValueError:
            errors.append({"row": n, "field": "value", "message": f"not a number: {v['value']!r}"})
            continue
        out.append({**v, "year": year, "value": value})
    if errors:
        raise InputError(
            f"{len(errors)} bad row(s) in the figures, first at row {errors[0]['row']}: "
            f"{errors[0]['field']}: {errors[0]['message']}",
            errors=errors[:200],
        )
    if not out:
        raise InputError("the figures file has no rows", errors=[{"field": "file", "message": "no rows"}])
    return out


class IndustryFiles:
    """Concordances and figures kept as CSV files under ``<home>/industry/``."""

    def __init__(self, home: Path) -> None:
        self.root = Path(home) / "industry"

    def _conc_path(self, scheme: str) -> Path:
        return self.root / "concordance" / f"{scheme}.csv"

    def schemes(self) -> list[dict[str, Any]]:
        """Every scheme available: the built-in ones and the user's (a user file shadows a built-in)."""
        names = {p.stem: "builtin" for p in _BUILTIN.glob("*.csv")}
        names.update({p.stem: "user" for p in (self.root / "concordance").glob("*.csv")})
        out = []
        for name, origin in sorted(names.items()):
            con = self.concordance(name)
            out.append(
                {
                    "scheme": name,
                    "origin": origin,
                    "prefixes": len(con.rows),
                    "targets": len(con.labels),
                    "figures": self.figures_path(name).exists(),
                }
            )
        return out

    def concordance(self, scheme: str = DEFAULT_SCHEME) -> Concordance:
        """The user's concordance for ``scheme`` if loaded, else the built-in one."""
        _check_scheme(scheme)
        for p, origin in ((self._conc_path(scheme), "user"), (_BUILTIN / f"{scheme}.csv", "builtin")):
            if p.exists():
                return parse_concordance(p.read_text(encoding="utf-8"), scheme, source=f"{origin}:{p.name}")
        raise NotFound(
            f"no concordance for scheme {scheme!r}; load one with `ipai industry load-concordance`"
        )

    def save_concordance(self, text: str, scheme: str) -> dict[str, Any]:
        """Validate and store a concordance (replacing the scheme's previous one)."""
        _check_scheme(scheme)
        con = parse_concordance(text, scheme)
        p = self._conc_path(scheme)
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
        return {"scheme": scheme, "prefixes": len(con.rows), "targets": len(con.labels), "path": str(p)}

    def figures_path(self, scheme: str) -> Path:
        return self.root / "figures" / f"{scheme}.csv"

    def save_figures(self, text: str, scheme: str) -> dict[str, Any]:
        """Validate and store industry figures for a scheme; unknown industry ids are reported."""
        con = self.concordance(scheme)
        rows = parse_figures(text)
        p = self.figures_path(scheme)
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
        unknown = sorted({r["industry_id"] for r in rows} - set(con.labels))
        return {
            "scheme": scheme,
            "rows": len(rows),
            "regions": sorted({r["region"] for r in rows}),
            "years": sorted({r["year"] for r in rows}),
            "unknown_industry_ids": unknown[:50],
            "path": str(p),
        }

    def figures(self, scheme: str) -> list[dict[str, Any]]:
        p = self.figures_path(scheme)
        return parse_figures(p.read_text(encoding="utf-8")) if p.exists() else []


def _check_scheme(scheme: str) -> None:
    if not SCHEME_NAME.match(scheme or ""):
        raise InputError(
            f"bad scheme name {scheme!r} (lower-case letters, digits, _ . -)",
            errors=[{"field": "scheme", "message": "bad name"}],
        )


def industry_view(
    facts: list[Any],
    con: Concordance,
    figures: list[dict[str, Any]] | None = None,
    *,
    region: str | None = None,
    year: int | None = None,
) -> dict[str, Any]:
    """Per target of the concordance: documents (whole counting: a document counts once in each
    target its classes reach), share of the mapped documents, counts per year, and, with figures,
    the figure (summed over the selected region/year) and patents per unit of it."""
    by_target: Counter[str] = Counter()
    by_year: dict[str, Counter[int]] = defaultdict(Counter)
    unmapped = 0
    for f in facts:
        ts = con.targets(f.subclasses, f.groups)
        if not ts:
            unmapped += 1
        for t in ts:
            by_target[t] += 1
            if f.year:
                by_year[t][f.year] += 1
    mapped = len(facts) - unmapped
    sel: list[dict[str, Any]] = []
    if figures:
        sel = [r for r in figures if region is None or r["region"] == region]
        if year is None and sel:
            year = max(r["year"] for r in sel)
        sel = [r for r in sel if r["year"] == year]
    fig: dict[str, float] = defaultdict(float)
    units: dict[str, set[str]] = defaultdict(set)
    for r in sel:
        fig[r["industry_id"]] += r["value"]
        units[r["industry_id"]].add(r["unit"])
    rows = []
    for t in sorted(set(by_target) | set(fig), key=lambda t: (-by_target[t], t)):
        en, zh = con.labels.get(t, ("", ""))
        row: dict[str, Any] = {
            "id": t,
            "label_en": en,
            "label_zh": zh,
            "patents": by_target[t],
            "share": round(by_target[t] / mapped, 4) if mapped else 0.0,
            "by_year": dict(sorted(by_year[t].items())),
        }
        if figures:
            value = fig.get(t)
            u = sorted(units.get(t, ()))
            row.update(
                {
                    "figure": value,
                    "unit": "/".join(u) or None,
                    "patents_per_unit": round(by_target[t] / value, 6) if value else None,
                }
            )
        rows.append(row)
    return {
        "scheme": con.scheme,
        "source": con.source,
        "documents": len(facts),
        "mapped": mapped,
        "unmapped": unmapped,
        "counting": "whole (a document counts in every target it reaches)",
        "figures": {"region": region or "all", "year": year, "rows": len(sel)} if figures else None,
        "industries": rows,
    }
