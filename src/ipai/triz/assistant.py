"""The TRIZ assistant: contradiction → inventive principles, matrix comparison, parameter
suggestion from free text (zh/en) and example patents from the corpus (see docs/triz.md)."""

from __future__ import annotations

import html
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

import numpy as np

from ipai.errors import InputError
from ipai.triz.data import N_PARAMETERS, Parameter, Principle, TrizData

MATRICES = ("A", "B", "both")
ZH_SOURCE = "ipai translation table"
Embed = Callable[[list[str]], np.ndarray]


# ---- parameters -----------------------------------------------------------------------------
def parameter_info(p: Parameter) -> dict[str, Any]:
    """A parameter as JSON (English from the data sets, Chinese name from ipai's table)."""
    return {
        "id": p.id,
        "name": p.name,
        "name_zh": p.name_zh,
        "names": p.names,
        "descriptions": p.descriptions,
        "aliases": p.aliases,
    }


def parameters(data: TrizData) -> dict[str, Any]:
    """The 39 parameters and where their texts come from."""
    return {
        "parameters": [parameter_info(data.parameters[i]) for i in sorted(data.parameters)],
        "sources": {m.label: m.source for m in data.matrices.values()},
        "name_zh_source": ZH_SOURCE,
    }


def resolve_parameter(data: TrizData, value: int | str | None, field: str) -> int:
    """A parameter number from a number, an English or Chinese name or a unique part of one."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise InputError(
            f"{field}: give a parameter number 1-{N_PARAMETERS} or name",
            errors=[{"field": field, "message": "missing"}],
        )
    text = str(value).strip()
    if text.isdigit():
        n = int(text)
        if 1 <= n <= N_PARAMETERS:
            return n
        raise InputError(
            f"{field}: no parameter {n} (1-{N_PARAMETERS})",
            errors=[{"field": field, "message": f"unknown parameter {n}"}],
        )
    low = text.casefold()
    names = {
        p.id: {p.name.casefold(), p.name_zh, *(n.casefold() for n in p.names.values())}
        for p in data.parameters.values()
    }
    exact = [i for i, ns in names.items() if low in ns]
    part = exact or [i for i, ns in names.items() if any(low in n for n in ns)]
    if len(part) == 1:
        return part[0]
    msg = (
        (f"ambiguous parameter {text!r}: " + ", ".join(f"{i} {data.parameters[i].name}" for i in part))
        if part
        else f"unknown parameter {text!r}"
    )
    raise InputError(f"{field}: {msg}", errors=[{"field": field, "message": msg}])


# ---- principles for a contradiction -------------------------------------------------------------
def principle_info(q: Principle) -> dict[str, Any]:
    """A principle as JSON: names, explanations per data set, rules, examples, keywords."""
    d = asdict(q)
    d["name_zh_source"] = ZH_SOURCE
    return d


def _agreement(a: tuple[int, ...], b: tuple[int, ...]) -> str:
    if not a and not b:
        return "both empty"
    if not a or not b:
        return "A empty" if not a else "B empty"
    if a == b:
        return "identical"
    if set(a) == set(b):
        return "same principles, other order"
    return "overlap" if set(a) & set(b) else "disjoint"


def principles(
    data: TrizData, improving: int | str, worsening: int | str, matrix: str = "both"
) -> dict[str, Any]:
    """Ranked inventive principles for improving one parameter while another worsens.

    Rank score = Σ over the chosen matrices of 1 / position in the cell, so principles both matrices
    give come first. When the chosen cells are empty, the principles most frequent in the improving
    row and worsening column are offered instead (``basis`` says which)."""
    if matrix not in MATRICES:
        raise InputError(
            f"matrix must be one of {', '.join(MATRICES)}",
            errors=[{"field": "matrix", "message": f"unknown matrix {matrix!r}"}],
        )
    i = resolve_parameter(data, improving, "improving")
    j = resolve_parameter(data, worsening, "worsening")
    if i == j:
        raise InputError(
            "improving and worsening parameter are the same: a technical contradiction needs two "
            "different parameters (one parameter with opposite demands is a physical contradiction: "
            "use the separation principles)",
            errors=[{"field": "worsening", "message": f"same as improving ({i})"}],
        )
    labels = ["A", "B"] if matrix == "both" else [matrix]
    cells = {lb: data.matrices[lb].cells.get((i, j), ()) for lb in "AB"}
    scores: dict[int, float] = defaultdict(float)
    basis = "cell"
    for lb in labels:
        for pos, pid in enumerate(cells[lb], 1):
            scores[pid] += 1.0 / pos
    if not scores:
        basis = "row and column frequency (the cell is empty)"
        counts: Counter[int] = Counter()
        for lb in labels:
            m = data.matrices[lb].cells
            for (r, c), nums in m.items():
                if r == i or c == j:
                    counts.update(nums)
        top = dict(counts.most_common(6))
        scores = {k: v / max(top.values()) for k, v in top.items()} if top else {}
    ranked = sorted(scores, key=lambda k: (-scores[k], k))
    out = []
    for rank, pid in enumerate(ranked, 1):
        q = principle_info(data.principles[pid])
        where = {lb: (cells[lb].index(pid) + 1 if pid in cells[lb] else None) for lb in "AB"}
        given = [lb for lb in "AB" if where[lb]]
        q.update(
            rank=rank,
            score=round(scores[pid], 4),
            positions=where,
            given_by="both" if len(given) == 2 else (given[0] if given else "none"),
        )
        out.append(q)
    return {
        "improving": parameter_info(data.parameters[i]),
        "worsening": parameter_info(data.parameters[j]),
        "matrix": matrix,
        "cells": {lb: list(c) for lb, c in cells.items()},
        "agreement": _agreement(cells["A"], cells["B"]),
        "basis": basis if out else "none",
        "sources": {lb: data.matrices[lb].source for lb in "AB"},
        "principles": out,
    }


# ---- comparing the two matrices -------------------------------------------------------------------
def compare(data: TrizData, examples: int = 10) -> dict[str, Any]:
    """Where the two matrices differ over the 39 × 39 classic parameters (diagonal excluded)."""
    a, b = data.matrices["A"].cells, data.matrices["B"].cells
    kinds: Counter[str] = Counter()
    jacc: list[float] = []
    diff_rows: Counter[int] = Counter()
    samples: list[dict[str, Any]] = []
    for i in range(1, N_PARAMETERS + 1):
        for j in range(1, N_PARAMETERS + 1):
            if i == j:
                continue
            ca, cb = a.get((i, j), ()), b.get((i, j), ())
            kind = _agreement(ca, cb)
            kinds[kind] += 1
            if ca and cb:
                jacc.append(len(set(ca) & set(cb)) / len(set(ca) | set(cb)))
            if kind not in ("identical", "both empty"):
                diff_rows[i] += 1
                if len(samples) < examples and kind in (
                    "overlap",
                    "disjoint",
                    "same principles, other order",
                ):
                    samples.append(
                        {"improving": i, "worsening": j, "A": list(ca), "B": list(cb), "kind": kind}
                    )
    a_lists = set(a.values())
    moved = [(i, j) for (i, j), v in b.items() if i != j and a.get((i, j)) != v and v in a_lists]
    same_row = sum(1 for i, j in moved if any(a.get((i, c)) == b[(i, j)] for c in range(1, N_PARAMETERS + 1)))
    total = N_PARAMETERS * (N_PARAMETERS - 1)
    both = total - kinds["both empty"] - kinds["A empty"] - kinds["B empty"]
    name_diff = [{"id": p.id, **p.names} for p in data.parameters.values() if len(set(p.names.values())) > 1]
    pname_diff = [{"id": q.id, **q.names} for q in data.principles.values() if len(set(q.names.values())) > 1]
    return {
        "sources": {
            m.label: {
                "source": m.source,
                "file": m.file,
                "filled": sum(1 for (r, c) in m.cells if r != c),
                "extra_parameters": m.extra_parameters,
                "extra_cells": m.extra_cells,
                "irregular_cells": m.irregular,
            }
            for m in data.matrices.values()
        },
        "cells": total,
        "filled_in_both": both,
        "differ": total - kinds["identical"] - kinds["both empty"],
        "identical": kinds["identical"],
        "same_set_other_order": kinds["same principles, other order"],
        "overlap": kinds["overlap"],
        "disjoint": kinds["disjoint"],
        "only_A": kinds["B empty"],
        "only_B": kinds["A empty"],
        "both_empty": kinds["both empty"],
        "mean_jaccard": round(float(np.mean(jacc)), 4) if jacc else None,
        "differing_by_row": {str(k): v for k, v in sorted(diff_rows.items())},
        "B_lists_found_elsewhere_in_A": len(moved),
        "of_which_in_the_same_row": same_row,
        "examples": samples,
        "parameter_name_differences": name_diff,
        "principle_name_differences": pname_diff,
    }


# ---- suggesting parameters from a described contradiction -------------------------------------------
_SPLIT = re.compile(
    r"(?:而不|又不|且不|同时不|但是|但|却|然而|可是|不过|导致|造成|会使|使得|带来|代价是"
    r"|\bbut\b|\bhowever\b|\bwhile\b|\bwhereas\b|\byet\b|\bat the (?:cost|expense) of\b|\bwithout\b"
    r"|\bwhich (?:makes|causes|increases|reduces|leads to)\b|\bleads? to\b|\bcauses?\b|\bresults? in\b)",
    re.IGNORECASE,
)
_STOP = {
    "of",
    "the",
    "a",
    "an",
    "object",
    "moving",
    "stationary",
    "by",
    "or",
    "and",
    "to",
    "use",
    "action",
    "on",
    "in",
    "its",
    "is",
    "it",
}
_WORD = re.compile(r"[a-z]+")


def split_contradiction(text: str) -> tuple[str, str, str | None]:
    """(improving part, worsening part, the contrast word) of a described contradiction."""
    m = _SPLIT.search(text)
    if not m or not text[: m.start()].strip(" ,，;；。.") or not text[m.end() :].strip(" ,，;；。."):
        return text, text, None
    return text[: m.start()].strip(" ,，;；"), text[m.end() :].strip(" ,，;；。."), m.group(0)


def _stem(w: str) -> str:
    for suf in ("iness", "ness", "ity", "ier", "er", "ies", "es", "s", "ing", "ed", "y"):
        if len(w) > len(suf) + 3 and w.endswith(suf):
            return w[: -len(suf)]
    return w


def _lexical(p: Parameter, clause: str) -> tuple[float, list[str], list[dict[str, Any]]]:
    """The bonus of a parameter's words found in the clause, why in English and as codes
    (``{"code": "name_word" | "alias" | "name_zh" | "cue_zh", "value": the word}``)."""
    low = clause.casefold()
    words = {_stem(w) for w in _WORD.findall(low)}
    reasons: list[str] = []
    why: list[dict[str, Any]] = []
    bonus = 0.0
    name_hits = [w for w in _WORD.findall(p.name.casefold()) if w not in _STOP and _stem(w) in words]
    if name_hits:
        bonus += 0.25
        reasons.append(f"name word '{name_hits[0]}'")
        why.append({"code": "name_word", "value": name_hits[0]})
    alias = next((a for a in p.aliases if all(_stem(w) in words for w in _WORD.findall(a.casefold()))), None)
    if alias:
        bonus += 0.1
        reasons.append(f"related word '{alias}' (data set A)")
        why.append({"code": "alias", "value": alias})
    if p.name_zh in clause:
        bonus += 0.3
        reasons.append(f"Chinese name '{p.name_zh}'")
        why.append({"code": "name_zh", "value": p.name_zh})
    else:
        cue = max((c for c in p.cues_zh if c in clause), key=len, default=None)
        if cue:
            bonus += 0.2 + 0.05 * min(len(cue) - 1, 2)
            reasons.append(f"Chinese cue '{cue}' ({ZH_SOURCE})")
            why.append({"code": "cue_zh", "value": cue})
    return bonus, reasons, why


_VEC_CACHE: dict[tuple[str, int], np.ndarray] = {}


def _param_vectors(data: TrizData, embed: Embed, key: str) -> np.ndarray:
    ck = (key, id(data))
    if ck not in _VEC_CACHE:
        ids = sorted(data.parameters)
        names = [data.parameters[i].name for i in ids]
        long = [
            f"{data.parameters[i].name}. " + " ".join(data.parameters[i].descriptions.values()) for i in ids
        ]
        vec = embed(names + long)
        _VEC_CACHE.clear()
        _VEC_CACHE[ck] = vec.reshape(2, len(ids), -1)
    return _VEC_CACHE[ck]


def _rank(data: TrizData, clause: str, qvec: np.ndarray, pvecs: np.ndarray, top: int) -> list[dict[str, Any]]:
    ids = sorted(data.parameters)
    sims = np.maximum(pvecs[0] @ qvec, pvecs[1] @ qvec)
    rows: list[dict[str, Any]] = []
    for k, pid in enumerate(ids):
        bonus, reasons, why = _lexical(data.parameters[pid], clause)
        score = float(sims[k]) + bonus
        reasons.append(f"semantic similarity {float(sims[k]):.2f}")
        why.append({"code": "similarity", "value": f"{float(sims[k]):.2f}"})
        rows.append(
            {
                "id": pid,
                "name": data.parameters[pid].name,
                "name_zh": data.parameters[pid].name_zh,
                "score": round(score, 4),
                "reasons": reasons,
                "why": why,
            }
        )
    rows.sort(key=lambda r: (-r["score"], r["id"]))
    return rows[:top]


def suggest_parameters(
    data: TrizData, text: str, embed: Embed, *, top: int = 5, encoder_key: str = "default"
) -> dict[str, Any]:
    """Improving and worsening parameter candidates for a contradiction described in zh or en text.

    The text is split at a contrast word (但/却/导致/而不…, but/while/without/leads to…): the part
    before describes what should improve, the part after what gets worse. Each part is matched
    against every parameter: cosine of the multilingual sentence vectors (name; name + the data
    sets' descriptions) plus bonuses for parameter-name words, data-set related words and Chinese
    cue words."""
    body = (text or "").strip()
    if not body:
        raise InputError(
            "text: describe the contradiction, e.g. 提高强度但重量增加",
            errors=[{"field": "text", "message": "empty"}],
        )
    if len(body) > 5000:
        raise InputError("text: at most 5000 characters", errors=[{"field": "text", "message": "too long"}])
    imp, wor, cue = split_contradiction(body)
    pvecs = _param_vectors(data, embed, encoder_key)
    qv = embed([imp, wor])
    improving = _rank(data, imp, qv[0], pvecs, top)
    worsening = _rank(data, wor, qv[1], pvecs, top)
    pair = next(((a["id"], b["id"]) for a in improving for b in worsening if a["id"] != b["id"]), None)
    return {
        "text": body,
        "improving_text": imp,
        "worsening_text": wor,
        "contrast": cue,
        "note": None if cue else "no contrast word found: the whole text was matched for both sides",
        "improving": improving,
        "worsening": worsening,
        "pair": {"improving": pair[0], "worsening": pair[1]} if pair else None,
    }


# ---- example patents ----------------------------------------------------------------------------
_TOKEN = re.compile(r"[\w\u4e00-\u9fff]+")


def example_query(q: Principle, problem: str | None = None) -> str:
    """The principle's ideas as alternatives and, when given, the user's problem words as
    alternatives too: a document needs one idea of the principle and one word of the problem
    (two OR groups joined), and ranks by how strongly it has them."""
    stop = {"and", "or", "not", "to", "of", "the", "a", "an", "in", "on", "for", "with"}

    def group(text: str) -> str:
        words = list(dict.fromkeys(w.lower() for w in _TOKEN.findall(text) if w.lower() not in stop))
        return "(" + " OR ".join(words) + ")" if len(words) > 1 else (words[0] if words else "")

    return " ".join(g for g in (group(" ".join([q.name, *q.keywords[:6]])), group(problem or "")) if g)


def _plain(passage: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", passage))


def principle_text(q: Principle) -> str:
    """What the principle means: its name and the data sets' explanations (the longest first)."""
    descs = sorted(q.descriptions.values(), key=len, reverse=True)
    return f"{q.name}: " + (descs[0] if descs else " ".join(q.keywords[:6]))


POOL = 15  # candidates per search before the meaning check (each one costs an e5 passage on first sight)
_CHANGE = re.compile(
    r"增加|增大|提高|提升|降低|下降|减少|减小|变得|变|导致|造成|使得|但是|但|却|而且|而|同时|太|过|更|很|会|了|"
    r"\b(?:increas\w*|decreas\w*|reduc\w*|improv\w*|rais\w*|lower\w*|higher|more|less|but|while|whereas|"
    r"yet|however|too|gets?|becom\w*|causes?|leads? to|worse|better|stronger|heavier|lighter|faster|slower)\b",
    re.IGNORECASE,
)


def topic_of(problem: str) -> str:
    """The problem's topic: its words without the words of change and contrast ("无人机电池容量增加但重量
    增加" → "无人机电池容量 重量"), so that a patent about "increasing" something else is not on topic."""
    return re.sub(r"\s+", " ", _CHANGE.sub(" ", problem)).strip(" ,，。.;；") or problem


MIN_TOPIC = 0.80  # e5 cosine of a candidate's invention passage with the user's problem
TOPIC_MARGIN = 0.04  # … and within this of the closest candidate (e5 cosines crowd in 0.75-0.90)
Meaning = Callable[
    [list[str], list[str]], np.ndarray
]  # (queries, candidate ids) → cosines [query, candidate]


def examples(
    search: Callable[..., Any],
    q: Principle,
    problem: str | None = None,
    top: int = 5,
    meaning: Meaning | None = None,
) -> dict[str, Any]:
    """Example patents for one principle *and* the user's problem: the store is searched with the
    problem plus the principle's meaning, and with the problem alone; each candidate's invention
    passage is compared by meaning (e5) with the problem (is it on the user's topic?) and with the
    principle's explanation (does it use the principle?); candidates under :data:`MIN_TOPIC`, or
    more than :data:`TOPIC_MARGIN` below the closest candidate, are dropped and the rest ranked by
    2 × topic + principle similarity. Without a problem, the principle's meaning alone; without
    the encoder, the keyword query of :func:`example_query`."""
    ptext = principle_text(q)
    if meaning is None:
        query = example_query(q, problem)
        hits = list(search(query, top=top).hits)
        scored: list[tuple[Any, float, float | None, float | None]] = [
            (h, float(h.score), None, None) for h in hits
        ]
    else:
        topic = topic_of(problem) if problem else None
        query = f"{topic} {ptext}" if topic else ptext
        seen: dict[str, Any] = {}
        for text in [query, topic] if topic else [query]:
            for h in search(text, top=POOL).hits:
                seen.setdefault(h.id, h)
        ids = list(seen)
        sims = meaning([topic or ptext, ptext], ids) if ids else np.zeros((2, 0))
        scored = []
        best = float(sims[0].max()) if ids else 0.0
        for k, i in enumerate(ids):
            on, use = float(sims[0, k]), float(sims[1, k])
            if problem and (on < MIN_TOPIC or on < best - TOPIC_MARGIN):
                continue
            scored.append((seen[i], 2 * on + use, on, use))
        scored.sort(key=lambda x: -x[1])
        scored = scored[:top]
    out = []
    for h, score, topic_sim, use_sim in scored:
        passage = h.highlights[0] if h.highlights else None
        out.append(
            {
                "id": h.id,
                "number": h.pubno or h.id,
                "title": h.title,
                "date": h.date,
                "score": round(score, 4),
                "topic_similarity": None if topic_sim is None else round(topic_sim, 3),
                "principle_similarity": None if use_sim is None else round(use_sim, 3),
                "where": passage.where if passage else None,
                "passage_html": passage.text if passage else "",
                "passage": _plain(passage.text) if passage else "",
            }
        )
    return {"principle": q.id, "query": query, "patents": out}
