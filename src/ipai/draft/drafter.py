"""Drafting a patent application from a disclosure (交底书).

**Deterministic drafter** (always available): the disclosure is read clause by clause
(:mod:`ipai.draft.disclosure`: subject, components, technical features, effects, problem); the
patentability report's prior-art mapping tells which features the closest prior art does not show.
Claim 1 is written in the office's grammatical form: Chinese "1. 一种<主题>，包括：<部件>；<已知特征>；
其特征在于，<区别特征>。" (the subject in the preamble, only features after 其特征在于, an element named
before is "所述…"), English "1. A <subject> comprising: <elements>; wherein <distinguishing
feature>."; every other feature becomes a dependent claim "根据权利要求1所述的<主题>，其特征在于，…" /
"The <subject> of claim 1, wherein …". Effects never enter a claim (they go to the summary), the
problem goes to the background. The technical field of a Chinese draft is written in Chinese from
the subject (no Chinese IPC titles exist offline; an English IPC title is never used); prior-art
titles in another language are quoted as names. Title, technical field, background, summary and a
description skeleton with the disclosure as the embodiment follow the CNIPA / EPO section order.

**With an LLM** (``llm_url`` set): two roles work in turns — the *technical expert* writes the
technical content and checks the claims against the disclosure, the *patent agent* writes and
revises the claims — with the transcript kept; the claim checker runs on every version of the
claims. Any LLM failure keeps the deterministic draft and says why.
"""

from __future__ import annotations

import re
from typing import Any

from ipai.draft.disclosure import Disclosure

SECTIONS = {
    "zh": ("技术领域", "背景技术", "发明内容", "附图说明", "具体实施方式"),
    "en": (
        "Technical field",
        "Background",
        "Summary",
        "Brief description of the drawings",
        "Detailed description",
    ),
}
GENERIC_ZH = (
    "装置",
    "系统",
    "方法",
    "设备",
    "结构",
    "机构",
    "组件",
    "平台",
    "模块",
    "电路",
    "工艺",
    "材料",
    "介质",
    "终端",
)
_LATIN = re.compile(r"[A-Za-z]")
_ZH_THUS = re.compile(r"^(?:从而|进而|以便|使得|由此|因此)")


def _said(text: str, names: list[str], lang: str) -> str:
    """A feature that starts with an element already introduced refers back to it ("所述电池仓…",
    "the landing pad …"): antecedent basis."""
    t = text.strip()
    if lang == "zh":
        for n in sorted(names, key=len, reverse=True):
            core = re.sub(r"^.*的", "", n)  # "机身底部的电池仓" is introduced; "电池仓" refers to it
            if core and t.startswith(core) and not t.startswith("所述"):
                return "所述" + t
        return t
    t = t[:1].lower() + t[1:]
    for n in names:
        core = re.sub(r"^(?:an?|the)\s+", "", n.split(" with ")[0].split(" that ")[0]).strip()
        if core and re.match(r"(?:an?|the)\s+" + re.escape(core) + r"\b", t):
            return re.sub(r"^(?:an?)\s+", "the ", t)
    return t


def _en_element(text: str, subject: str) -> str:
    t = text.strip().rstrip(".;")
    t = t[:1].lower() + t[1:]
    if re.match(r"^(?:charges?|comprises?|includes?|has|is|are|lets|allows?|provides?|uses?|can|does)\b", t):
        return f"the {subject} {t}"  # a clause whose subject is the invention itself
    if not re.match(r"^(?:an?|the|said|each|at least|one or more|\d)", t):
        return "a " + t if not t.startswith(("after", "when", "if", "during", "before")) else t
    return t


def field_zh(subject: str) -> str:
    """The technical field of a Chinese draft, written from the subject in Chinese (no Chinese IPC
    titles are available offline): its leading words without the generic head noun."""
    from ipai.text.chinese import segment

    words = [w for w in segment(subject) if w.strip()]
    while len(words) > 1 and (words[-1] in GENERIC_ZH or len(words[-1]) == 1):
        words.pop()
    head = words[0] if len(words) > 1 and len(words[0]) >= 2 else "".join(words)
    return head or subject


def deterministic_draft(
    disclosure: str, dis: Disclosure, distinguishing: list[int], prior_art: list[dict[str, Any]], lang: str
) -> dict[str, Any]:
    """The template draft (see module doc): ``dis`` the disclosure's parts, ``distinguishing``
    the indices of ``dis.features`` the closest prior art does not show."""
    zh = lang == "zh"
    subject = dis.subject
    feats = list(dis.features)
    dist = [feats[i] for i in distinguishing if i < len(feats)]
    known = [f for f in feats if f not in dist]
    if not dist and feats:
        dist = [feats[-1]]
        known = feats[:-1]
    char, rest = dist[:1], known[len(known) :] + dist[1:]
    # claim 1 stays broad: the named components (without them, the first two shared features) in the
    # preamble, the distinguishing feature after 其特征在于 / wherein, every other feature a dependent
    # claim, however many of them the prior art shows
    body_known = [] if dis.components else known[:2]
    rest = [f for f in feats if f not in body_known and f not in char]
    names = list(dis.components)
    if zh:
        elements = dis.components + [_said(f, names, lang) for f in body_known]
        body = "包括：" + "；".join(elements) + "；" if elements else ""
        chars = "；".join(_said(f, names, lang) for f in char)
        claims = [
            f"1. 一种{subject}，{body}其特征在于，{chars}。"
            if chars
            else f"1. 一种{subject}，{body.rstrip('；')}。"
        ]
        claims += [
            f"{n}. 根据权利要求1所述的{subject}，其特征在于，{_said(f, names, lang)}。"
            for n, f in enumerate(rest, 2)
        ]
        title = f"一种{subject}"
    else:
        art = "An" if subject[:1] in "aeiou" else "A"
        elements = [_en_element(c, subject) for c in dis.components] + [
            _said(_en_element(f, subject), names, lang) for f in body_known
        ]
        body = " comprising: " + "; ".join(elements) + ";" if elements else ","
        chars = "; and ".join(_said(_en_element(f, subject), names, lang) for f in char)
        claims = [
            f"1. {art} {subject}{body} wherein {chars}."
            if chars
            else f"1. {art} {subject}{body.rstrip(';')}."
        ]
        claims += [
            f"{n}. The {subject} of claim 1, wherein {_said(_en_element(f, subject), names, lang)}."
            for n, f in enumerate(rest, 2)
        ]
        title = subject[:1].upper() + subject[1:]
    sections = (
        _sections_zh(disclosure, dis, dist, prior_art, title)
        if zh
        else _sections_en(disclosure, dis, dist, prior_art)
    )
    return {
        "title": title,
        "subject": subject,
        "claims": claims,
        "sections": sections,
        "characterising": char,
        "known_used": body_known,
    }


def _prior_zh(prior_art: list[dict[str, Any]]) -> str:
    """Prior art cited by number; a title not in Chinese is quoted as a name (“…”)."""
    out = []
    for p in prior_art[:3]:
        t = (p.get("title") or "").strip()
        out.append(
            f"{p['id']}（{t}）" if t and not _LATIN.search(t) else (f"{p['id']}（“{t}”）" if t else p["id"])
        )
    return "、".join(out)


def _sections_zh(
    disclosure: str, dis: Disclosure, dist: list[str], prior_art: list[dict[str, Any]], title: str
) -> dict[str, str]:
    s_field, s_bg, s_sum, s_fig, s_emb = SECTIONS["zh"]
    pa = _prior_zh(prior_art)
    problems = "，".join(dis.problems)
    bg = (
        ((problems if problems.startswith(("现有", "目前", "传统")) else f"现有技术中，{problems}") + "。")
        if problems
        else ""
    )
    bg += (
        (f"{pa}等文献公开了相关方案，但均未公开：" + "；".join(dist) + "。")
        if pa
        else ("" if problems else "（未检索到相关现有技术；请补充。）")
    )
    problem = (
        (
            f"如何克服{problems}的不足"
            if problems.startswith(("现有", "目前", "传统"))
            else f"如何克服现有技术中{problems}的不足"
        )
        if problems
        else (f"如何使{dis.subject}实现：{dist[0]}" if dist else f"如何提供一种{dis.subject}")
    )
    return {
        s_field: f"本发明涉及{field_zh(dis.subject)}技术领域，具体涉及一种{dis.subject}。",
        s_bg: bg,
        s_sum: f"本发明要解决的技术问题是：{problem}。为此，本发明提供{title}"
        + (("，包括" + "、".join(dis.components)) if dis.components else "")
        + "，技术方案见权利要求1。"
        + ("有益效果：" + "；".join(_ZH_THUS.sub("", e) for e in dis.effects) + "。" if dis.effects else ""),
        s_fig: "（请根据附图补充。）",
        s_emb: disclosure.strip(),
    }


def _sections_en(
    disclosure: str, dis: Disclosure, dist: list[str], prior_art: list[dict[str, Any]]
) -> dict[str, str]:
    s_field, s_bg, s_sum, s_fig, s_emb = SECTIONS["en"]
    art = "an" if dis.subject[:1] in "aeiou" else "a"
    pa = "; ".join(f"{p['id']} ({p['title']})" if p.get("title") else p["id"] for p in prior_art[:3])
    bg = ("In the existing art, " + "; ".join(dis.problems) + ". ") if dis.problems else ""
    bg += (
        (
            f"Documents such as {pa} describe related solutions, but none of them discloses that "
            + "; ".join(_en_element(f, dis.subject) for f in dist)
            + "."
        )
        if pa
        else ("" if bg else "(No prior art was retrieved; to be completed.)")
    )
    return {
        s_field: f"The invention relates to {dis.subject}s, in particular to {art} {dis.subject}.",
        s_bg: bg,
        s_sum: f"The problem solved is to provide {art} {dis.subject} in which "
        + "; ".join(_en_element(f, dis.subject) for f in dist)
        + ". The solution is set out in claim 1."
        + (" Advantages: " + "; ".join(dis.effects) + "." if dis.effects else ""),
        s_fig: "(To be completed from the drawings.)",
        s_emb: disclosure.strip(),
    }


def claims_text(claims: list[str]) -> str:
    """The claims, one per line."""
    return "\n".join(claims)


EXPERT = {
    "en": "You are the technical expert on a patent drafting team. Check the claims against the inventor's "
    "disclosure: list technical errors, missing essential features and unsupported terms. Answer briefly.",
    "zh": "你是专利撰写团队中的技术专家。对照发明人的技术交底书检查权利要求：列出技术错误、缺少的必要技术特征和说明书不支持的术语。请简要回答。",
}
AGENT = {
    "en": "You are the patent attorney on a patent drafting team. Rewrite the claim set so that claim 1 is an "
    "independent claim with the distinguishing features after 'characterised in that', dependent claims refer "
    "to earlier claims, every term has antecedent basis, and no vague terms are used. Answer with the numbered "
    "claims only, one per line.",
    "zh": "你是专利撰写团队中的专利代理师。改写权利要求书：权利要求1为独立权利要求，区别技术特征写在“其特征在于”之后；从属权利要求只引用在前的权利要求；"
    "每个术语都有引用基础（先“一种/一个”，后“所述”）；不使用“大约、优选”等不清楚的用语。只回答编号的权利要求，每行一条。",
}


def parse_claims(text: str) -> list[str]:
    """Numbered claims from an LLM answer (one per line or paragraph)."""
    parts = re.split(r"\n\s*(?=\d{1,3}\s*[.、．)])", "\n" + text.strip())
    return [" ".join(p.split()) for p in parts if re.match(r"\s*\d{1,3}\s*[.、．)]", p)]
