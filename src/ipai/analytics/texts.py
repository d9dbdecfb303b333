"""What the landscape, company and industry analyses write, in English and Chinese.

The analyses keep their explanations as codes and values (a forecast's ``facts``, a white-space
cell's ``facts``, an indicator's name); the reports and pages write them here in the reader's
language, so a Chinese report never shows "growth ×2.14" or a method's English name.
"""

from __future__ import annotations

from typing import Any

from ipai.text.bilingual import pick
from ipai.text.bilingual import ui_lang as ui

TEXTS: dict[str, dict[str, str]] = {
    # forecasts (ipai.analytics.trends.forecast)
    "fc_short": {
        "en": "backtest not run: {years} years of history, {needed} needed; naive forecast with a wide interval",
        "zh": "历史数据仅 {years} 年（回测至少需要 {needed} 年），未做回测；采用朴素预测，预测区间较宽",
    },
    "fc_constant": {
        "en": "constant series: the last value is the forecast",
        "zh": "历年数值不变：以最近一年的数值作为预测值",
    },
    "fc_lowest_smape": {
        "en": "lowest backtest sMAPE ({smape} vs {others})",
        "zh": "回测误差最小（对称平均绝对百分比误差 sMAPE 为 {smape}，其他方法：{others}）",
    },
    "method.naive": {"en": "naive", "zh": "朴素预测"},
    "method.linear": {"en": "linear", "zh": "线性趋势"},
    "method.damped": {"en": "damped", "zh": "阻尼趋势"},
    # white space (ipai.analytics.whitespace)
    "ws_growth": {"en": "growth ×{growth}", "zh": "增长 {growth} 倍"},
    "ws_citations": {
        "en": "{value} citations per document (median {median})",
        "zh": "篇均被引 {value} 次（中位数 {median}）",
    },
    "ws_few_documents": {"en": "only {n} documents", "zh": "仅 {n} 件文献"},
    "ws_few_applicants": {"en": "only {n} applicants", "zh": "仅 {n} 个申请人"},
    "country_unknown": {"en": "unknown", "zh": "未知"},
    # evolution and topics (ipai.service.analytics)
    "evo_main_path": {"en": "citation main path (SPC)", "zh": "引证主路径（搜索路径数 SPC）"},
    "evo_timeline": {
        "en": "topic timeline (too few citations inside the set: {n})",
        "zh": "主题时间线（集合内部引证过少：{n} 条）",
    },
    "topics_method": {
        "en": "k-means on semantic vectors; labels by class-based TF-IDF; 2-D PCA",
        "zh": "按语义向量做 K 均值聚类；主题词按类别 TF-IDF 选取；二维主成分分析（PCA）定位",
    },
    "topics_few": {"en": "too few documents for a topic map", "zh": "文献过少，无法生成主题地图"},
    # company strength (ipai.analytics.company)
    "ind.volume": {"en": "volume", "zh": "申请规模"},
    "ind.momentum": {"en": "momentum", "zh": "增长势头"},
    "ind.impact": {"en": "impact", "zh": "被引影响力"},
    "ind.reach": {"en": "reach", "zh": "地域布局"},
    "ind.breadth": {"en": "breadth", "zh": "技术广度"},
    "percentile": {"en": "percentile", "zh": "百分位"},
    "strength_method": {
        "en": "mean of percentiles among peers of: {indicators}",
        "zh": "各项指标在同领域申请人中百分位的平均值：{indicators}",
    },
    # talent weights (ipai.analytics.talent)
    "w.relevance": {"en": "relevance", "zh": "相关度"},
    "w.recency": {"en": "recency", "zh": "近期活跃度"},
    "w.impact": {"en": "impact", "zh": "影响力"},
    "log": {"en": "log", "zh": "对数"},
}


def say(code: str, lang: str | None = "en", default: str | None = None, **values: Any) -> str:
    """The text of ``code`` in ``lang`` with its values (``default`` — else the code — when unknown)."""
    return pick(TEXTS, code, lang, default, **values)


def fact(f: dict[str, Any], lang: str | None = "en") -> str:
    """One structured explanation (``{"code": …, values}``) as a sentence in ``lang``."""
    values = {k: v for k, v in f.items() if k != "code"}
    if f.get("code") == "fc_lowest_smape":
        sep = "，" if ui(lang) == "zh" else ", "
        values["others"] = sep.join(
            f"{method_name(o['method'], lang)} {o['smape']}" for o in f.get("others", [])
        )
    return say(f["code"], lang, **values)


def method_name(method: str, lang: str | None = "en") -> str:
    """A forecasting method's name (``damped`` → 阻尼趋势)."""
    return say(f"method.{method}", lang, default=method)


def forecast_reason(fc: dict[str, Any], lang: str | None = "en") -> str:
    """Why the forecast uses its method, in ``lang`` (the English ``reason`` for old data)."""
    return fact(fc["facts"], lang) if fc.get("facts") else str(fc.get("reason", ""))


def cell_reasons(cell: dict[str, Any], lang: str | None = "en") -> list[str]:
    """A white-space cell's reasons in ``lang``."""
    if cell.get("facts") is None:
        return list(cell.get("reasons") or [])
    return [fact(f, lang) for f in cell["facts"]]


def indicator_name(key: str, lang: str | None = "en") -> str:
    """A company strength indicator's name (``momentum`` → 增长势头)."""
    return say(f"ind.{key}", lang, default=key)


def weights_text(weights: dict[str, float], lang: str | None = "en") -> str:
    """Talent score weights (``relevance 0.5, recency 0.3…``) in ``lang``."""
    sep = "，" if ui(lang) == "zh" else ", "
    return sep.join(f"{say('w.' + k, lang, default=k)} {v}" for k, v in sorted(weights.items()))


def evolution_method(ev: dict[str, Any], lang: str | None = "en") -> str:
    """How the technology evolution was found, in ``lang``."""
    if ev.get("main_path"):
        return say("evo_main_path", lang)
    if "citations" in ev:
        return say("evo_timeline", lang, n=ev["citations"])
    return str(ev.get("method", ""))


def topic_terms(tp: dict[str, Any], lang: str | None = "en", n: int = 4) -> tuple[list[str], bool]:
    """A topic's label words in ``lang``: its own words in that language, then dictionary
    translations of the other language's words (``service.analytics.topics`` adds them), at most ``n``;
    and whether they are in ``lang`` (False: only the other language's words were found)."""
    terms = tp.get("terms") or {}
    lg = ui(lang)
    other = "en" if lg == "zh" else "zh"
    words: list[str] = []
    for w in list(terms.get(lg) or []) + list((tp.get("translated") or {}).get(lg) or []):
        if w not in words:
            words.append(w)
    if words:
        return words[:n], True
    fallback = list(terms.get(other) or []) or [
        x for x in str(tp.get(f"label_{other}") or "").split(", ") if x
    ]
    return fallback[:n], False


def topic_label(tp: dict[str, Any], lang: str | None = "en", n: int = 4) -> str:
    """A topic's label in ``lang`` (see :func:`topic_terms`)."""
    words, _ = topic_terms(tp, lang, n)
    return ("、" if ui(lang) == "zh" else ", ").join(words)


class Texts:
    """The functions above bound to one language, for templates (``A.reason(fc)``)."""

    def __init__(self, lang: str | None) -> None:
        self.lang = ui(lang)
        self.other = "en" if self.lang == "zh" else "zh"
        self.sep = "；" if self.lang == "zh" else "; "

    def say(self, code: str, **values: Any) -> str:
        return say(code, self.lang, **values)

    def reason(self, fc: dict[str, Any]) -> str:
        return forecast_reason(fc, self.lang)

    def method(self, name: str) -> str:
        return method_name(name, self.lang)

    def reasons(self, cell: dict[str, Any]) -> str:
        return self.sep.join(cell_reasons(cell, self.lang))

    def indicator(self, key: str) -> str:
        return indicator_name(key, self.lang)

    def weights(self, weights: dict[str, float]) -> str:
        return weights_text(weights, self.lang)

    def evolution(self, ev: dict[str, Any]) -> str:
        return evolution_method(ev, self.lang)

    def topic(self, tp: dict[str, Any]) -> str:
        return topic_label(tp, self.lang)

    def topic_in_lang(self, tp: dict[str, Any]) -> bool:
        """Whether the topic's label is in the reader's language (else it is source text)."""
        return topic_terms(tp, self.lang)[1]

    def topic_original(self, tp: dict[str, Any]) -> str:
        """The topic's own words in the other language (source text)."""
        words = (tp.get("terms") or {}).get(self.other) or []
        return ("、" if self.other == "zh" else ", ").join(words[:4])

    def country(self, code: str | None) -> str:
        return code or say("country_unknown", self.lang)
