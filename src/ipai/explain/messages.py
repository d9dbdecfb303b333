"""Every text the explanation writes itself, in Chinese and English. Quotes of the document are
never translated (no machine translation offline): these texts say what each quote is, where it
comes from and in which language it is written."""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "problem": {"zh": "技术问题", "en": "Technical problem"},
    "solution": {"zh": "技术方案", "en": "Solution"},
    "effect": {"zh": "技术效果", "en": "Effects"},
    "scope": {"zh": "主权利要求保护范围", "en": "Scope of the main claim"},
    "avoid": {"zh": "竞争者需要规避什么", "en": "What a competitor must avoid"},
    "figures": {"zh": "关键附图", "en": "Key figures"},
    "fluent": {"zh": "通俗解读", "en": "Plain-language explanation"},
    "none": {"zh": "文中未找到", "en": "not found in the text"},
    "title": {"zh": "标题", "en": "Title"},
}
LANG_NAMES: dict[str, dict[str, str]] = {
    "en": {"zh": "英文", "en": "English"},
    "zh": {"zh": "中文", "en": "Chinese"},
    "de": {"zh": "德文", "en": "German"},
    "fr": {"zh": "法文", "en": "French"},
    "ja": {"zh": "日文", "en": "Japanese"},
    "ko": {"zh": "韩文", "en": "Korean"},
}
SECTION_NAMES: dict[str, dict[str, str]] = {
    "field": {"zh": "技术领域部分", "en": "technical field"},
    "background": {"zh": "背景技术部分", "en": "background"},
    "problem": {"zh": "“要解决的技术问题”部分", "en": "'problem to be solved' part"},
    "means": {"zh": "“技术方案”部分", "en": "'solution to the problem' part"},
    "effects": {"zh": "“有益效果”部分", "en": "'advantageous effects' part"},
    "summary": {"zh": "发明内容部分", "en": "summary"},
    "early": {"zh": "说明书开头部分", "en": "opening part of the description"},
}
# what each role's quote is, said before it: {src} = "（原文为英文，出自说明书背景技术部分第[0003]段）"
LEADS: dict[str, dict[str, str]] = {
    "problem": {"zh": "本专利要解决的技术问题{src}：", "en": "The problem this patent addresses{src}:"},
    "solution": {"zh": "本专利的技术方案{src}：", "en": "The solution of this patent{src}:"},
    "effect": {"zh": "本专利声称的技术效果{src}：", "en": "The effects this patent claims{src}:"},
    "figure": {"zh": "附图{fig}{src}：", "en": "Figure {fig}{src}:"},
    "title": {"zh": "标题{src}：", "en": "Title{src}:"},
}
SOURCE = {  # {lang} is a language name, {where} a location
    "other_lang": {"zh": "（原文为{lang}，出自{where}）", "en": " (quoted in {lang}, from {where})"},
    "same_lang": {"zh": "（出自{where}）", "en": " (from {where})"},
    "other_lang_only": {"zh": "（原文为{lang}）", "en": " (quoted in {lang})"},
}
WHERE = {
    "abstract": {"zh": "摘要", "en": "the abstract"},
    "claim": {"zh": "权利要求{n}", "en": "claim {n}"},
    "paragraph": {"zh": "说明书第{p}段", "en": "description paragraph {p}"},
    "paragraph_in": {"zh": "说明书{section}第{p}段", "en": "description paragraph {p} ({section})"},
}
BY_MEANING = {
    "zh": "（未找到提示词，按语义相近选出）",
    "en": " (no cue word found; chosen by closeness in meaning)",
}
NOTES = {
    "lang": {
        "zh": "本文献以{lang}撰写。离线环境没有机器翻译：以下说明文字为中文，引号内为{lang}原文，并注明出处。",
        "en": "This document is written in {lang}. No machine translation is available offline: the explanations "
        "are in English and the quotes, in the original {lang}, give their location.",
    },
    "lang_same": {
        "zh": "以下说明文字为中文，引号内为文献原文，并注明出处。",
        "en": "The explanations are in English; the quotes are the document's own words, with their location.",
    },
    "scope": {
        "zh": "主权利要求（权利要求{claim}）保护的是{what}{src}，它同时具备以下全部 {n} 项特征{fsrc}：",
        "en": "The main claim (claim {claim}) protects {what}{src}, having all of these {n} features{fsrc}:",
    },
    "avoid": {
        "zh": "权利要求 {claim} 的每一项特征都必须同时具备才构成字面侵权：产品或方法只要缺少下列任意一项，"
        "就不落入其字面保护范围（等同侵权另行判断）。",
        "en": "Claim {claim} is infringed literally only by something that has every one of its features: "
        "a product or method that lacks any one of the features below falls outside its literal scope "
        "(equivalents are judged separately).",
    },
    "no_claims": {
        "zh": "文献中没有权利要求，无法给出保护范围。",
        "en": "The document has no claims: no scope can be given.",
    },
    "no_problem": {
        "zh": "文中没有明确陈述所要解决的技术问题。",
        "en": "The document does not state the problem it solves.",
    },
}
REASONS = {
    "no_llm": {
        "zh": "未配置大模型：显示抽取式解读。",
        "en": "no LLM configured: the extractive explanation is shown",
    },
    "biblio_only": {
        "zh": "库中只有该文献的著录项目，没有可解读的文本。",
        "en": "the store holds only bibliographic data of this document: nothing to explain",
    },
    "llm_failed": {"zh": "大模型解读未采用，显示抽取式解读（原因：{why}）。", "en": "{why}"},
}
AVOID_ITEM = {
    "zh": "缺少特征 {id} 即不构成字面侵权",
    "en": "lacking feature {id} avoids literal infringement",
}
