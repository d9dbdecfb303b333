"""Reading a disclosure (交底书) for drafting: the subject, the components, the technical features,
the effects and the problem, each from its own clauses.

Sentences are cut into clauses (Chinese at ，；, English at "; " and ", so that / thereby"); a
clause is

* the **subject** when it only names the invention ("本发明涉及一种无人机电池快换装置", "A drone
  docking station that …"): never a feature;
* the **components** when it lists what the subject comprises ("包括电池仓、导轨和弹性卡扣",
  "comprises a landing pad, a coil and a controller");
* an **effect** when it states a consequence ("从而…", "换电时间缩短到10秒", "thereby improving …"): it
  goes to the summary, never into a claim;
* a **problem** when it describes what is wrong with the existing art ("现有…需要拧螺丝，耗时长",
  "existing stations need cables"): it goes to the background;
* otherwise a **technical feature** (consecutive feature clauses of one sentence stay together).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

ZH_LEAD = re.compile(
    r"^(?:本(?:发明|实用新型|申请|装置|系统|方法)(?:实施例)?(?:涉及|提供|提出|公开)?(?:了)?|该(?:装置|系统|方法)|"
    r"所述(?:装置|系统|方法)|其(?:方法|系统|装置))[，,：:]?\s*"
)
ZH_NAMING = re.compile(
    r"^(?:(?:本\w{1,4})?(?:涉及|公开|提供|提出)了?)?一种|涉及[^，]{0,30}(?:技术)?领域$|^属于[^，]{0,30}领域$"
)
EN_LIST = re.compile(
    r"^(?:is disclosed\s+)?(?:comprising|comprises|including|includes|having|has)\s*:?\s*(an? .+)$", re.I
)
ZH_SUBJECT = re.compile(
    r"^(?:本(?:发明|实用新型|申请)(?:实施例)?(?:涉及|提供|提出|公开)了?)?一种([^，。,;；：:包括]{2,40}?)(?:[，,：:。]|$|(?=包括))"
)
ZH_COMPONENTS = re.compile(
    r"^(?:其|它|本(?:装置|系统|设备|平台)|该(?:装置|系统|设备|平台))?(?:主要)?(?:包括|包含|由)[：:]?(.+?)(?:组成|构成)?$"
)
ZH_EFFECT = re.compile(
    r"^(?:从而|进而|以便|以|使得|使|因此|由此|可以|能够|有效)|缩短|提高|提升|降低|减少|节省|延长|避免|"
    r"防止|保证|确保|改善|效率|无需|不需要"
)
ZH_STRUCT = re.compile(
    r"设有|设置|安装|连接|固定|包括|包含|位于|开设|形成|配置|采用|通过|控制|检测|驱动|锁定|推入|插入|"
    r"滑入|卡扣|对准|沿"
)
ZH_PROBLEM = re.compile(r"现有|传统|目前|以往|问题|缺陷|不足|难以|无法|费时|耗时长|繁琐|麻烦|成本高")
EN_SUBJECT = re.compile(
    r"^(?:the (?:present )?invention (?:relates to|provides|is)\s+)?(an?|the)\s+([a-z][a-z\- ]{2,60}?)"
    r"(?:\s+(?:that|which|comprising|comprises|including|includes|with|for|wherein|having|has|is|are)\b|"
    r"\s*[.,]|\s*$)",
    re.I,
)
EN_COMPONENTS = re.compile(
    r"^(?:the|this|said) [a-z\- ]{2,40}? (?:comprises|includes|has|consists of)\s*:?\s*(.+)$", re.I
)
EN_EFFECT = re.compile(
    r"^(?:thereby|so that|which (?:improves|reduces|allows|enables|prevents)|thus)\b|"
    r"\b(?:improv\w*|reduc\w*|increas\w*|sav\w*|avoid\w*|prevent\w*|faster|cheaper)\b",
    re.I,
)
EN_STRUCT = re.compile(
    r"\b(?:comprises?|includes?|has|is (?:mounted|arranged|connected|provided|attached|located)|"
    r"lets|controls?|detects?|measures?|centres?|centers?|aligns?|drives?|sends?|notifies)\b",
    re.I,
)
EN_PROBLEM = re.compile(
    r"\b(?:existing|conventional|current(?:ly)?|known|prior)\b|\bproblem|\bdrawback|\bhowever\b", re.I
)
_OWN_EN = re.compile(
    r"\b(?:the|this) (?:present )?(?:invention|station|device|system|method|apparatus)\b", re.I
)


@dataclass
class Disclosure:
    """What a disclosure says, clause by clause (see module doc)."""

    lang: str
    subject: str
    components: list[str] = field(default_factory=list)
    features: list[str] = field(default_factory=list)
    effects: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    title_line: str | None = None


def _sentences(text: str, lang: str) -> list[str]:
    pat = r"(?<=[。！？!?])|\n+" if lang == "zh" else r"(?<=[.!?])\s+|\n+"
    return [s.strip() for s in re.split(pat, text) if s and s.strip()]


def _clauses(sentence: str, lang: str) -> list[str]:
    s = sentence.strip().rstrip("。.!?！？")
    if lang == "zh":
        return [c.strip() for c in re.split(r"[，,；;]", s) if c.strip()]
    parts = re.split(
        r";\s*|,\s*(?=(?:thereby|so that|which (?:improves|reduces|allows|enables|prevents)|thus)\b)", s
    )
    return [p.strip() for p in parts if p.strip()]


def _split_list(body: str, lang: str) -> list[str]:
    if lang == "zh":
        items = re.split(r"[、；;]|以及|和|及", body)
    else:  # items begin with an article: "a frame and an elastic net having upper, lower sections"
        items = re.split(r",?\s+and\s+(?=an?\s)|,\s*(?=an?\s)", body)
    return [i.strip(" ：:，,") for i in items if i.strip(" ：:，,")]


def title_and_body(text: str) -> tuple[str | None, str]:
    """A first line that is a title (short, no sentence punctuation) and the rest."""
    lines = text.strip().splitlines()
    first = lines[0].strip() if lines else ""
    if (
        len(lines) > 1
        and 2 <= len(first) <= 130
        and not re.search(r"[。.；;，,]$", first)
        and not re.search(r"[。；]", first)
    ):
        return first, "\n".join(lines[1:]).strip()
    return None, text.strip()


_ZH_MORE = re.compile(r"(?:及其|以及|及|和|、)(?:方法|系统|装置|设备|介质|终端|应用|用途)(?:[、及和].*)?$")
_EN_MORE = re.compile(r"\s+(?:and|or)\s+(?:a\s+|an\s+)?(?:method|system|apparatus|device)s?(?:\s.*)?$", re.I)


def one_category(subject: str, lang: str) -> str:
    """One claim covers one category: "疏水阀状态在线监测系统及方法" → "疏水阀状态在线监测系统"."""
    if lang == "zh":
        cut = _ZH_MORE.sub("", subject)
        return cut if len(cut) >= 2 else subject
    cut = _EN_MORE.sub("", subject)
    return cut or subject


def _subject_zh(title: str | None, body: str) -> str:
    m = ZH_SUBJECT.search(body) or re.search(r"一种([^，。,;；：:]{2,40}?)(?:[，。,;；：:]|包括|$)", body)
    if m:
        return one_category(m.group(1).strip(), "zh")
    if title:
        return one_category(re.sub(r"^一种", "", title).strip(), "zh")
    return "装置"


def _subject_en(title: str | None, body: str) -> str:
    m = EN_SUBJECT.search(body.strip())
    if m:
        return one_category(m.group(2).strip().lower(), "en")
    if title and 1 <= len(title.split()) <= 10:
        return re.sub(r"^(?:an?|the)\s+", "", title.strip(), flags=re.I).lower()
    return "device"


def read_disclosure(text: str, lang: str) -> Disclosure:
    """The disclosure's parts (see module doc)."""
    title, body = title_and_body(text)
    zh = lang == "zh"
    subject = _subject_zh(title, body) if zh else _subject_en(title, body)
    d = Disclosure(lang, subject, title_line=title)
    for sent in _sentences(body, lang):
        feature: list[str] = []
        for clause in _clauses(sent, lang):
            c = clause
            if zh:
                c = ZH_LEAD.sub("", c)
                if ZH_NAMING.search(c) and (subject in c or "领域" in c):  # names the invention or its field
                    rest = re.sub(r"^.*?一种" + re.escape(subject) + r"[^包]*", "", c) if subject in c else ""
                    if not rest.startswith("包括"):
                        continue
                    c = rest
                c = c.strip("，,：: ")
                if c.endswith("领域") and len(c) <= 30:  # the technical field, not a feature
                    continue
                m = ZH_COMPONENTS.match(c)
            else:
                if re.match(
                    r"^(?:the (?:present )?invention (?:relates to|provides|is)\s+)?an?\s+"
                    + re.escape(subject)
                    + r"\b",
                    c,
                    re.I,
                ):
                    rest = re.sub(r"^.*?" + re.escape(subject) + r"\s*", "", c, count=1, flags=re.I)
                    c = re.sub(r"^(?:that|which)\s+", "", rest)
                    if not c:
                        continue
                m = EN_COMPONENTS.match(c) or EN_LIST.match(c)
            if not c or c == subject:
                continue
            if m and not d.components:
                for item in _split_list(m.group(1), lang):
                    parts = (
                        [item]
                        if zh
                        else re.split(
                            r"(\s+(?:so that|in order to|to facilitate|thereby)\b)",
                            item,
                            maxsplit=1,
                            flags=re.I,
                        )
                    )
                    head, sep, tail = (parts + ["", ""])[:3]
                    d.components.append(head.strip())
                    if sep:
                        d.effects.append((sep + tail).strip())
                continue
            if zh:
                is_effect = bool(ZH_EFFECT.search(c)) and not (
                    ZH_STRUCT.search(c) and not re.match(r"^(?:从而|进而|以便|以|使得|使)", c)
                )
                is_problem = bool(ZH_PROBLEM.search(c)) and not c.startswith("本")
            else:
                is_effect = bool(EN_EFFECT.search(c)) and (
                    bool(re.match(r"^(?:thereby|so that|thus|which)\b", c, re.I)) or not EN_STRUCT.search(c)
                )
                is_problem = bool(EN_PROBLEM.search(c)) and not _OWN_EN.search(c)
            if is_problem and not feature:
                d.problems.append(c)
            elif is_effect:
                d.effects.append(c)
            else:
                feature.append(c)
        if feature:
            d.features.append(("，" if zh else ", ").join(feature))
    if (
        not d.features and len(d.components) >= 2
    ):  # only a list of parts: the last, most specific, characterises
        d.features.append(d.components.pop())
    return d
