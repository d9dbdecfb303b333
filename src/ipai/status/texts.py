"""Every word the legal status shows, in Chinese and English: status labels, event effects,
reasons and notes (templates with ``str.format`` placeholders, the same in both languages)."""

from __future__ import annotations

from typing import Any

from ipai.text.bilingual import pick

LANGS = ("en", "zh")

LABELS: dict[str, dict[str, str]] = {
    "pending": {"en": "Pending", "zh": "审中"},
    "granted": {"en": "Granted", "zh": "已授权"},
    "in_force": {"en": "In force", "zh": "有效"},
    "lapsed": {"en": "Lapsed", "zh": "失效"},
    "expired": {"en": "Expired", "zh": "届满"},
    "withdrawn": {"en": "Withdrawn", "zh": "撤回"},
    "refused": {"en": "Refused", "zh": "驳回"},
    "revoked": {"en": "Revoked / invalidated", "zh": "无效"},
}

GROUPS: dict[str, dict[str, str]] = {
    "alive": {"en": "Alive (pending, granted or in force)", "zh": "未失效（审中、已授权、有效）"},
    "dead": {
        "en": "Ended (lapsed, expired, withdrawn, refused, revoked)",
        "zh": "已失效（失效、届满、撤回、驳回、无效）",
    },
}

BASIS: dict[str, dict[str, str]] = {
    "events": {"en": "from legal events", "zh": "依据法律事件"},
    "kind-code": {
        "en": "from the kind code only (no legal events)",
        "zh": "仅依据文献种类代码（无法律事件）",
    },
}

EFFECTS: dict[str, dict[str, str]] = {
    "procedure": {"en": "application under examination", "zh": "申请审查程序中"},
    "grant": {"en": "granted", "zh": "授权"},
    "withdrawn": {"en": "application withdrawn or deemed withdrawn", "zh": "申请撤回或视为撤回"},
    "withdrawn-issue": {"en": "withdrawn before issue", "zh": "授权公告前撤回"},
    "refused": {"en": "application refused", "zh": "申请被驳回"},
    "lapsed": {
        "en": "the right ceased (fees not paid, surrendered or abandoned)",
        "zh": "专利权终止（未缴年费、放弃等）",
    },
    "expired": {"en": "the term ended", "zh": "保护期限届满"},
    "revoked": {"en": "revoked or invalidated", "zh": "被宣告无效或撤销"},
    "partial": {"en": "revoked or invalidated in part", "zh": "部分无效"},
    "revived": {"en": "rights re-established", "zh": "权利恢复"},
    "maintained": {"en": "renewal fee paid", "zh": "已缴年费"},
    "state-valid": {"en": "in force in a designated state", "zh": "在指定国生效"},
    "state-lapsed": {"en": "lapsed in a designated state", "zh": "在指定国失效"},
    "review": {"en": "opposition, invalidation or review requested", "zh": "已提出异议、无效宣告或复审请求"},
    "review-ok": {"en": "maintained after opposition or review", "zh": "异议或复审后维持"},
    "extension": {"en": "term extension or supplementary protection", "zh": "期限延长或补充保护"},
    "neutral": {"en": "no effect on the status", "zh": "不影响法律状态"},
}

REASONS: dict[str, dict[str, str]] = {
    "event": {"en": "{effect}: event {code} of {date}{desc}", "zh": "{effect}：{date}的法律事件{code}{desc}"},
    "all-states-lapsed": {
        "en": "lapsed in every designated state ({n}), the last in {state} on {date}",
        "zh": "已在全部{n}个指定国失效，最后于{date}在{state}失效",
    },
    "some-states": {
        "en": "in force in {alive} ({n_alive} state(s)); lapsed in {n_lapsed}",
        "zh": "在{alive}（{n_alive}个国家）有效；{n_lapsed}个指定国已失效",
    },
    "term-ended": {
        "en": "the term ended on {expiry} ({years} years from the {start} date {start_date})",
        "zh": "保护期限已于{expiry}届满（自{start}{start_date}起{years}年）",
    },
    "kind-granted": {
        "en": "granted publication (kind code {kind}); no legal events, so whether it is "
        "still maintained is not known",
        "zh": "授权公告文献（种类代码{kind}）；无法律事件，是否仍在维持未知",
    },
    "kind-application": {
        "en": "application publication (kind code {kind}); no legal events",
        "zh": "申请公布文献（种类代码{kind}）；无法律事件",
    },
    "pct-phase": {
        "en": "international application: national/regional phase can be entered until {date}",
        "zh": "PCT国际申请：可于{date}前进入国家/地区阶段",
    },
    "pct-ended": {
        "en": "international application: the national phase deadline (30 months from "
        "priority) passed on {date}; rights are those of its national members",
        "zh": "PCT国际申请：进入国家阶段期限（自优先权日起30个月）已于{date}届满，权利以各国同族为准",
    },
    "member": {
        "en": "{reason} (from {member}, the grant of the same application)",
        "zh": "{reason}（依据同一申请的授权文献{member}）",
    },
}

START = {"filing": {"en": "filing", "zh": "申请日"}, "grant": {"en": "grant", "zh": "授权日"}}

NOTES: dict[str, dict[str, str]] = {
    "review": {
        "en": "an opposition, invalidation or review is pending",
        "zh": "异议、无效宣告或复审程序未决",
    },
    "partial": {"en": "revoked or invalidated in part", "zh": "已被部分无效"},
    "extension": {
        "en": "a term extension or supplementary protection is recorded: protection may last "
        "beyond the expiry shown",
        "zh": "记录有期限延长或补充保护：保护可能长于所示届满日",
    },
    "estimated-priority": {
        "en": "no filing date stored: expiry counted from 12 months after the priority date",
        "zh": "无申请日：届满日自优先权日后12个月起算",
    },
    "estimated-publication": {
        "en": "no filing or priority date stored: expiry counted from the publication date",
        "zh": "无申请日和优先权日：届满日自公布日起算",
    },
    "extension-days": {
        "en": "includes {days} days of patent term adjustment",
        "zh": "含{days}天专利期限调整",
    },
}


def text(table: dict[str, dict[str, str]], key: str, lang: str, **values: Any) -> str:
    """One entry of a table in ``lang`` (English for any other language), filled with ``values``."""
    return pick(table, key, lang, **values)
