"""Laws as a lawyer cites them: the short name of a law (《专利法》, "Patent Law"), its subject
(patent, trademark, copyright…), article numbers in Chinese numerals (第四十二条 ↔ 42) and the
citation 《专利法》第四十二条 / "Patent Law, Article 42".

The names of the laws in ``../shared/data/cn-ip-law`` are listed here; any other law or
regulation a user loads gets its title without 中华人民共和国 and its subject from its words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNITS = {"十": 10, "百": 100, "千": 1000}
ARTICLE = re.compile(r"第([一二三四五六七八九十百千零〇两\d]+)条")
_PREFIX = "中华人民共和国"

# title (without 中华人民共和国) → (English name, subject)
KNOWN: dict[str, tuple[str, str]] = {
    "专利法": ("Patent Law", "patent"),
    "专利法实施细则": ("Implementing Regulations of the Patent Law", "patent"),
    "商标法": ("Trademark Law", "trademark"),
    "商标法实施条例": ("Implementing Regulations of the Trademark Law", "trademark"),
    "著作权法": ("Copyright Law", "copyright"),
    "反不正当竞争法": ("Anti-Unfair Competition Law", "competition"),
    "专利代理条例": ("Regulations on Patent Agency", "patent"),
    "计算机软件保护条例": ("Regulations on the Protection of Computer Software", "software"),
    "集成电路布图设计保护条例": (
        "Regulations on the Protection of Layout-Designs of Integrated Circuits",
        "layout",
    ),
    "植物新品种保护条例": ("Regulations on the Protection of New Varieties of Plants", "plant"),
    "最高人民法院关于审理专利纠纷案件适用法律问题的若干规定": (
        "SPC Provisions on Patent Dispute Cases",
        "patent",
    ),
    "最高人民法院关于审理侵害知识产权民事案件适用惩罚性赔偿的解释": (
        "SPC Interpretation on Punitive Damages for IP Infringement",
        "ip",
    ),
    "最高人民法院关于审理侵犯专利权纠纷案件应用法律若干问题的解释": (
        "SPC Interpretation on Patent Infringement Disputes",
        "patent",
    ),
    "最高人民法院关于审理侵犯专利权纠纷案件应用法律若干问题的解释（二）": (
        "SPC Interpretation on Patent Infringement Disputes (II)",
        "patent",
    ),
}
# words in a title → subject (first match wins), for laws not listed above
_SUBJECT_WORDS = (
    ("商标", "trademark"),
    ("著作权", "copyright"),
    ("版权", "copyright"),
    ("软件", "software"),
    ("专利", "patent"),
    ("不正当竞争", "competition"),
    ("植物新品种", "plant"),
    ("布图", "layout"),
)
# subjects that answer each other's questions (software is protected by copyright; punitive
# damages cover every IP right)
RELATED = {
    "software": {"copyright"},
    "copyright": {"software"},
    "ip": {"patent", "trademark", "copyright", "competition", "software", "plant"},
}


def cn_number(text: str) -> int | None:
    """An integer written in Chinese numerals (四十二 → 42, 一百零五 → 105) or digits; None if not one."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    total, cur = 0, 0
    for ch in text:
        if ch in _DIGITS:
            cur = _DIGITS[ch]
        elif ch in _UNITS:
            total += (cur or 1) * _UNITS[ch]
            cur = 0
        else:
            return None
    return total + cur if text else None


def cn_numeral(n: int) -> str:
    """An integer 1–9999 in Chinese numerals as laws write article numbers (42 → 四十二, 105 → 一百零五)."""
    if n <= 0:
        return str(n)
    digits = "零一二三四五六七八九"
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d, n = divmod(n, value)
        if d:
            if zero and out:
                out += "零"
            out += digits[d] + unit
            zero = False
        elif out:
            zero = True
    return out[1:] if out.startswith("一十") else out


def article_of(where: str) -> int | None:
    """The article number in a passage's place (``第五章 … · 第四十二条 (¶3)`` → 42)."""
    m = None
    for m in ARTICLE.finditer(where or ""):  # noqa: B007 - the last match is wanted
        pass
    return cn_number(m.group(1)) if m else None


@dataclass(frozen=True)
class Law:
    """A law or regulation: short Chinese name, English name, subject."""

    name: str  # 专利法 (no 中华人民共和国, no book-title marks)
    english: str
    subject: str  # patent | trademark | copyright | competition | software | plant | layout | ip | other

    @property
    def level(self) -> float:
        """Where the text stands among the sources a lawyer cites first: a law (…法) 1, a regulation
        (条例, 细则, 办法) 0.5, a judicial interpretation or provision (解释, 规定) 0."""
        if self.name.endswith("法"):
            return 1.0
        return 0.0 if re.search(r"(解释|规定)(（[一二三四五六七八九十]+）)?$", self.name) else 0.5

    def cite(self, article: int | None, lang: str = "zh") -> str:
        """《专利法》第四十二条, or "Patent Law, Article 42" in English."""
        if lang == "en":
            return f"{self.english}, Article {article}" if article else self.english
        return f"《{self.name}》" + (f"第{cn_numeral(article)}条" if article else "")


def law_of(title: str) -> Law:
    """The law a knowledge document holds, from its title (``中华人民共和国专利法`` → 专利法)."""
    name = re.sub(r"^\s*#?\s*", "", title or "").strip().strip("《》")
    name = re.sub(r"\s*[（(]\d{4}[-年][^)）]*[)）]\s*$", "", name)  # a date suffix from a file name
    if name.startswith(_PREFIX):
        name = name[len(_PREFIX) :]
    known = KNOWN.get(name)
    if known:
        return Law(name, *known)
    subject = next((s for w, s in _SUBJECT_WORDS if w in name), "other")
    return Law(name, name, subject)


def is_law_title(title: str) -> bool:
    """Whether a document title names a law, regulation or judicial interpretation."""
    name = law_of(title).name
    return name in KNOWN or bool(re.search(r"(法|条例|细则|规定|解释|办法)$", name))
