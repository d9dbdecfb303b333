"""Drafting a patent application from a disclosure (交底书).

**Deterministic drafter** (always available): the disclosure's technical features (the
patentability report's decomposition) are split by the report's prior-art mapping into the
features the closest prior art already shows and the candidate *distinguishing* features; claim 1
is the subject, the known features, then the distinguishing ones after "characterised in that" /
"其特征在于"; every other feature becomes a dependent claim; title, technical field, background
(the closest prior art found, cited by number), summary (problem, solution, effects: the
disclosure's sentences that state an effect) and a description skeleton with the disclosure's own
paragraphs as the embodiment follow the CNIPA / EPO section order.

**With an LLM** (``llm_url`` set): two roles work in turns — the *technical expert* writes the
technical content and checks the claims against the disclosure, the *patent agent* writes and
revises the claims — with the transcript kept; the claim checker runs on every version of the
claims. Any LLM failure keeps the deterministic draft and says why.
"""

from __future__ import annotations

import re
from typing import Any

ZH_EFFECT = re.compile(r"(从而|以便|使得|提高|降低|减少|避免|延长|节省|有效|优点)")
EN_EFFECT = re.compile(r"\b(thereby|so that|improv\w*|reduc\w*|increas\w*|avoid\w*|prevent\w*|extend\w*|sav\w*|advantage\w*)\b", re.I)
_LEAD_ZH = re.compile(r"^((本发明|本实用新型|本申请)(涉及|提供)?(一种[^，,。]*[，,])?|该(装置|系统|方法)|所述(装置|系统|方法))[，,]?\s*")
_LEAD_EN = re.compile(r"^(the (present )?invention( relates to| provides)?( an? [^,]*,)?|this (invention|device|system|method)"
                      r"|the (device|system|method))\s*", re.I)
SECTIONS = {"zh": ("技术领域", "背景技术", "发明内容", "附图说明", "具体实施方式"),
            "en": ("Technical field", "Background", "Summary", "Brief description of the drawings", "Detailed description")}


def subject_of(text: str, lang: str) -> str:
    """What the invention is ("无人机充电平台", "charging platform for a drone")."""
    first = text.strip().splitlines()[0].strip() if text.strip() else ""
    if lang == "zh":
        m = re.search(r"一种([^，。,;；：:\n]{2,30}?)(?:，|。|,|；|：|包括|其特征|$)", text)
        if m:
            return m.group(1)
        if 2 <= len(first) <= 30 and not re.search(r"[。，]", first):
            return first
        return "装置"
    m = re.search(r"\b(?:an?|the)\s+([a-z][a-z\- ]{2,60}?)\s+(?:that|which|comprising|including|with|for|wherein|having)\b",
                  text, re.I)
    if m:
        return m.group(1).strip().lower()
    if 2 <= len(first.split()) <= 10 and not first.endswith("."):
        return first.lower()
    return "device"


def _element(sentence: str, lang: str) -> str:
    s = sentence.strip().rstrip("。.;；")
    s = (_LEAD_ZH if lang == "zh" else _LEAD_EN).sub("", s)
    s = re.sub(r"^(包括|包含|comprises|comprising|includes|including)[：:\s]*", "", s, flags=re.I)
    return s if lang == "zh" else (s[:1].lower() + s[1:])


def deterministic_draft(disclosure: str, features: list[dict[str, Any]], distinguishing: list[str],
                        prior_art: list[dict[str, Any]], lang: str, *, field: str | None = None) -> dict[str, Any]:
    """The template draft (see module doc). ``features``: ``{id, text}``; ``distinguishing``: ids."""
    zh = lang == "zh"
    subject = subject_of(disclosure, lang)
    # claim 1: the general structure (known features, else the first feature) + the first
    # distinguishing feature; every other feature becomes a dependent claim (a fallback ladder)
    known = [f for f in features if f["id"] not in set(distinguishing)]
    head = known[:3] or features[:1]
    dist_all = [f for f in features if f["id"] in set(distinguishing) and f not in head]
    dist = dist_all[:1] or [f for f in features if f not in head][:1] or features[-1:]
    rest = [f for f in features if f not in head and f not in dist]
    if zh:
        body = "；".join(_element(f["text"], lang) for f in head)
        char = "；".join(_element(f["text"], lang) for f in dist)
        claims = [f"1. 一种{subject}，" + (f"包括：{body}；" if body else "") + f"其特征在于：{char}。"]
        claims += [f"{n}. 根据权利要求1所述的{subject}，其特征在于：{_element(f['text'], lang)}。"
                   for n, f in enumerate(rest, 2)]
        title = f"一种{subject}"
    else:
        body = "; ".join(_element(f["text"], lang) for f in head)
        char = "; and ".join(_element(f["text"], lang) for f in dist)
        article = "An" if subject[:1] in "aeiou" else "A"
        claims = [f"1. {article} {subject}" + (f", comprising: {body};" if body else ",") + f" characterised in that {char}."]
        claims += [f"{n}. The {subject} of claim 1, wherein {_element(f['text'], lang)}." for n, f in enumerate(rest, 2)]
        title = subject[:1].upper() + subject[1:]
    effects = [s for s in re.split(r"(?<=[。.!?！？])\s*", disclosure) if (ZH_EFFECT if zh else EN_EFFECT).search(s)][:4]
    pa = "；".join(f"{p['id']}（{p['title']}）" for p in prior_art[:3]) if zh else \
        "; ".join(f"{p['id']} ({p['title']})" for p in prior_art[:3])
    s_field, s_bg, s_sum, s_fig, s_emb = SECTIONS[lang if zh else "en"]
    if zh:
        sections = {
            s_field: f"本发明涉及{field or subject}技术领域，具体涉及一种{subject}。",
            s_bg: (f"现有技术中，{pa}等文献公开了相关方案，但均未公开：" + "；".join(_element(f["text"], lang) for f in dist) + "。")
            if pa else "（未检索到相关现有技术；请补充。）",
            s_sum: f"本发明要解决的技术问题是：在现有技术的基础上实现{'；'.join(_element(f['text'], lang) for f in dist)}。"
                   f"为此，本发明提供{title}，技术方案见权利要求1。" + ("有益效果：" + "".join(effects) if effects else ""),
            s_fig: "（请根据附图补充。）",
            s_emb: disclosure.strip(),
        }
    else:
        sections = {
            s_field: f"The invention relates to {field or subject}s, in particular to {subject[:1] in 'aeiou' and 'an' or 'a'} {subject}.",
            s_bg: (f"Documents such as {pa} describe related solutions, but none of them discloses that "
                   + "; ".join(_element(f['text'], lang) for f in dist) + ".") if pa else "(No prior art was retrieved; to be completed.)",
            s_sum: f"The problem solved is to provide {subject[:1] in 'aeiou' and 'an' or 'a'} {subject} in which "
                   + "; ".join(_element(f['text'], lang) for f in dist) + ". The solution is set out in claim 1."
                   + (" Advantages: " + " ".join(effects) if effects else ""),
            s_fig: "(To be completed from the drawings.)",
            s_emb: disclosure.strip(),
        }
    return {"title": title, "subject": subject, "claims": claims, "sections": sections,
            "distinguishing_used": [f["id"] for f in dist], "known_used": [f["id"] for f in head]}


def claims_text(claims: list[str]) -> str:
    return "\n".join(claims)


EXPERT = {"en": "You are the technical expert on a patent drafting team. Check the claims against the inventor's "
                "disclosure: list technical errors, missing essential features and unsupported terms. Answer briefly.",
          "zh": "你是专利撰写团队中的技术专家。对照发明人的技术交底书检查权利要求：列出技术错误、缺少的必要技术特征和说明书不支持的术语。请简要回答。"}
AGENT = {"en": "You are the patent attorney on a patent drafting team. Rewrite the claim set so that claim 1 is an "
               "independent claim with the distinguishing features after 'characterised in that', dependent claims refer "
               "to earlier claims, every term has antecedent basis, and no vague terms are used. Answer with the numbered "
               "claims only, one per line.",
         "zh": "你是专利撰写团队中的专利代理师。改写权利要求书：权利要求1为独立权利要求，区别技术特征写在“其特征在于”之后；从属权利要求只引用在前的权利要求；"
               "每个术语都有引用基础（先“一种/一个”，后“所述”）；不使用“大约、优选”等不清楚的用语。只回答编号的权利要求，每行一条。"}


def parse_claims(text: str) -> list[str]:
    """Numbered claims from an LLM answer (one per line or paragraph)."""
    parts = re.split(r"\n\s*(?=\d{1,3}\s*[.、．)])", "\n" + text.strip())
    return [" ".join(p.split()) for p in parts if re.match(r"\s*\d{1,3}\s*[.、．)]", p)]
