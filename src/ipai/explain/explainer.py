"""The extractive explanation of one document: problem, solution and effects quoted with their
locations; the main claim's scope as preamble + elements; what a competitor must avoid; the key
figures. Every text the explanation writes itself comes in Chinese and English
(:mod:`ipai.explain.messages`), built from the quote's role, location and language: a reader of
``--lang zh`` reads Chinese around quotes of an English patent, and is told that the quote is English;
quoted text stays in the document's language (no machine translation offline)."""

from __future__ import annotations

import re
from typing import Any

from ipai.assess.features import claim_features
from ipai.explain.messages import (
    AVOID_ITEM,
    BY_MEANING,
    LABELS,
    LANG_NAMES,
    LEADS,
    NOTES,
    SECTION_NAMES,
    SOURCE,
    WHERE,
)
from ipai.explain.roles import Similarity, find_roles
from ipai.explain.sections import _FIG, doc_lang, paragraph_sections, sentences
from ipai.model import PatentDocument

UI = ("zh", "en")
MAX_FIGURES = 8
_FIG_ANY = re.compile(r"\b(?:FIGS?\.?|Figs?\.?|Figures?|Abb\.?)\s*\d|图\s*\d", re.IGNORECASE)
_FIG_NUM = re.compile(r"(?:FIGS?\.?|Figs?\.?|Figures?|Abb\.?|Abbildung|图)\s*(\d+[A-Za-z]?)", re.IGNORECASE)


def lang_name(lang: str, ui: str) -> str:
    """A language's name in the reader's language (英文, German …)."""
    return LANG_NAMES.get(lang, {}).get(ui, lang)


def where_text(where: str, ui: str, section: str | None = None) -> str:
    """A location (``abstract``, ``claim 1``, ``description [0012]``) in the reader's language."""
    if where == "abstract":
        return WHERE["abstract"][ui]
    if where.startswith("claim "):
        return WHERE["claim"][ui].format(n=where.split()[1])
    if where.startswith("description"):
        p = where.split(None, 1)[1].lstrip("¶")
        sec = SECTION_NAMES.get(section or "", {}).get(ui)
        return (
            WHERE["paragraph_in"][ui].format(p=p, section=sec) if sec else WHERE["paragraph"][ui].format(p=p)
        )
    return where


def source_note(text_lang: str, where: str | None, ui: str, section: str | None = None) -> str:
    """ "（原文为英文，出自摘要）" / " (quoted in Chinese, from claim 1)" — in the reader's language."""
    if where is None:
        return SOURCE["other_lang_only"][ui].format(lang=lang_name(text_lang, ui)) if text_lang != ui else ""
    w = where_text(where, ui, section)
    if text_lang != ui:
        return SOURCE["other_lang"][ui].format(lang=lang_name(text_lang, ui), where=w)
    return SOURCE["same_lang"][ui].format(where=w)


def _quote(q: dict[str, Any], role: str, text_lang: str) -> dict[str, Any]:
    """A role's quote with its lead (what it is, where from, in which language) in both languages."""
    lead = {
        ui: LEADS[role][ui].format(src=source_note(text_lang, q["where"], ui, q.get("section")))
        + (BY_MEANING[ui] if q.get("by") == "meaning" else "")
        for ui in UI
    }
    return {**q, "lead": lead, "where_text": {ui: where_text(q["where"], ui, q.get("section")) for ui in UI}}


def _main_claim(doc: PatentDocument, lang: str) -> Any:
    claims = doc.claims_in(lang) or doc.claims_in()
    return next((c for c in claims if c.independent), claims[0] if claims else None)


def scope(doc: PatentDocument, lang: str) -> dict[str, Any]:
    """The first independent claim as preamble + elements, and the "avoid any one" reading."""
    claim = _main_claim(doc, lang)
    if claim is None:
        return {"claim": None, "features": [], "summary": dict(NOTES["no_claims"]), "avoid": None}
    feats = claim_features(claim.text, claim.lang)
    pre = next((f.text for f in feats if f.kind == "preamble"), "")
    elems = [f for f in feats if f.kind != "preamble"] or feats
    what = pre[:200] or claim.text[:120]
    summary = {
        ui: NOTES["scope"][ui].format(
            claim=claim.num,
            what=f"“{what}”",
            n=len(elems),
            src=source_note(claim.lang, None, ui),
            fsrc=source_note(claim.lang, None, ui),
        )
        for ui in UI
    }
    return {
        "claim": claim.num,
        "where": f"claim {claim.num}",
        "lang": claim.lang,
        "preamble": pre,
        "what": what,
        "features": [{"id": f.id, "kind": f.kind, "text": f.text} for f in elems],
        "summary": summary,
        "avoid": {
            "note": {ui: NOTES["avoid"][ui].format(claim=claim.num) for ui in UI},
            "elements": [f"{f.id}: {f.text}" for f in elems],
        },
    }


def figures(doc: PatentDocument, lang: str) -> list[dict[str, Any]]:
    """Drawing descriptions ("FIG. 1 is …", "图1为…") from the description, with their location."""
    desc = doc.description
    if not desc:
        return []
    out: list[dict[str, Any]] = []
    secs = paragraph_sections(doc)
    for i, (p, sec) in enumerate(zip(desc.paragraphs, secs, strict=False)):
        if p.heading or len(p.text) > 600 or not _FIG_ANY.search(p.text):
            continue
        if sec != "drawings" and not _FIG.match(p.text):  # a caption outside the drawings section
            continue
        where = f"description [{p.num}]" if p.num else f"description ¶{i + 1}"
        m = _FIG_NUM.search(p.text)
        fig = m.group(1) if m else ""
        lead = {ui: LEADS["figure"][ui].format(fig=fig, src=source_note(desc.lang, where, ui)) for ui in UI}
        out.append({"text": p.text.strip(), "where": where, "figure": fig, "lead": lead})
        if len(out) >= MAX_FIGURES:
            break
    return out


def explain(
    doc: PatentDocument, lang: str | None = None, *, similarity: Similarity | None = None
) -> dict[str, Any]:
    """The extractive explanation (see module doc); ``lang`` picks which language's texts are read
    when the document has several; ``similarity`` (e5) finds a problem or effect by meaning when no
    cue word does."""
    tl = doc_lang(doc, lang)
    roles = find_roles(sentences(doc, tl), lang=tl, similarity=similarity)
    figs = figures(doc, tl)
    title = doc.titles.get(tl) or doc.title
    title_lang = tl if doc.titles.get(tl) else next(iter(doc.titles), tl)
    note = {
        ui: (NOTES["lang"][ui].format(lang=lang_name(tl, ui)) if tl != ui else NOTES["lang_same"][ui])
        for ui in UI
    }
    return {
        "number": doc.id,
        "pubno": str(doc.pubno),
        "title": title,
        "text_lang": tl,
        "title_lead": {ui: LEADS["title"][ui].format(src=source_note(title_lang, None, ui)) for ui in UI},
        "languages": doc.languages,
        "labels": LABELS,
        "note": note,
        "mode": "extractive",
        "reason": None,
        "reason_text": None,
        "llm": None,
        "fluent": None,
        "problem": [_quote(c.to_json(), "problem", tl) for c in roles["problem"]],
        "solution": [_quote(c.to_json(), "solution", tl) for c in roles["solution"]],
        "effect": [_quote(c.to_json(), "effect", tl) for c in roles["effect"]],
        "no_problem": None if roles["problem"] else dict(NOTES["no_problem"]),
        "scope": scope(doc, tl),
        "figures": figs,
        "drawing_sheets": len(doc.images),
    }


def material(res: dict[str, Any]) -> list[dict[str, str]]:
    """The numbered extracted passages a fluent version may use: roles, claim features, figures."""
    out: list[dict[str, str]] = []
    for role in ("problem", "solution", "effect"):
        for q in res[role]:
            out.append({"role": role, "text": q["text"][:800], "where": q["where"]})
    sc = res["scope"]
    for f in sc.get("features", []):
        out.append({"role": "scope", "text": f["text"][:400], "where": f"{sc['where']} {f['id']}"})
    for f in res["figures"][:4]:
        out.append({"role": "figures", "text": f["text"][:300], "where": f["where"]})
    return [{"n": str(i), **m} for i, m in enumerate(out, 1)]


def plain_text(res: dict[str, Any], ui: str = "en") -> str:
    """The explanation as readable text in the reader's language ``ui`` (zh or en): labels and
    explanations in ``ui``, every quote of the document between “ ” with its language and location."""
    L = {k: v[ui] for k, v in res["labels"].items()}
    lines = [f"{res['pubno']}  {res['title_lead'][ui]}“{res['title']}”", res["note"][ui], ""]
    if res.get("fluent"):
        lines += [f"== {L['fluent']} ({res['llm']['model']}) ==", res["fluent"], ""]
    elif res.get("reason_text"):
        lines += [f"({res['reason_text'][ui]})", ""]
    for role in ("problem", "solution", "effect"):
        lines.append(f"== {L[role]} ==")
        for q in res[role]:
            lines += [f"  {q['lead'][ui]}", f"    “{q['text']}”"]
        if not res[role]:
            lines.append(
                f"  {res['no_problem'][ui]}"
                if role == "problem" and res.get("no_problem")
                else f"  ({L['none']})"
            )
    sc = res["scope"]
    lines.append(f"== {L['scope']} ==")
    lines.append("  " + sc["summary"][ui])
    lines += [f"  {f['id']}. “{f['text']}”" for f in sc["features"]]
    if sc.get("avoid"):
        lines += [f"== {L['avoid']} ==", "  " + sc["avoid"]["note"][ui]]
        lines += ["  - " + AVOID_ITEM[ui].format(id=f["id"]) for f in sc["features"]]
    lines.append(f"== {L['figures']} ==")
    for f in res["figures"]:
        lines += [f"  {f['lead'][ui]}“{f['text']}”"]
    if not res["figures"]:
        lines.append(f"  ({L['none']})")
    return "\n".join(re.sub(r"[ \t]+", " ", x) for x in lines)
