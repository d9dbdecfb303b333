"""Watchlist evaluation over a batch of changed documents or trademarks: each evaluator returns the
alerts (target, reason, severity, score, detail) one watchlist raises on that batch.

Evaluators see only what changed since the watchlist's last run (the service passes the batch); they
never read the store themselves. Documents arrive as their brief fields (applicants, classes,
citations, titles)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

import numpy as np

from ipai.monitor.watch import class_code, raise_severity

Doc = dict[str, Any]
Alert = dict[str, Any]
TYPO_SIM = 0.88  # a word of an applicant name this close to the watched word is a misspelling of it
TYPO_MIN_LEN = 6


def doc_title(fields: Doc) -> str:
    """A document's title for an alert: English, else Chinese, else any."""
    titles = fields.get("titles") or {}
    return titles.get("en") or titles.get("zh") or next(iter(titles.values()), "") or ""


def _alert(
    watch: dict[str, Any],
    target: str,
    title: str,
    reason: str,
    severity: str,
    score: float | None,
    detail: dict[str, Any],
    seq: int | None = None,
) -> Alert:
    return {
        "watchlist_id": watch["id"],
        "watch_name": watch["name"],
        "kind": watch["kind"],
        "target": target,
        "title": title,
        "reason": reason,
        "severity": raise_severity(watch["severity"], severity),
        "score": None if score is None else round(float(score), 4),
        "detail": detail,
        "seq": seq,
    }


# ---- competitors ------------------------------------------------------------------------------------
def name_tokens(name: str) -> list[str]:
    """:func:`org_tokens` also without a legal form written in spaced letters (``S A``, ``B V``, ``G M B H``)."""
    from ipai.analytics.entities.keys import LEGAL_TOKENS, org_tokens

    toks = org_tokens(name)
    n = len(toks)
    while n > 1 and len(toks[n - 1]) == 1:
        n -= 1
    if n < len(toks) and n >= 1 and "".join(toks[n:]) in LEGAL_TOKENS:
        return toks[:n]
    return toks


class NameMatcher:
    """Does an applicant name denote one of the watched companies? Legal forms, punctuation and case
    are ignored; initials (IBM) and spelling variants of long names match (the entity resolver's rules);
    with ``variants`` a name that starts with the watched name matches too (``PARROT`` → ``PARROT DRONES SAS``),
    including a misspelt first word (``PARROTT DRONES``)."""

    def __init__(self, names: list[str], mode: str = "variants") -> None:
        self.mode = mode
        self.variants = [(n, name_tokens(n)) for n in names]
        self._cache: dict[str, tuple[float, str] | None] = {}

    def match(self, name: str) -> tuple[float, str] | None:
        """``(score, reason)`` when ``name`` is a watched company, else None (memoised per name)."""
        if name not in self._cache:
            self._cache[name] = self._match(name)
        return self._cache[name]

    def _match(self, name: str) -> tuple[float, str] | None:
        from rapidfuzz.distance import Indel

        from ipai.analytics.entities.keys import acronym
        from ipai.analytics.entities.score import ORG_THRESHOLD, org_score
        from ipai.text.chinese import has_han

        toks = name_tokens(name)
        if not toks:
            return None
        for watched, wt in self.variants:
            if not wt:
                continue
            if toks == wt:
                return 1.0, f"applicant {name!r} is {watched!r} (same name without legal form)"
            for short, long_ in ((wt, toks), (toks, wt)):
                if len(short) == 1 and len(short[0]) >= 2 and short[0] == acronym(long_):
                    return 0.9, f"applicant {name!r} and {watched!r}: one is the initials of the other"
            score, reasons = org_score(wt, toks)
            if score >= ORG_THRESHOLD:
                return score, f"applicant {name!r} is a spelling variant of {watched!r} ({reasons[0]})"
            if self.mode != "variants":
                continue
            if has_han(wt[0]):
                if toks[0].startswith(wt[0]) and len(wt[0]) >= 2:
                    return 0.9, f"applicant {name!r} starts with the watched name {watched!r}"
                continue
            if len(toks) > len(wt) and toks[: len(wt)] == wt:
                return 0.9, f"applicant {name!r} starts with the watched name {watched!r}"
            head = toks[: len(wt)]
            if len(head) == len(wt) and all(
                a == b
                or (min(len(a), len(b)) >= TYPO_MIN_LEN and Indel.normalized_similarity(a, b) >= TYPO_SIM)
                for a, b in zip(head, wt, strict=False)
            ):
                return 0.85, f"applicant {name!r} starts with a misspelling of the watched name {watched!r}"
        return None


def eval_competitor(
    watch: dict[str, Any], docs: dict[str, Doc], seqs: dict[str, int], matcher: NameMatcher
) -> list[Alert]:
    """New documents whose applicant or assignee is a watched company."""
    out = []
    for doc_id, f in docs.items():
        for role in ("applicants", "assignees"):
            hit = next(((p["name"], m) for p in f.get(role) or [] if (m := matcher.match(p["name"]))), None)
            if hit:
                (name, (score, reason)) = hit
                out.append(
                    _alert(
                        watch,
                        doc_id,
                        doc_title(f),
                        reason,
                        "medium",
                        score,
                        {"applicant": name, "role": role[:-1]},
                        seqs.get(doc_id),
                    )
                )
                break
    return out


# ---- classes ----------------------------------------------------------------------------------------
def eval_cpc(watch: dict[str, Any], docs: dict[str, Doc], seqs: dict[str, int]) -> list[Alert]:
    """New documents classified in (or under) a watched symbol."""
    scheme = watch["options"]["scheme"]
    prefixes = watch["terms"]
    out = []
    for doc_id, f in docs.items():
        codes = [(c.get("scheme"), class_code(c.get("code") or "")) for c in f.get("classifications") or []]
        hits = sorted(
            {
                code
                for sch, code in codes
                if (scheme == "any" or sch == scheme) and any(code.startswith(p) for p in prefixes)
            }
        )
        if hits:
            watched = sorted({p for p in prefixes if any(h.startswith(p) for h in hits)})
            out.append(
                _alert(
                    watch,
                    doc_id,
                    doc_title(f),
                    f"classified in {', '.join(hits[:5])} (watched: {', '.join(watched)})",
                    "low",
                    None,
                    {"classes": hits, "watched": watched},
                    seqs.get(doc_id),
                )
            )
    return out


# ---- saved queries ----------------------------------------------------------------------------------
def eval_query(
    watch: dict[str, Any], docs: dict[str, Doc], seqs: dict[str, int], matched: set[str]
) -> list[Alert]:
    """New documents among those the saved query matches."""
    q = watch["terms"][0]
    return [
        _alert(
            watch,
            doc_id,
            doc_title(f),
            f"matches the saved query {q!r}",
            "medium",
            None,
            {"query": q},
            seqs.get(doc_id),
        )
        for doc_id, f in docs.items()
        if doc_id in matched
    ]


# ---- own patents ------------------------------------------------------------------------------------
def _key(pubno: Any) -> tuple[str, str] | None:
    if not isinstance(pubno, dict) or not pubno.get("country") or not pubno.get("number"):
        return None
    return str(pubno["country"]).upper(), str(pubno["number"]).lstrip("0")


def own_keys(doc_ids: list[str]) -> dict[tuple[str, str], str]:
    """(country, number without leading zeros) → own doc id: citations carry other kind codes."""
    from ipai.model import parse_pubno

    out = {}
    for d in doc_ids:
        pn = parse_pubno(d)
        out[(pn.country, pn.number.lstrip("0"))] = d
    return out


def eval_own(
    watch: dict[str, Any],
    docs: dict[str, Doc],
    seqs: dict[str, int],
    keys: dict[tuple[str, str], str],
    own_families: set[str],
    own_vecs: tuple[list[str], np.ndarray] | None,
    vectors: Callable[[list[str]], tuple[list[str], np.ndarray]],
) -> list[Alert]:
    """New documents that cite an own patent (high), or whose semantic vector is within
    ``min_similarity`` cosine of one (medium; high from halfway between the threshold and 1)."""
    opts = watch["options"]
    fresh = {
        i: f
        for i, f in docs.items()
        if _key(f.get("pubno")) not in keys and not (f.get("family_id") and f["family_id"] in own_families)
    }
    out: dict[str, Alert] = {}
    if opts["citations"]:
        for doc_id, f in fresh.items():
            cited = sorted({keys[k] for c in f.get("citations") or [] if (k := _key(c.get("pubno"))) in keys})
            if cited:
                cats = sorted(
                    {
                        x
                        for c in f.get("citations") or []
                        if _key(c.get("pubno")) in keys
                        for x in c.get("categories") or []
                    }
                )
                reason = f"cites your patent {', '.join(cited)}" + (
                    f" (category {', '.join(cats)})" if cats else ""
                )
                out[doc_id] = _alert(
                    watch,
                    doc_id,
                    doc_title(f),
                    reason,
                    "high",
                    1.0,
                    {"cites": cited, "categories": cats},
                    seqs.get(doc_id),
                )
    if opts["closeness"] and own_vecs is not None and len(own_vecs[0]):
        rest = [i for i in fresh if i not in out]
        ids, mat = vectors(rest) if rest else ([], np.zeros((0, 1), dtype=np.float32))
        if len(ids):
            sims = _unit(mat) @ _unit(own_vecs[1]).T
            best = sims.argmax(axis=1)
            lo = opts["min_similarity"]
            for r, doc_id in enumerate(ids):
                s = float(sims[r, best[r]])
                if s >= lo:
                    near = own_vecs[0][int(best[r])]
                    out[doc_id] = _alert(
                        watch,
                        doc_id,
                        doc_title(fresh[doc_id]),
                        f"close to your patent {near} (semantic similarity {s:.2f} ≥ {lo:.2f})",
                        "high" if s >= lo + (1 - lo) / 2 else "medium",
                        s,
                        {"close_to": near, "similarity": round(s, 4)},
                        seqs.get(doc_id),
                    )
    return list(out.values())


def _unit(m: np.ndarray) -> np.ndarray:
    return m / np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-9)


# ---- trademarks -------------------------------------------------------------------------------------
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


def mark_key(text: str) -> str:
    """A word element for comparison: NFKC, no accents, case or punctuation (``Uncle Ben's`` → ``uncle bens``)."""
    s = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold().replace("'", "")
    return " ".join(_NON_WORD.sub(" ", s).split())


def _pinyin(text: str) -> str:
    try:
        from pypinyin import lazy_pinyin
    except ImportError:  # optional: without pypinyin, Chinese marks compare as written
        return text
    return " ".join(lazy_pinyin(text))


class WordMatcher:
    """Closeness of a mark's word element to watched words: the best of edit similarity of the
    whole element, a watched word standing as a word inside it, and (Chinese) the pinyin reading."""

    def __init__(self, words: list[str], *, pinyin: bool = True) -> None:
        from ipai.text.chinese import has_han

        self.pinyin = pinyin
        self.words = []
        for w in words:
            k = mark_key(w)
            self.words.append((w, k, mark_key(_pinyin(k)) if pinyin and has_han(k) else None))

    def score(self, mark_text: str) -> tuple[float, str, str] | None:
        """``(score 0-100, watched word, how)`` for the closest watched word, or None."""
        from rapidfuzz import fuzz

        from ipai.text.chinese import has_han

        m = mark_key(mark_text or "")
        if not m:
            return None
        m_py = mark_key(_pinyin(m)) if self.pinyin and has_han(m) else None
        best: tuple[float, str, str] | None = None
        for word, k, k_py in self.words:
            cands = [(fuzz.ratio(k, m), "spelling")]
            if k != m and ((len(k) >= 4 and f" {k} " in f" {m} ") or (len(k) >= 2 and has_han(k) and k in m)):
                cands.append((90.0, "contains the word"))  # Chinese has no spaces: any substring
            pairs = [(a, b) for a, b in ((k_py, m), (k, m_py), (k_py, m_py)) if a and b]
            cands += [(fuzz.ratio(a.replace(" ", ""), b.replace(" ", "")), "pinyin") for a, b in pairs]
            s, how = max(cands)
            if best is None or s > best[0]:
                best = (float(s), word, how)
        return best


def eval_trademark(watch: dict[str, Any], marks: list[dict[str, Any]], matcher: WordMatcher) -> list[Alert]:
    """New marks whose word element is at least ``min_score`` close to a watched word."""
    lo = watch["options"]["min_score"]
    out = []
    for tm in marks:
        hit = matcher.score(tm.get("mark_text") or "")
        if hit and hit[0] >= lo:
            s, word, how = hit
            out.append(
                _alert(
                    watch,
                    tm["id"],
                    tm.get("mark_text") or "",
                    f"word element {tm.get('mark_text')!r} is close to {word!r} ({how}, {s:.0f}/100)",
                    "high" if s >= 95 else "medium",
                    s / 100,
                    {
                        "word": word,
                        "how": how,
                        "mark_text": tm.get("mark_text"),
                        "filing_date": str(tm["filing_date"]) if tm.get("filing_date") else None,
                    },
                )
            )
    return out
