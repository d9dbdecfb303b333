"""The patentability report as Markdown or HTML, in English or Chinese."""

from __future__ import annotations

import re
from typing import Any

from ipai.report import html
from ipai.text.labels import lang_name, where_label

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Patentability search report",
        "input": "Assessed text",
        "source.claims": "first independent claim",
        "source.claim": "claim",
        "source.disclosure": "key sentences of the disclosure",
        "classes": "Suggested classes",
        "no_classes": "no classification model trained yet (ipai classify train)",
        "query": "Search query used (editable)",
        "features": "Technical features",
        "prior_art": "Prior art",
        "category": "Cat.",
        "document": "Document",
        "covered": "Features disclosed",
        "coverage": "Mean support",
        "matrix": "Feature × document matrix",
        "evidence": "Evidence",
        "combinations": "Y combinations",
        "motivation": "Motivation to combine",
        "distinguishing": "Features no document discloses (what to claim)",
        "none": "none",
        "indicators": "Indicators",
        "novelty": "Novelty",
        "inventive_step": "Inventive step",
        "legend": "X: one document discloses every feature; Y: two documents together do; A: background. "
        "Support ≥ {covered} counts as disclosed, ≥ {partial} as partly.",
        "timing": "Report built in {ms} ms",
        "best_support": "best support",
        "where": "where",
        "kind.preamble": "preamble",
        "kind.element": "element",
        "kind.characterising": "characterising",
        "kind.sentence": "sentence",
        "colon": ": ",
        "sep": "; ",
        "comma": ", ",
    },
    "zh": {
        "title": "专利性检索报告",
        "input": "被评估文本",
        "source.claims": "第一项独立权利要求",
        "source.claim": "权利要求",
        "source.disclosure": "交底书关键语句",
        "classes": "建议分类号",
        "no_classes": "尚未训练分类模型（ipai classify train）",
        "query": "所用检索式（可修改）",
        "features": "技术特征",
        "prior_art": "现有技术文献",
        "category": "类别",
        "document": "文献",
        "covered": "公开的特征",
        "coverage": "平均支持度",
        "matrix": "特征 × 文献对照表",
        "evidence": "证据",
        "combinations": "Y 类组合",
        "motivation": "结合启示",
        "distinguishing": "未被任何文献公开的特征（可作为区别技术特征）",
        "none": "无",
        "indicators": "结论参考",
        "novelty": "新颖性",
        "inventive_step": "创造性",
        "legend": "X：单篇文献公开全部特征；Y：两篇文献结合公开全部特征；A：背景技术。"
        "支持度 ≥ {covered} 视为公开，≥ {partial} 视为部分公开。",
        "timing": "报告生成用时 {ms} 毫秒",
        "best_support": "最高支持度",
        "where": "位置",
        "kind.preamble": "前序部分",
        "kind.element": "技术特征",
        "kind.characterising": "特征部分",
        "kind.sentence": "语句",
        "colon": "：",
        "sep": "；",
        "comma": "，",
    },
}


def localized(r: dict[str, Any], lang: str) -> dict[str, Any]:
    """The report with its reasons and levels written in ``lang`` (from the structured facts and
    level codes kept beside them); ``reasons_html`` mark the quoted words as source text."""
    from ipai.assess.messages import level_text, render, render_html

    out = dict(r)
    ind = dict(r["indicators"])
    for key in ("novelty", "inventive_step"):
        if ind.get(key, {}).get("facts"):
            facts = ind[key]["facts"]
            ind[key] = {
                **ind[key],
                "reasons": [render(f, lang) for f in facts],
                "reasons_html": [render_html(f, lang) for f in facts],
            }
        if ind.get(key, {}).get("level"):
            ind[key] = {**ind[key], "level_text": level_text(key, ind[key]["level"], lang)}
    ind["note"] = render({"code": "note"}, lang)
    out["indicators"] = ind
    out["combinations"] = [
        {
            **y,
            "motivation": {
                **y["motivation"],
                "reasons": [render(f, lang) for f in y["motivation"].get("facts", [])]
                or y["motivation"]["reasons"],
                "reasons_html": [render_html(f, lang) for f in y["motivation"].get("facts", [])],
            },
        }
        for y in r.get("combinations", [])
    ]
    sem = r.get("semantic") or {}
    if sem and not sem.get("available"):
        out["semantic"] = {**sem, "note": render({"code": "semantic_off"}, lang)}
    return out


def labels(lang: str) -> dict[str, str]:
    """Report labels in ``lang`` (English for anything but ``zh``)."""
    return LABELS["zh" if lang == "zh" else "en"]


def _plain(html_text: str) -> str:
    return (
        re.sub(r"</?mark>", "**", html_text)
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
        .replace("&quot;", '"')
        .replace("&#x27;", "'")
    )


def to_markdown(r: dict[str, Any], lang: str = "en") -> str:
    """The report as Markdown (matched words in bold)."""
    r = localized(r, lang)
    L = labels(lang)
    src = f"{L['source.' + r['input']['source']]}{L['comma']}{lang_name(r['input']['lang'], lang)}"
    out = [
        f"# {L['title']}",
        "",
        f"**{L['input']}** ({src}){L['colon'].strip()}",
        "",
        "> " + r["input"]["assessed_text"][:1500].replace("\n", " "),
        "",
    ]
    out.append(f"## {L['indicators']}")
    for key in ("novelty", "inventive_step"):
        ind = r["indicators"][key]
        out.append(f"- **{L[key]}{L['colon']}{ind['level_text']}** — " + L["sep"].join(ind["reasons"]))
    if (r.get("semantic") or {}).get("note"):
        out.append(f"- _{r['semantic']['note']}_")
    out += ["", f"## {L['classes']}"]
    out.append(
        ", ".join(f"{c['code']} ({c.get('confidence', 0):.2f})" for c in r["classes"])
        if r["classes"]
        else L["no_classes"]
    )
    out += ["", f"## {L['query']}", "", "```", r["query"], "```", "", f"## {L['features']}", ""]
    out += [f"- **{f['id']}** ({L.get('kind.' + f['kind'], f['kind'])}): {f['text']}" for f in r["features"]]
    fids = [f["id"] for f in r["features"]]
    out += [
        "",
        f"## {L['prior_art']}",
        "",
        L["legend"].format(**r["thresholds"]),
        "",
        f"| {L['category']} | {L['document']} | " + " | ".join(fids) + " |",
        "|---|---|" + "---|" * len(fids),
    ]
    for d in r["prior_art"]:
        cells = " | ".join(
            f"{s['score']:.2f}" + (" ✓" if s["score"] >= r["thresholds"]["covered"] else "")
            for s in d["supports"]
        )
        out.append(f"| {d['category']} | {d['pubno']} {d['title'][:60]} | {cells} |")
    out += ["", f"## {L['evidence']}"]
    for d in r["prior_art"]:
        out += ["", f"### {d['category']} — {d['pubno']}: {d['title']}", ""]
        for s in d["supports"]:
            if s["score"] >= r["thresholds"]["partial"]:
                out.append(
                    f"- **{s['feature']}** {s['score']:.2f} ({where_label(s['where'], lang)}): "
                    f"{_plain(s['text'])}"
                )
    out += ["", f"## {L['combinations']}", ""]
    if r["combinations"]:
        for y in r["combinations"]:
            out.append(
                f"- {' + '.join(y['documents'])}{L['colon']}{L['motivation']}{L['colon']}"
                + L["sep"].join(y["motivation"]["reasons"])
            )
    else:
        out.append(L["none"])
    out += ["", f"## {L['distinguishing']}", ""]
    out += [
        f"- **{x['feature']}** {x['text']} ({L['best_support']} {x['best_support']:.2f})"
        for x in r["distinguishing"]
    ] or [L["none"]]
    out += ["", "_" + L["timing"].format(ms=r["timing_ms"]["total"]) + "_", ""]
    return "\n".join(out)


def to_html_fragment(r: dict[str, Any], lang: str = "en", doc_url: Any = None) -> str:
    """The report body (for embedding in the web UI); ``doc_url(id)`` links documents (default:
    anchors to their evidence within the report)."""
    link = doc_url or (lambda i: f"#{i}")
    r = localized(r, lang)
    return (
        html.env()
        .get_template("assess_body.html")
        .render(
            r=r,
            L=labels(lang),
            doc_url=link,
            lang=lang,
            input_lang=lang_name(r["input"]["lang"], lang),
            where=lambda w: where_label(w, lang),
        )
    )


def to_html(r: dict[str, Any], lang: str = "en") -> str:
    """A standalone HTML page (inline styles, no external resources)."""
    return (
        html.env()
        .get_template("assess_page.html")
        .render(r=r, L=labels(lang), lang=lang, body=to_html_fragment(r, lang))
    )
