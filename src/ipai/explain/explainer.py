"""The extractive explanation of one document: problem, solution and effects quoted with their
locations; the main claim's scope as preamble + elements; what a competitor must avoid; the key
figures. Labels are given in Chinese and English; quoted text stays in the document's language."""

from __future__ import annotations

import re
from typing import Any

from ipai.assess.features import claim_features
from ipai.explain.roles import find_roles
from ipai.explain.sections import _FIG, doc_lang, paragraph_sections, sentences
from ipai.model import PatentDocument

LABELS: dict[str, dict[str, str]] = {
    "problem": {"zh": "技术问题", "en": "Technical problem"},
    "solution": {"zh": "技术方案", "en": "Solution"},
    "effect": {"zh": "技术效果", "en": "Effects"},
    "scope": {"zh": "主权利要求保护范围", "en": "Scope of the main claim"},
    "avoid": {"zh": "竞争者需要规避什么", "en": "What a competitor must avoid"},
    "figures": {"zh": "关键附图", "en": "Key figures"},
    "fluent": {"zh": "通俗解读", "en": "Plain-language explanation"},
    "none": {"zh": "文中未找到", "en": "not found in the text"},
}
NOTES = {
    "lang": {"zh": "标签为中英双语；引文保留文献原文语言（{lang}）。",
             "en": "Labels are in Chinese and English; quoted text stays in the document's language ({lang})."},
    "scope": {"zh": "{what}，同时具备以下全部 {n} 项特征：",
              "en": "{what}, having all of these {n} features:"},
    "avoid": {"zh": "权利要求 {claim} 的每一项特征都必须同时具备才构成字面侵权：产品或方法只要缺少下列任意一项，"
                    "就不落入其字面保护范围（等同侵权另行判断）。",
              "en": "Claim {claim} is infringed literally only by something that has every one of its features: "
                    "a product or method that lacks any one of the features below falls outside its literal scope "
                    "(equivalents are judged separately)."},
    "no_claims": {"zh": "文献中没有权利要求，无法给出保护范围。", "en": "The document has no claims: no scope can be given."},
}
MAX_FIGURES = 8
_FIG_ANY = re.compile(r"\b(?:FIGS?\.?|Figs?\.?|Figures?|Abb\.?)\s*\d|图\s*\d", re.IGNORECASE)


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
    summary = {k: v.format(what=what, n=len(elems)) for k, v in NOTES["scope"].items()}
    return {
        "claim": claim.num, "where": f"claim {claim.num}", "lang": claim.lang, "preamble": pre,
        "features": [{"id": f.id, "kind": f.kind, "text": f.text} for f in elems],
        "summary": summary,
        "avoid": {"note": {k: v.format(claim=claim.num) for k, v in NOTES["avoid"].items()},
                  "elements": [f"{f.id}: {f.text}" for f in elems]},
    }


def figures(doc: PatentDocument, lang: str) -> list[dict[str, str]]:
    """Drawing descriptions ("FIG. 1 is …", "图1为…") from the description, with their location."""
    desc = doc.description
    if not desc:
        return []
    out = []
    secs = paragraph_sections(doc)
    for i, (p, sec) in enumerate(zip(desc.paragraphs, secs)):
        if p.heading or len(p.text) > 600 or not _FIG_ANY.search(p.text):
            continue
        if sec != "drawings" and not _FIG.match(p.text):  # a caption outside the drawings section
            continue
        where = f"description [{p.num}]" if p.num else f"description ¶{i + 1}"
        out.append({"text": p.text.strip(), "where": where})
        if len(out) >= MAX_FIGURES:
            break
    return out


def explain(doc: PatentDocument, lang: str | None = None) -> dict[str, Any]:
    """The extractive explanation (see module doc); ``lang`` picks which language's texts are read
    when the document has several."""
    tl = doc_lang(doc, lang)
    roles = find_roles(sentences(doc, tl))
    figs = figures(doc, tl)
    title = doc.titles.get(tl) or doc.title
    return {
        "number": doc.id, "pubno": str(doc.pubno), "title": title, "text_lang": tl,
        "languages": doc.languages, "labels": LABELS,
        "note": {k: v.format(lang=tl) for k, v in NOTES["lang"].items()},
        "mode": "extractive", "reason": None, "llm": None, "fluent": None,
        "problem": [c.to_json() for c in roles["problem"]],
        "solution": [c.to_json() for c in roles["solution"]],
        "effect": [c.to_json() for c in roles["effect"]],
        "scope": scope(doc, tl),
        "figures": figs, "drawing_sheets": len(doc.images),
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
    """The explanation as readable text with labels in ``ui`` (zh or en)."""
    L = {k: v[ui] for k, v in res["labels"].items()}
    lines = [f"{res['pubno']} {res['title']}", res["note"][ui], ""]
    if res.get("fluent"):
        lines += [f"== {L['fluent']} ({res['llm']['model']}) ==", res["fluent"], ""]
    elif res.get("reason"):
        lines += [f"({res['reason']})", ""]
    for role in ("problem", "solution", "effect"):
        lines.append(f"== {L[role]} ==")
        lines += [f"  “{q['text']}” — {q['where']}" for q in res[role]] or [f"  ({L['none']})"]
    sc = res["scope"]
    lines.append(f"== {L['scope']} ==")
    lines.append("  " + sc["summary"][ui])
    lines += [f"  {f['id']}. {f['text']}" for f in sc["features"]]
    if sc.get("avoid"):
        lines += [f"== {L['avoid']} ==", "  " + sc["avoid"]["note"][ui]]
        lines += [f"  - {e}" for e in sc["avoid"]["elements"]]
    lines.append(f"== {L['figures']} ==")
    lines += [f"  {f['text']} — {f['where']}" for f in res["figures"]] or [f"  ({L['none']})"]
    return "\n".join(re.sub(r"[ \t]+", " ", x) for x in lines)
