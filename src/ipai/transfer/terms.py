"""The key technical terms of a demand (企业技术需求): what a match may rest on.

A demand is written the way an enterprise talks ("我们公司需要提高锂电池在低温时的容量，目前衰减
严重，希望与高校合作"); only a few of its words name the technology. A word is a candidate when
it passes the filters below, and the key terms are the candidates with the highest **termhood**:

1. **not a stop word** — the maintained multilingual lists of stopwords-iso (the ``stopwordsiso``
   package: 794 Chinese, 1,298 English words), the search index's own stop lists, and
   :data:`BOILERPLATE`: the words every demand uses about itself and its setting (需要, 公司,
   高校, 合作, 方法, 系统, 装置, 问题; need, company, method, system, device, customers …);
2. **a content word** — Chinese words are tagged by jieba (rjieba): pronouns, prepositions,
   conjunctions, particles, adverbs, adjectives (严重), numerals, measure and time words never
   name a technology; one-character Chinese words (时) and Latin words under three letters
   (other than acronyms written in capitals: HIV, PCR) are left out;
3. **not an everyday word** — a Chinese word more frequent than :data:`GENERAL_MAX` in jieba's
   general-language dictionary (People's Daily and other general text) is everyday language
   (问题 55,564, 合作 13,478, 时 103,736) rather than a technical term (锂电池 4, 低温 749);
4. **in the store** — the search engine plans the word as a query concept (its CC-CEDICT and
   term-space translations included) and counts the documents carrying it; a word no document
   carries in any language cannot ground a match.

**Termhood** compares how often the concept occurs in the store with how often the word occurs
in general language: ``ln(df / N_store) − ln(p_general)`` (Ahmad's "weirdness", in logs), with
the general frequency from jieba's dictionary for Chinese and from ``wordfreq`` (its maintained
multi-source English list) for English; a word no general list has gets :data:`GENERAL_FLOOR`.
"door", "hospital" or "minutes" fall under :data:`TERMHOOD_MIN`; "drone", "pizza", "quantize",
锂电池 and 低温 rank high. A Chinese compound key term also brings its head word
as a broader term at half its termhood (锂电池 → 电池), so a patent on 电池加热 still counts.
Only key terms go into the query, and the search engine gives each its translations: a word that
is not a key term is never expanded, so 高校 never becomes "school, grades".
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ipai.search.analysis import EN_STOP, ZH_STOP, has_han

KEY_TERMS = 8  # key terms a demand is searched with
GENERAL_MAX = 10_000  # jieba dictionary frequency above which a Chinese word is everyday language
GENERAL_TOTAL = 60_101_967  # the sum of the jieba dictionary's counts (its corpus size)
GENERAL_FLOOR = 1e-8  # the general frequency of a word no general list has (wordfreq's Zipf 1)
TERMHOOD_MIN = 2.0  # below this a word is no more frequent in patents than in everyday text
# jieba part-of-speech tags of words that never name a technology
CLOSED_TAGS = (
    "r",
    "p",
    "c",
    "i",
    "u",
    "d",
    "a",
    "ad",
    "an",
    "m",
    "mq",
    "q",
    "t",
    "f",
    "y",
    "e",
    "o",
    "x",
    "w",
    "k",
    "h",
    "uj",
    "ul",
    "uz",
    "ug",
    "uv",
    "ud",
    "zg",
    "tg",
    "dg",
    "ag",
    "rr",
    "rz",
    "mg",
    "z",
)
# what demands say about themselves and their setting, in both languages (never a match's key)
BOILERPLATE = frozenset(
    [
        "我们",
        "我司",
        "本公司",
        "公司",
        "企业",
        "工厂",
        "厂家",
        "厂商",
        "单位",
        "机构",
        "部门",
        "高校",
        "大学",
        "院校",
        "学校",
        "科研院所",
        "研究院",
        "研究所",
        "合作",
        "对接",
        "合作方",
        "转让",
        "许可",
        "需要",
        "需求",
        "希望",
        "寻找",
        "寻求",
        "获得",
        "提供",
        "引进",
        "购买",
        "开发",
        "研发",
        "设计",
        "采用",
        "利用",
        "使用",
        "应用",
        "实现",
        "解决",
        "提高",
        "提升",
        "降低",
        "减少",
        "增加",
        "改善",
        "改进",
        "优化",
        "一种",
        "一套",
        "技术",
        "方法",
        "方式",
        "手段",
        "系统",
        "装置",
        "设备",
        "器件",
        "产品",
        "方案",
        "工艺",
        "问题",
        "难题",
        "困难",
        "缺点",
        "不足",
        "现状",
        "目前",
        "现有",
        "传统",
        "已有",
        "新型",
        "新的",
        "有效",
        "高效",
        "能够",
        "可以",
        "可能",
        "能否",
        "如何",
        "怎样",
        "严重",
        "明显",
        "经常",
        "很多",
        "较大",
        "较高",
        "较低",
        "快速",
        "简单",
        "方便",
        "可靠",
        "稳定",
        "安全",
        "成本",
        "价格",
        "效果",
        "性能",
        "质量",
        "效率",
        "能力",
        "日常",
        "相关",
        "用于",
        "进行",
        "主要",
        "同时",
        "以及",
        "通过",
        "基于",
        "关于",
        "其中",
        "项目",
        "领域",
        "行业",
        "市场",
        "客户",
        "用户",
        "人员",
        "员工",
        "工作",
        "生产",
        "服务",
        "管理",
        "使得",
        "帮助",
        "we",
        "our",
        "us",
        "need",
        "needs",
        "needed",
        "want",
        "wants",
        "wanted",
        "looking",
        "look",
        "seek",
        "seeking",
        "require",
        "requires",
        "required",
        "requirement",
        "method",
        "methods",
        "technology",
        "technologies",
        "technique",
        "techniques",
        "solution",
        "solutions",
        "system",
        "systems",
        "device",
        "devices",
        "apparatus",
        "equipment",
        "product",
        "products",
        "process",
        "approach",
        "way",
        "ways",
        "problem",
        "problems",
        "issue",
        "issues",
        "company",
        "companies",
        "firm",
        "business",
        "factory",
        "plant",
        "startup",
        "start-up",
        "brand",
        "maker",
        "manufacturer",
        "supplier",
        "customer",
        "customers",
        "client",
        "clients",
        "user",
        "users",
        "people",
        "staff",
        "team",
        "market",
        "cost",
        "costs",
        "low-cost",
        "cheap",
        "cheaper",
        "price",
        "quality",
        "performance",
        "efficiency",
        "improve",
        "improved",
        "improving",
        "reduce",
        "reduced",
        "reducing",
        "increase",
        "increasing",
        "better",
        "best",
        "good",
        "new",
        "novel",
        "quickly",
        "fast",
        "easily",
        "easy",
        "safely",
        "safe",
        "reliable",
        "reliably",
        "efficient",
        "efficiently",
        "automatically",
        "automatic",
        "simple",
        "able",
        "ability",
        "develop",
        "developing",
        "design",
        "designed",
        "make",
        "making",
        "build",
        "building",
        "provide",
        "providing",
        "offer",
        "offers",
        "currently",
        "existing",
    ]
)
_LATIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-]*")
_ACRONYM = re.compile(r"^[A-Z0-9][A-Z0-9\-]{1,7}$")


@dataclass(frozen=True)
class KeyTerm:
    """One key technical term of a demand: as written, its language, the documents carrying its
    concept (translations included), its general-language frequency and its termhood."""

    text: str
    lang: str  # "zh" or "en"
    documents: int  # stored documents carrying the concept in any of its forms
    general: float  # share of general-language text (jieba's dictionary; wordfreq for English)
    termhood: float  # ln(df / N_store) − ln(p_general)
    position: int  # first position in the demand (terms are searched in the demand's order)
    broader_of: str | None = None  # the compound this term heads (电池 of 锂电池): half its weight


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """The maintained Chinese and English stop words (stopwords-iso) with the index's own."""
    try:
        import stopwordsiso

        iso = set(stopwordsiso.stopwords("zh")) | set(stopwordsiso.stopwords("en"))
    except ImportError:  # the lists ship with ipai's dependencies; the index's lists remain
        iso = set()
    return frozenset({w.lower() for w in iso} | EN_STOP | ZH_STOP)


def general_frequency(word: str, lang: str = "zh") -> float:
    """The word's share of general-language text: jieba's dictionary count over its corpus for
    Chinese, wordfreq's frequency for English (0.0 when the word is unknown)."""
    if lang == "zh":
        import rjieba

        return rjieba.suggest_freq(word) / GENERAL_TOTAL if rjieba.has_word(word) else 0.0
    try:
        from wordfreq import word_frequency
    except ImportError:  # wordfreq ships with ipai's dependencies; without it a word counts as unknown
        return 0.0
    return float(word_frequency(word, "en"))


def _candidates(text: str) -> list[tuple[str, str, int]]:
    """(word, language, position) of the content words of a demand (tests 1–3 of the module doc)."""
    import rjieba

    stop = stop_words()
    out: list[tuple[str, str, int]] = list(_unknown_runs(text))
    pos = 0
    for word, tag in rjieba.tag(text):
        pos += 1
        w = word.strip()
        if not w:
            continue
        if has_han(w):
            if len(w) < 2 or tag in CLOSED_TAGS or w in stop or w in BOILERPLATE:
                continue
            if general_frequency(w, "zh") * GENERAL_TOTAL > GENERAL_MAX:
                continue
            out.append((w, "zh", pos))
            continue
        for m in _LATIN.finditer(w.replace("-", " ")):
            raw = m.group(0)
            low = raw.lower().strip("-")
            acronym = bool(_ACRONYM.match(raw)) and not raw.isdigit()
            if raw.isdigit() or (len(low) < 3 and not acronym):
                continue
            if not acronym and (low in stop or low in BOILERPLATE):
                continue
            out.append((low, "en", pos))
    return out


def _unknown_runs(text: str) -> list[tuple[str, str, int]]:
    """Names jieba cuts into pieces it does not know (利托那韦 → 利托/那/韦: a transliterated drug
    name): adjacent pieces that are unknown words or single characters, joined again (3–8
    characters, stop words not at either end); the search engine then decides whether the store
    knows the whole (its term space translates 利托那韦 → ritonavir)."""
    import rjieba

    stop = stop_words()
    out: list[tuple[str, str, int]] = []
    run: list[tuple[str, int]] = []

    def flush() -> None:
        while run and run[0][0] in stop:
            run.pop(0)
        while run and run[-1][0] in stop:
            run.pop()
        word = "".join(w for w, _ in run)
        if len(run) >= 2 and 3 <= len(word) <= 8 and any(not rjieba.has_word(w) for w, _ in run):
            out.append((word, "zh", run[0][1]))
        run.clear()

    for pos, w in enumerate(rjieba.cut(text), 1):
        if has_han(w) and (len(w) == 1 or not rjieba.has_word(w)):
            run.append((w, pos))
        else:
            flush()
    flush()
    return out


def key_terms(engine: Any, text: str, k: int = KEY_TERMS) -> list[KeyTerm]:
    """The demand's key technical terms (at most ``k``, highest termhood first, returned in the
    demand's order); English inflections of one word count once (``drone``/``drones``)."""
    from ipai.search.analysis import index_tokens
    from ipai.search.query.ast import Term

    n_store = max(engine_docs(engine), 1)
    first: dict[str, tuple[str, str, int]] = {}
    for w, lang, p in _candidates(text):
        key = (index_tokens(w, lang) or [w])[0]
        first.setdefault(key, (w, lang, p))
    terms = []
    for w, lang, p in first.values():
        plan = engine.plan(Term(0, w))
        df = max((c.df for c in plan.concepts), default=0)
        if df <= 0:
            continue
        general = general_frequency(w, lang)
        th = math.log(df / n_store) - math.log(max(general, GENERAL_FLOOR))
        if th >= TERMHOOD_MIN:
            terms.append(KeyTerm(w, lang, int(df), general, round(th, 3), p))
    terms.sort(key=lambda t: (-t.termhood, t.position))
    terms = terms[:k]
    have = {t.text for t in terms}
    for t in list(terms):
        head = _head(t.text) if t.lang == "zh" else None
        if head and head not in have:
            plan = engine.plan(Term(0, head))
            df = max((c.df for c in plan.concepts), default=0)
            general = general_frequency(head, "zh")
            th = math.log(max(df, 1) / n_store) - math.log(max(general, GENERAL_FLOOR))
            if df > 0 and th >= TERMHOOD_MIN:
                terms.append(
                    KeyTerm(head, "zh", int(df), general, round(th / 2, 3), t.position, broader_of=t.text)
                )
                have.add(head)
    return sorted(terms, key=lambda t: (t.position, t.broader_of is not None))


def _head(word: str) -> str | None:
    """The dictionary word a Chinese compound ends in (锂电池 → 电池, 动力电池 → 电池), when it is a
    content word that is neither boilerplate nor everyday language: the broader term."""
    import rjieba

    if len(word) < 3:
        return None
    inner = [w for w in rjieba.cut_for_search(word) if 2 <= len(w) < len(word) and word.endswith(w)]
    if not inner:
        return None
    head = max(inner, key=len)
    stop = stop_words()
    if head in stop or head in BOILERPLATE or general_frequency(head, "zh") * GENERAL_TOTAL > GENERAL_MAX:
        return None
    return head if _heads(word, head) else None


def _heads(word: str, head: str) -> bool:
    """Whether ``head`` is the head of ``word`` rather than a piece across its parts (人机 is not
    the head of 无人机): the dictionary's senses of both share a word, or, where the dictionary
    lacks the compound, what precedes the head is a word of its own (自动 + 检测)."""
    import rjieba

    from ipai.text.lexicon import lexicon

    try:
        lex = lexicon()
    except Exception:  # noqa: BLE001 - without the lexicon, the segmentation alone decides
        lex = None
    senses = [g.text.split() for g in lex.glosses(word)] if lex else []
    if lex and senses:
        words = {w for g in senses for w in g}
        return any(set(g.text.split()) & words for g in lex.glosses(head))
    prefix = word[: -len(head)]
    return len(prefix) >= 2 and bool(rjieba.has_word(prefix))


def engine_docs(engine: Any) -> int:
    """Documents in the engine's index (the store size termhood is measured against)."""
    try:
        return int(engine.status()["documents"])
    except Exception:  # noqa: BLE001 - an engine without a status: termhood from counts alone
        return 0


def query_text(terms: list[KeyTerm]) -> str:
    """The search query of the key terms, in the demand's order (adjacent English words that form
    one dictionary sense, like ``neural network``, are grouped by the query planner)."""
    return " ".join(t.text for t in sorted(terms, key=lambda t: t.position))
