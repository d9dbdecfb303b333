"""Reasons of a proposal in the reader's language, written from its structured explanation (the
terms it shares with the demand, the translations that found it, its meaning similarity, its
classes, value and feedback; an owner's or expert's matched patents)."""

from __future__ import annotations

from typing import Any

LANGS = ("en", "zh")
MESSAGES: dict[str, tuple[str, str]] = {
    "shared": ("shared terms: {v}", "共同技术词：{v}"),
    "translated": ("found through translations: {v}", "经翻译匹配：{v}"),
    "meaning": ("meaning similarity {v}", "语义相似度 {v}"),
    "coverage": ("carries {v} of the demand's key terms", "包含需求关键技术词的 {v}"),
    "classes": ("shared classes: {v}", "相同分类：{v}"),
    "value": ("value score {v}/100", "价值评分 {v}/100"),
    "feedback": ("your feedback {v}", "反馈调整 {v}"),
    "patents": ("{n} matched patent(s): {v}", "{n} 件匹配专利：{v}"),
    "terms": ("terms: {v}", "技术词：{v}"),
    "type": ("type: {v}", "类型：{v}"),
    "affiliations": ("affiliations: {v}", "所属单位：{v}"),
    "no_good_match": (
        "no good match: the best relevance {best} is below {threshold}",
        "没有合适的匹配：最高相关度 {best} 低于 {threshold}",
    ),
    "no_terms": (
        "the demand names no technical term to match on (only everyday or boilerplate words)",
        "需求中没有可用于匹配的技术词（只有日常用语或套话）",
    ),
    "key_terms": ("key technical terms", "关键技术词"),
    "translations": ("translations searched", "检索用译词"),
    "relevance": ("relevance", "相关度"),
    "patents_title": ("patents", "匹配专利"),
    "owners_title": ("owners", "专利权人"),
    "experts_title": ("experts", "专家"),
}
OWNER_TYPES = {
    "university": "大学",
    "institute": "科研院所",
    "company": "企业",
    "government": "政府机构",
    "individual": "个人",
    "unknown": "未知",
}


def msg(key: str, lang: str = "en", **values: Any) -> str:
    """One message in ``lang`` (zh or en), filled in."""
    en, zh = MESSAGES[key]
    return (zh if lang == "zh" else en).format(**values)


def _join(items: list[str], lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(items)


def patent_reasons(ex: dict[str, Any], lang: str = "en") -> list[str]:
    """Why a patent is proposed, from its explanation."""
    out = []
    if ex.get("shared_terms"):
        out.append(msg("shared", lang, v=_join(ex["shared_terms"][:8], lang)))
    if ex.get("translated_terms"):
        out.append(msg("translated", lang, v=_join(ex["translated_terms"][:6], lang)))
    if ex.get("meaning") is not None:
        out.append(msg("meaning", lang, v=f"{ex['meaning']:.2f}"))
    if ex.get("shared_classes"):
        out.append(msg("classes", lang, v=_join(ex["shared_classes"], lang)))
    if ex.get("value") is not None:
        out.append(msg("value", lang, v=f"{ex['value']:.0f}"))
    if ex.get("feedback"):
        out.append(msg("feedback", lang, v=f"{ex['feedback']:+.2f}"))
    return out


def party_reasons(kind: str, ex: dict[str, Any], lang: str = "en") -> list[str]:
    """Why an owner or an expert is proposed, from its explanation."""
    out = [msg("patents", lang, n=len(ex.get("patents") or []), v=_join((ex.get("patents") or [])[:5], lang))]
    if ex.get("terms"):
        out.append(msg("terms", lang, v=_join(ex["terms"][:6], lang)))
    t = ex.get("type")
    if kind == "owner" and t not in (None, "unknown"):
        out.append(msg("type", lang, v=OWNER_TYPES.get(t, t) if lang == "zh" else t))
    if kind == "expert" and ex.get("affiliations"):
        out.append(msg("affiliations", lang, v="; ".join(ex["affiliations"])))
    return out


def with_reasons(item: dict[str, Any]) -> dict[str, Any]:
    """Fill ``reasons`` (English, kept with stored matches and exports) and ``reasons_zh``."""
    ex = item["explanation"]
    for lang, key in (("en", "reasons"), ("zh", "reasons_zh")):
        ex[key] = (
            patent_reasons(ex, lang) if item["kind"] == "patent" else party_reasons(item["kind"], ex, lang)
        )
    return item
