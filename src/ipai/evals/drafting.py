"""``ipai eval drafting FILE``: the deterministic drafter's claims and sections checked by the rules a
patent agent checks first (docs/draft-check.md, "Drafting form").

Each case is a disclosure (JSON lines: ``{"id", "lang", "subject", "text", "split"}``, ``subject`` the
name a patent agent would give the invention). Rules, each pass/fail per draft:

* ``subject_in_preamble`` — claim 1 opens with the subject: "1. 一种<subject>，" / "1. A(n) <subject> comprising";
* ``features_after_characterising`` — zh: exactly one 其特征在于, followed by features (not empty, not
  "一种…", not the title); en: "comprising:" then "; wherein" followed by a feature;
* ``dependent_form`` — every further claim refers back to an earlier claim in the office's form
  ("N. 根据权利要求k所述的<subject>，其特征在于，…" / "N. The <subject> of claim k, wherein …", k < N);
* ``field_language`` — the technical field is written in the draft's language (zh: no Latin letters;
  en: no Chinese characters);
* ``no_foreign_words`` — a Chinese draft has no Latin word outside “quoted names” that the disclosure
  itself does not use (the embodiment, which is the disclosure, is not counted);
* ``no_effect_in_claims`` — no claim states an effect (从而 / 以便 / thereby / so that);
* ``checker_clean`` — the claim checker (office CN for zh, EP for en) finds no error.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from ipai.errors import InputError
from ipai.evals.queryfile import read_jsonl

RULES = (
    "subject_in_preamble",
    "features_after_characterising",
    "dependent_form",
    "field_language",
    "no_foreign_words",
    "no_effect_in_claims",
    "checker_clean",
)
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9\-]*")
_QUOTED = re.compile(r"“[^”]*”")


def read_cases(path: Path) -> list[dict[str, Any]]:
    """Drafting cases; a bad line is an error naming the line and the field."""
    out = []
    for n, c in read_jsonl(path):
        for key in ("id", "lang", "subject", "text"):
            if not isinstance(c.get(key), str) or not c[key].strip():
                raise InputError(
                    f"line {n}: field {key!r} missing or empty",
                    errors=[{"field": key, "message": f"line {n}"}],
                )
        if c["lang"] not in ("zh", "en"):
            raise InputError(
                f"line {n}: lang must be zh or en", errors=[{"field": "lang", "message": f"line {n}"}]
            )
        out.append(c)
    return out


def _art(subject: str) -> str:
    return "An" if subject[:1].lower() in "aeiou" else "A"


def judge(draft: dict[str, Any], case: dict[str, Any]) -> dict[str, bool]:
    """Each rule of the module doc for one draft."""
    zh, subj = case["lang"] == "zh", case["subject"]
    claims = draft["claims"]
    c1 = claims[0] if claims else ""
    out: dict[str, bool] = {}
    if zh:
        out["subject_in_preamble"] = c1.startswith(f"1. 一种{subj}，")
        pre, sep, char = c1.partition("其特征在于")
        char = char.lstrip("，：:")
        out["features_after_characterising"] = (
            bool(sep)
            and c1.count("其特征在于") == 1
            and len(char) > 2
            and not char.startswith("一种")
            and draft["title"] not in char
        )
    else:
        out["subject_in_preamble"] = c1.lower().startswith(
            f"1. {_art(subj).lower()} {subj.lower()} comprising"
        )
        body, sep, char = c1.partition("; wherein ")
        out["features_after_characterising"] = (
            "comprising:" in body and bool(sep) and len(char.strip(" .")) > 2
        )
    dep_ok = True
    for n, c in enumerate(claims[1:], 2):
        m = re.match(
            rf"^{n}\. 根据权利要求(\d+)所述的{re.escape(subj)}，其特征在于，.+"
            if zh
            else rf"^{n}\. The {re.escape(subj)} of claim (\d+), wherein .+",
            c,
            re.I,
        )
        dep_ok &= m is not None and int(m.group(1)) < n
    out["dependent_form"] = dep_ok
    fld = next(iter(draft["sections"].values()), "")
    out["field_language"] = not re.search(r"[A-Za-z]", fld) if zh else not re.search(r"[\u4e00-\u9fff]", fld)
    if zh:
        own = {w.lower() for w in _LATIN_WORD.findall(case["text"])}
        parts = [draft["title"], *claims, *list(draft["sections"].values())[:-1]]
        foreign = [
            w
            for p in parts
            for w in _LATIN_WORD.findall(_QUOTED.sub("", p))
            if w.lower() not in own and not re.match(r"^[A-Z]{2}\d", w)
        ]  # CN114…A: a publication number
        out["no_foreign_words"] = not foreign
    else:
        out["no_foreign_words"] = True
    out["no_effect_in_claims"] = not any(re.search(r"从而|以便|\bthereby\b|\bso that\b", c) for c in claims)
    errors = [f for f in (draft.get("check") or {}).get("findings", []) if f["severity"] == "error"]
    out["checker_clean"] = not errors
    return out


def eval_drafting(path: Path, svc: Any, *, details: bool = False) -> dict[str, Any]:
    """Draft every case with the deterministic drafter and judge it (see module doc)."""
    cases = read_cases(path)
    t0 = time.perf_counter()
    tally: dict[str, dict[str, list[int]]] = {}
    rows = []
    for c in cases:
        draft = svc.draft.draft(c["text"], use_llm=False)
        verdict = judge(draft, c)
        for key in (c.get("split", "all"), "all", f"lang {c['lang']}"):
            t = tally.setdefault(key, {r: [0, 0] for r in (*RULES, "all_rules")})
            for r in RULES:
                t[r][0] += 1
                t[r][1] += verdict[r]
            t["all_rules"][0] += 1
            t["all_rules"][1] += all(verdict.values())
        if details or not all(verdict.values()):
            rows.append(
                {
                    "id": c["id"],
                    "failed": [r for r in RULES if not verdict[r]],
                    "claim_1": draft["claims"][0],
                    "field": next(iter(draft["sections"].values()), ""),
                    **({"claims": draft["claims"]} if details else {}),
                }
            )
    rates = {k: {r: round(v[1] / v[0], 3) for r, v in t.items()} for k, t in sorted(tally.items())}
    return {
        "eval": "drafting",
        "cases": len(cases),
        "pass_rate": rates,
        "drafts_failing": rows if details else [{"id": r["id"], "failed": r["failed"]} for r in rows],
        "rules": list(RULES),
        "rule": "docs/draft-check.md",
        "seconds": round(time.perf_counter() - t0, 1),
    }
