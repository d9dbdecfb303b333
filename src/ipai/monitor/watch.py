"""Watchlist definitions: the five kinds, their options, and validation that names the field in error.

A watchlist is ``{name, kind, terms, options, severity, channels, enabled}``:

- ``query``: one saved query in the search syntax (``ti=drone AND cpc=B64C``); fires on new documents it matches.
- ``competitor``: applicant/assignee names; fires on new documents of that company under any spelling
  (legal forms, initials, misspellings, and with ``match=variants`` names that start with it).
- ``cpc``: classification symbols or prefixes (``B64C``, ``B64U 10/13``); fires on new documents classified there.
- ``own``: your publication numbers; fires on new documents that cite them or come semantically close,
  and when the legal status of one of them changes (granted, lapsed, expired, revoked …: :func:`status_changes`).
- ``trademark``: words; fires on new marks whose word element is close in spelling (or in pinyin).
"""

from __future__ import annotations

import re
from typing import Any

from ipai.errors import InputError
from ipai.text.inputs import field_error as err

KINDS = ("query", "competitor", "cpc", "own", "trademark")
SEVERITIES = ("low", "medium", "high")
CHANNELS = ("email", "webhook")
DEFAULT_SEVERITY = {
    "query": "medium",
    "competitor": "medium",
    "cpc": "low",
    "own": "medium",
    "trademark": "medium",
}
FIELDS = ("name", "kind", "terms", "options", "severity", "channels", "enabled")
MAX_TERMS = 1000
# default thresholds (see docs/monitor.md for how they were chosen)
OWN_MIN_SIMILARITY = 0.86
TM_MIN_SCORE = 85.0
# every kind's options: name → (type, default, check, help)
OPTIONS: dict[str, dict[str, tuple[type, Any]]] = {
    "query": {},
    "competitor": {"match": (str, "variants")},
    "cpc": {"scheme": (str, "any")},
    "own": {
        "citations": (bool, True),
        "closeness": (bool, True),
        "min_similarity": (float, OWN_MIN_SIMILARITY),
    },
    "trademark": {"min_score": (float, TM_MIN_SCORE), "pinyin": (bool, True)},
}
_CLASS = re.compile(r"^[A-HY]\d{2}([A-Z](\d{1,4}(/\d{1,6})?)?)?$")


def class_code(raw: str) -> str:
    """A classification symbol without spaces, upper case (``b64u 10/13`` → ``B64U10/13``)."""
    return re.sub(r"\s+", "", raw).upper()


def _terms(kind: str, raw: Any) -> list[str]:
    if isinstance(raw, str):
        items = [raw] if kind == "query" else re.split(r"[;\n]", raw)
    elif isinstance(raw, (list, tuple)):
        items = list(raw)
    else:
        raise err("terms", "give a string or a list of strings")
    if not all(isinstance(x, str) for x in items):
        raise err("terms", "every term must be a string")
    terms = [" ".join(x.split()) for x in items if x and x.strip()]
    if not terms:
        raise err(
            "terms",
            "empty: give at least one "
            + {
                "query": "query",
                "competitor": "applicant name",
                "cpc": "class symbol",
                "own": "publication number",
                "trademark": "word",
            }[kind],
        )
    if len(terms) > MAX_TERMS:
        raise err("terms", f"at most {MAX_TERMS} terms")
    if kind == "query":
        if len(terms) > 1:
            raise err("terms", "a query watchlist holds one query (combine them with OR)")
        from ipai.search.query.parser import parse_query

        parse_query(terms[0])  # a QueryError names the position
    elif kind == "cpc":
        terms = [class_code(t) for t in terms]
        for n, t in enumerate(terms):
            if not _CLASS.match(t):
                raise err(f"terms[{n}]", f"{t!r} is not a class symbol (B64C, B64C39/02)")
    elif kind == "own":
        from ipai.model import parse_pubno

        out = []
        for n, t in enumerate(terms):
            try:
                out.append(parse_pubno(t).doc_id)
            except InputError:
                raise err(f"terms[{n}]", f"{t!r} is not a publication number") from None
        terms = out
    return list(dict.fromkeys(terms))


def _options(kind: str, raw: Any) -> dict[str, Any]:
    spec = OPTIONS[kind]
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise err("options", "give an object of option names and values")
    unknown = sorted(set(raw) - set(spec))
    if unknown:
        allowed = ", ".join(spec) or "none"
        raise err(f"options.{unknown[0]}", f"unknown option for a {kind} watchlist (allowed: {allowed})")
    out: dict[str, Any] = {}
    for name, (typ, default) in spec.items():
        v = raw.get(name, default)
        try:
            if typ is bool and isinstance(v, str):
                if v.lower() not in ("true", "false", "1", "0", "yes", "no"):
                    raise ValueError(v)
                v = v.lower() in ("true", "1", "yes")
            v = typ(v)
        except (TypeError, ValueError):
            raise err(f"options.{name}", f"must be a {typ.__name__}") from None
        out[name] = v
    if kind == "competitor" and out["match"] not in ("variants", "exact"):
        raise err("options.match", "must be variants or exact")
    if kind == "cpc" and out["scheme"] not in ("any", "cpc", "ipc"):
        raise err("options.scheme", "must be any, cpc or ipc")
    if kind == "own" and not 0.5 <= out["min_similarity"] <= 1.0:
        raise err("options.min_similarity", "must be between 0.5 and 1")
    if kind == "own" and not (out["citations"] or out["closeness"]):
        raise err("options.citations", "citations and closeness cannot both be off")
    if kind == "trademark" and not 50 <= out["min_score"] <= 100:
        raise err("options.min_score", "must be between 50 and 100")
    return out


def clean_watch(values: dict[str, Any], *, current: dict[str, Any] | None = None) -> dict[str, Any]:
    """Validate a new watchlist (or, with ``current``, a change to one); every error names its field."""
    unknown = sorted(set(values) - set(FIELDS))
    if unknown:
        raise err(unknown[0], f"unknown field (allowed: {', '.join(FIELDS)})")
    merged = {**(current or {}), **{k: v for k, v in values.items() if v is not None}}
    kind = merged.get("kind")
    if current is not None and kind != current["kind"]:
        raise err("kind", "the kind of a watchlist cannot change; add a new one")
    if kind not in KINDS:
        raise err("kind", f"unknown watch kind {kind!r}: use {', '.join(KINDS)}")
    terms = _terms(kind, merged.get("terms"))
    options = _options(
        kind,
        merged.get("options") if "options" in values or current is None else (current or {}).get("options"),
    )
    severity = merged.get("severity") or DEFAULT_SEVERITY[kind]
    if severity not in SEVERITIES:
        raise err("severity", f"must be one of {', '.join(SEVERITIES)}")
    channels = merged.get("channels")
    channels = list(CHANNELS) if channels is None else ([channels] if isinstance(channels, str) else channels)
    if not isinstance(channels, list) or any(c not in CHANNELS for c in channels):
        raise err("channels", f"push channels are {', '.join(CHANNELS)} (in-app alerts are always kept)")
    name = merged.get("name") or f"{kind}: {'; '.join(terms)}"
    if not isinstance(name, str) or not name.strip():
        raise err("name", "must be a non-empty string")
    enabled = merged.get("enabled", True)
    if not isinstance(enabled, bool):
        raise err("enabled", "must be true or false")
    return {
        "name": " ".join(name.split())[:255],
        "kind": kind,
        "terms": terms,
        "options": options,
        "severity": severity,
        "channels": list(dict.fromkeys(channels)),
        "enabled": enabled,
    }


def raise_severity(floor: str, level: str) -> str:
    """The higher of a watchlist's floor severity and the level an evaluation gave."""
    return max(floor, level, key=SEVERITIES.index)


def status_changes(
    watch: dict[str, Any], before: dict[str, str], now: dict[str, Any], titles: dict[str, str]
) -> list[dict[str, Any]]:
    """Alerts for watched patents whose legal status differs from ``before`` (id → status code);
    ``now``: id → :class:`ipai.status.LegalStatus`. A right that ends is ``high``, any other change
    ``medium``; one alert per document and new status (its target names both)."""
    out = []
    for doc_id, st in now.items():
        old = before.get(doc_id)
        if old is None or old == st.status:
            continue
        from ipai.status import LABELS

        labels = {lang: (LABELS[old][lang], st.label(lang)) for lang in ("en", "zh")}
        reason = (
            f"legal status changed: {labels['en'][0]} → {labels['en'][1]} ({st.reason_text('en')}); "
            f"法律状态变更：{labels['zh'][0]} → {labels['zh'][1]}"
        )
        out.append(
            {
                "watchlist_id": watch["id"],
                "watch_name": watch["name"],
                "kind": watch["kind"],
                "target": f"status:{doc_id}:{st.status}:{st.since or ''}",
                "title": titles.get(doc_id, ""),
                "reason": reason,
                "severity": raise_severity(watch["severity"], "medium" if st.alive else "high"),
                "score": None,
                "seq": None,
                "detail": {
                    "document": doc_id,
                    "status_from": old,
                    "status_to": st.status,
                    "since": st.since.isoformat() if st.since else None,
                    "labels": {lang: {"from": a, "to": b} for lang, (a, b) in labels.items()},
                    "reason_text": {lang: st.reason_text(lang) for lang in ("en", "zh")},
                },
            }
        )
    return out
