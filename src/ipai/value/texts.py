"""What the valuation writes, in English and Chinese.

The model and the screening keep each explanation as a fact (``{"code": …, values}``): an
indicator's raw value and percentile, a note on how a value was obtained, the reason a document
was pooled or excluded. :func:`say` writes one in the reader's language; a value that is itself
a text in both languages (a legal status, its reason) is given as ``{"en": …, "zh": …}``.
"""

from __future__ import annotations

from typing import Any

from ipai.text.bilingual import pick
from ipai.text.bilingual import ui_lang as ui

TEXTS: dict[str, dict[str, str]] = {
    # indicators (ipai.value.model)
    "forward_citations": {
        "en": "cited by {raw} later patents: more than {pct} of {cohort} (age-normalised)",
        "zh": "被 {raw} 件在后专利引用：高于{cohort}中 {pct} 的文献（按申请年份归一化）",
    },
    "family_size": {
        "en": "family of {raw} publications: larger than {pct} of the reference set",
        "zh": "同族 {raw} 件公开：大于参照集中 {pct} 的文献",
    },
    "jurisdictions": {
        "en": "protected or filed in {raw} jurisdiction(s): more than {pct} of the reference set",
        "zh": "在 {raw} 个国家/地区申请或受保护：多于参照集中 {pct} 的文献",
    },
    "claim_count": {
        "en": "{raw} claims ({independent} independent): more than {pct} of documents with claims",
        "zh": "权利要求 {raw} 项（独立权利要求 {independent} 项）：多于 {pct} 的有权利要求的文献",
    },
    "claim_breadth_words": {
        "en": "shortest independent claim has {raw:.0f} words: shorter (broader) than {pct} of {lang} claims",
        "zh": "最短独立权利要求 {raw:.0f} 词：短于（保护范围宽于）{pct} 的{lang}权利要求",
    },
    "cpc_breadth": {
        "en": "spans {raw} IPC/CPC subclass(es): broader than {pct} of the reference set",
        "zh": "涉及 {raw} 个 IPC/CPC 小类：技术覆盖面宽于参照集中 {pct} 的文献",
    },
    "remaining_term": {
        "en": "{raw:.1f} years of term left ({pct} of a full term)",
        "zh": "剩余保护期 {raw:.1f} 年（为完整保护期的 {pct}）",
    },
    "remaining_term_none": {
        "en": "{raw:.1f} years of term left (expired)",
        "zh": "剩余保护期 {raw:.1f} 年（已届满）",
    },
    "legal_status": {"en": "{status}{note}", "zh": "{status}{note}"},
    "grant_lag": {
        "en": "granted {raw:.1f} years after filing: longer than {pct} of granted documents",
        "zh": "申请后 {raw:.1f} 年授权：审查周期长于 {pct} 的已授权文献",
    },
    "applicant_type": {
        "en": "owner is {article} {owner_type}{owner}",
        "zh": "权利人类型：{owner_type}{owner}",
    },
    "inventors": {
        "en": "{raw} inventor(s): a larger team than {pct} of the reference set",
        "zh": "发明人 {raw} 名：团队规模大于参照集中 {pct} 的文献",
    },
    "unknown_indicator": {
        "en": "{label}: not known from the stored data ({note}); left out, the others re-weighted",
        "zh": "{label}：库中数据无法得出（{note}）；不计入，其余指标重新加权",
    },
    "missing_note": {
        "en": "{n} indicator(s) missing ({labels}): the score rests on {coverage}% of the weight",
        "zh": "缺少 {n} 项指标（{labels}）：评分仅基于 {coverage}% 的权重",
    },
    # citation cohorts
    "cohort": {"en": "{country} filings of {year}", "zh": "{year} 年 {country} 申请"},
    "cohort_year": {"en": "filings of {year} (all countries)", "zh": "{year} 年全部国家的申请"},
    "cohort_rate": {"en": "all documents, per year since filing", "zh": "全部文献（按申请后每年被引数）"},
    # notes on how a value was obtained (ipai.value.indicators)
    "n_field_missing": {"en": "field missing", "zh": "缺少该字段"},
    "n_family_listed": {"en": "counted from the listed family members", "zh": "按列出的同族成员计数"},
    "n_one_claim": {
        "en": "only one claim stored (the source carries claim 1 only): count not known",
        "zh": "库中只有一项权利要求（来源仅提供权利要求 1）：项数未知",
    },
    "n_term_priority": {
        "en": "filing date estimated from the priority date (12 months after it)",
        "zh": "申请日按优先权日推算（其后 12 个月）",
    },
    "n_term_publication": {
        "en": "filing date estimated from the publication date",
        "zh": "申请日按公开日推算",
    },
    "n_no_term": {"en": "no term left: the right is {status}", "zh": "无剩余保护期：该权利已{status}"},
    "n_lapsed_states": {"en": "lapsed in {n} designated state(s)", "zh": "在 {n} 个指定国失效"},
    "n_status_reason": {"en": "{reason}", "zh": "{reason}"},
    # screening (ipai.value.screen)
    "pool_head": {
        "en": "rank {rank} in the portfolio of {n} (value score {score:.0f}, above {pct}% of the portfolio)",
        "zh": "在 {n} 件组合中排名第 {rank}（价值评分 {score:.0f}，高于组合中 {pct}% 的专利）",
    },
    "pool_term": {"en": "{years:.1f} years of term left", "zh": "剩余保护期 {years:.1f} 年"},
    "pool_pending": {
        "en": "still an application: transferable as a pending right, value depends on grant",
        "zh": "仍为专利申请：可作为在审权利转让，价值取决于能否授权",
    },
    "owner.university": {
        "en": "university-owned: a candidate for licensing or assignment through the tech-transfer office",
        "zh": "高校所有：可通过技术转移机构许可或转让",
    },
    "owner.institute": {
        "en": "research-institute-owned: a candidate for licensing or assignment to industry",
        "zh": "科研院所所有：可许可或转让给企业",
    },
    "owner.government": {
        "en": "government-owned: a candidate for licensing under public-funding rules",
        "zh": "政府所有：可按财政资助成果的规定许可实施",
    },
    "owner.company": {
        "en": "company-owned: a candidate for licensing-out, pledge financing or sale if not core",
        "zh": "企业所有：非核心专利可对外许可、质押融资或转让",
    },
    "owner.individual": {
        "en": "individually owned: a candidate for sale or exclusive licensing",
        "zh": "个人所有：可转让或独占许可",
    },
    "owner.unknown": {"en": "owner type not recognised from the name", "zh": "无法从名称判断权利人类型"},
    "ex_dead": {"en": "right ended: {status}", "zh": "权利已终止：{status}"},
    "ex_term": {"en": "less than {years:g} years of term left", "zh": "剩余保护期不足 {years:g} 年"},
    "ex_data": {
        "en": "too little data (under {pct:.0f}% of the indicator weight)",
        "zh": "数据不足（不到指标权重的 {pct:.0f}%）",
    },
    "ex_rank": {
        "en": "outside the best {pct:.0f}% of the eligible documents",
        "zh": "未进入符合条件专利的前 {pct:.0f}%",
    },
}
LABELS: dict[str, tuple[str, str]] = {  # indicator: (English, Chinese)
    "forward_citations": ("forward citations", "被引次数"),
    "family_size": ("family size", "同族规模"),
    "jurisdictions": ("jurisdictions", "布局国家/地区"),
    "claim_count": ("claim count", "权利要求项数"),
    "claim_breadth_words": ("claim breadth", "权利要求保护范围"),
    "cpc_breadth": ("technology breadth", "技术覆盖面"),
    "remaining_term": ("remaining term", "剩余保护期"),
    "legal_status": ("legal status", "法律状态"),
    "grant_lag": ("grant lag", "授权周期"),
    "applicant_type": ("applicant type", "权利人类型"),
    "inventors": ("inventor team", "发明人团队"),
}
OWNER_TYPES = {
    "university": ("university", "高校"),
    "institute": ("institute", "科研院所"),
    "government": ("government", "政府机构"),
    "company": ("company", "企业"),
    "individual": ("individual", "个人"),
    "unknown": ("unknown", "未知"),
}
DEAD = {
    "expired": ("term has ended", "保护期届满"),
    "lapsed": ("lapsed", "失效"),
    "withdrawn": ("withdrawn", "撤回"),
    "refused": ("refused", "驳回"),
    "revoked": ("revoked or invalidated", "被宣告无效或撤销"),
}


def _value(v: Any, lang: str) -> Any:
    """A value in ``lang``: a ``{"en", "zh"}`` text picks its language, a fact is written out."""
    if isinstance(v, dict) and "code" in v:
        return say(v, lang)
    if isinstance(v, dict) and set(v) <= {"en", "zh"}:
        return v.get(lang) or v.get("en") or ""
    return v


def say(fact: dict[str, Any], lang: str | None = "en") -> str:
    """A fact as a sentence in ``lang``."""
    lg = ui(lang)
    values = {k: _value(v, lg) for k, v in fact.items() if k != "code"}
    return pick(TEXTS, fact["code"], lg, **values)


def label(name: str, lang: str | None = "en") -> str:
    """An indicator's name in ``lang``."""
    return LABELS.get(name, (name, name))[ui(lang) == "zh"]


def both(en: str, zh: str) -> dict[str, str]:
    """A value written in both languages."""
    return {"en": en, "zh": zh}
