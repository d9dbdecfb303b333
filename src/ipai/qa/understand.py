"""Question understanding for knowledge passages: how people ask, mapped to how laws are written.

* **Words.** The question's content words (question words removed), segmented with the words
  inside long words (保护期 → 保护, 保护期), as weighted search terms.
* **Lay → legal terms.** A small thesaurus (:data:`THESAURUS`) of the ways people ask about a
  term, an owner, an employee, copying… in Chinese and English, each adding the words the laws use
  (多少年/多久 → 期限, 有效期, 保护期; 归谁 → 属于, 归属, 享有; 上班时 → 执行本单位的任务, 职务).
  Added terms weigh :data:`EXPANSION_WEIGHT`.
* **English questions.** The English words are also looked up in CC-CEDICT (whole senses first:
  ``trade secret`` → 商业秘密); only Chinese words the knowledge passages contain are kept, at
  :data:`TRANSLATION_WEIGHT`. The encoder (multilingual e5) reads the question as written.
* **Which law.** :data:`SUBJECT_WORDS` recognise the subject asked about (专利, 商标, 著作权/版权,
  商业秘密/不正当竞争, 软件…), so the retriever can prefer that law's articles; a question naming a
  foreign jurisdiction (美国, 欧洲, Japan…) and not China is marked ``foreign``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ipai.search.analysis import has_han, index_tokens

EXPANSION_WEIGHT = 0.6
TRANSLATION_WEIGHT = 0.5

# (ways people ask — Chinese substrings or English words/phrases, lower case) → terms the laws use
THESAURUS: list[tuple[tuple[str, ...], tuple[str, ...]]] = [
    (
        (
            "多少年",
            "多久",
            "多长时间",
            "多长",
            "几年",
            "保护期",
            "有效期",
            "how long",
            "term",
            "last",
            "duration",
            "valid",
            "expire",
        ),
        ("期限", "有效期", "保护期"),
    ),
    (
        ("归谁", "属于谁", "是谁的", "归属", "谁所有", "who owns", "owns", "owner", "belong"),
        ("属于", "归属", "享有"),
    ),
    (
        ("上班", "工作中", "在职", "员工", "职工", "雇员", "公司的设备", "employee", "employer", "job"),
        ("执行本单位的任务", "职务", "本单位", "任职"),
    ),
    (("离职", "跳槽", "辞职", "退休", "left the company"), ("劳动、人事关系终止", "调离")),
    (
        (
            "抄袭",
            "盗用",
            "盗版",
            "山寨",
            "仿冒",
            "冒用",
            "copy",
            "copied",
            "pirated",
            "infringe",
            "infringement",
        ),
        ("侵犯", "侵权"),
    ),
    (("赔多少", "赔钱", "赔偿多少", "赔偿金额", "damages", "compensation"), ("赔偿数额", "赔偿")),
    (("翻几倍", "几倍", "翻倍", "punitive"), ("倍以上", "倍以下", "惩罚性赔偿")),
    (("坐牢", "判刑", "蹲监狱", "jail", "prison", "criminal"), ("追究刑事责任", "犯罪")),
    (("罚多少", "罚款多少", "处罚", "penalty", "fine", "fined"), ("罚款",)),
    (("过期", "到期", "期满", "expires", "expired"), ("期满", "届满", "续展")),
    (("续期", "续费", "续展", "renew", "renewal"), ("续展",)),
    (("抢注", "squat"), ("抢先注册",)),
    (("不使用", "没有使用", "not been used", "non-use", "unused"), ("不使用",)),
    (("找代理", "中介", "agent", "agency"), ("委托", "代理机构")),
    (("搞出来", "做出来", "弄出来", "研发出", "made", "invented"), ("完成", "作出")),
    (("宽限期", "宽展期", "grace period"), ("不丧失新颖性", "宽展期")),
    (("维权", "告他", "打官司", "起诉", "sue", "lawsuit"), ("起诉", "人民法院")),
    (("时效", "limitation"), ("诉讼时效",)),
    (("交钱", "收费", "多少钱", "费用", "fee", "fees"), ("缴纳", "费用")),
    (("卖了", "卖", "sold", "sell"), ("销售",)),
    (("作废", "撤掉", "无效", "invalidate", "invalid"), ("宣告", "无效")),
    (("去世", "死后", "死了", "dies", "death"), ("死亡",)),
    (("条件", "requirements", "conditions"), ("应当具备",)),
    (("引用", "quote", "quoting"), ("适当引用",)),
    (("材料", "资料", "paperwork"), ("文件",)),
    (
        (
            "是什么",
            "什么是",
            "指的是",
            "什么意思",
            "是指什么",
            "what is",
            "what are",
            "what does",
            "mean",
            "definition",
            "defined",
        ),
        ("是指", "所称"),
    ),
    (
        (
            "不能申请专利",
            "不能授予专利",
            "不能获得专利",
            "不可以申请专利",
            "不能拿专利",
            "cannot be patented",
            "can't be patented",
            "not patentable",
            "unpatentable",
        ),
        ("不授予专利权",),
    ),
    (("展会", "展览", "exhibition", "trade fair"), ("展览会", "展出")),
]
# words naming the subject of a question → subject of the laws that answer it
SUBJECT_WORDS: dict[str, tuple[str, ...]] = {
    "patent": (
        "专利",
        "发明",
        "实用新型",
        "外观设计",
        "权利要求",
        "新颖性",
        "创造性",
        "优先权",
        "PCT",
        "patent",
        "invention",
        "utility model",
        "design patent",
        "novelty",
        "inventive step",
        "prior art",
        "grace period",
        "claims",
        "examination",
    ),
    "trademark": ("商标", "驰名", "品牌", "商品名称", "trademark", "brand", "logo"),
    "copyright": (
        "著作权",
        "版权",
        "作品",
        "作者",
        "署名",
        "出版",
        "翻译",
        "小说",
        "论文",
        "copyright",
        "author",
    ),
    "competition": (
        "商业秘密",
        "不正当竞争",
        "虚假宣传",
        "商誉",
        "混淆",
        "仿冒",
        "客户名单",
        "诋毁",
        "包装装潢",
        "trade secret",
        "unfair competition",
    ),
    "software": ("软件", "software", "computer program"),
    "plant": ("植物新品种", "plant variet"),
    "layout": ("集成电路", "布图", "layout-design", "integrated circuit"),
    "ip": ("惩罚性赔偿", "知识产权", "punitive", "intellectual property"),
}
# English IP terms CC-CEDICT lacks or gives other senses for → the Chinese legal term
GLOSSARY: dict[str, str] = {
    "utility model": "实用新型",
    "design patent": "外观设计",
    "industrial design": "外观设计",
    "invention": "发明",
    "patent": "专利",
    "trademark": "商标",
    "copyright": "著作权",
    "trade secret": "商业秘密",
    "unfair competition": "不正当竞争",
    "software": "软件",
    "novelty": "新颖性",
    "inventive": "创造性",
    "priority": "优先权",
    "claims": "权利要求",
    "description": "说明书",
    "annual fee": "年费",
    "application": "申请",
    "applicant": "申请人",
    "commissioned": "委托",
    "license": "许可",
    "licence": "许可",
    "assign": "转让",
    "transfer": "转让",
    "well-known": "驰名",
    "registered": "注册",
    "registration": "注册",
    "cancel": "撤销",
    "cancelled": "撤销",
    "revoke": "撤销",
    "author": "作者",
    "work": "作品",
    "fair use": "合理使用",
    "exhibition": "展览会",
    "filing": "申请",
    "documents": "文件",
    "grace period": "不丧失新颖性",
    "compulsory license": "强制许可",
    "opposition": "异议",
    "examination": "审查",
    "foreign": "外国",
}
FOREIGN = (
    "美国",
    "欧洲",
    "欧盟",
    "日本",
    "韩国",
    "德国",
    "英国",
    "法国",
    "印度",
    "俄罗斯",
    "澳大利亚",
    "加拿大",
    "新加坡",
    "337",
    "us ",
    "u.s.",
    "usa",
    "united states",
    "american",
    "europe",
    "european",
    "epo",
    "uspto",
    "japan",
    "korea",
    "germany",
    "british",
    "uk ",
    "gdpr",
)
CHINA = ("中国", "我国", "国内", "china", "chinese", "prc")
_EN_WORD = re.compile(r"[a-z][a-z'-]*")


@dataclass
class Question:
    """A question as the knowledge retriever reads it."""

    text: str
    lang: str
    content: str
    terms: dict[str, float] = field(default_factory=dict)  # index token → weight
    expansions: list[str] = field(
        default_factory=list
    )  # legal terms added (shown, and for the answer sentence)
    subjects: set[str] = field(default_factory=set)
    foreign: bool = False


def _has(text: str, low: str, cue: str) -> bool:
    """Whether a cue (Chinese substring, or English word/phrase) is in the question."""
    if has_han(cue) or not cue.isascii():
        return cue in text
    return re.search(rf"(?<![a-z]){re.escape(cue.lower())}", low) is not None


def understand(question: str, content: str, known: Callable[[str], bool] | None = None) -> Question:
    """The question's weighted terms, legal-term expansions, subjects and jurisdiction; ``known``
    says whether a (translated) word occurs in the knowledge passages."""
    lang = "zh" if has_han(question) else "en"
    low = f" {question.lower()} "
    q = Question(text=question, lang=lang, content=content)
    for tok in index_tokens(content, lang, subwords=True):
        q.terms[tok] = 1.0
    for cues, legal in THESAURUS:
        if any(_has(question, low, c) for c in cues):
            for term in legal:
                if term not in q.expansions:
                    q.expansions.append(term)
                for tok in index_tokens(term, "zh", subwords=True):
                    q.terms.setdefault(tok, EXPANSION_WEIGHT)
    if lang == "en":
        for word, weight in translate_english(content, known):
            for tok in index_tokens(word, "zh", subwords=True):
                q.terms[tok] = max(q.terms.get(tok, 0.0), weight)
    q.subjects = {s for s, cues in SUBJECT_WORDS.items() if any(_has(question, low, c) for c in cues)}
    q.foreign = any(_has(question, low, c) for c in FOREIGN) and not any(
        _has(question, low, c) for c in CHINA
    )
    return q


def translate_english(
    text: str, known: Callable[[str], bool] | None = None, *, senses: int = 2
) -> list[tuple[str, float]]:
    """(Chinese word, weight) for the English words of a text: :data:`GLOSSARY` terms weigh 1, else
    CC-CEDICT main senses :data:`TRANSLATION_WEIGHT`; longest word runs first; only words ``known``
    accepts."""
    from ipai.text.lexicon import lexicon

    lex = lexicon()
    words = _EN_WORD.findall(text.lower())
    out: list[tuple[str, float]] = []
    i = 0
    while i < len(words):
        for n in range(min(4, len(words) - i), 0, -1):
            phrase = " ".join(words[i : i + n])
            gloss = next((GLOSSARY[f] for f in _forms(phrase) if f in GLOSSARY), None) if n <= 2 else None
            found = (
                [gloss]
                if gloss
                else [w for w, g in lex.chinese(words[i : i + n]) if g.rank < senses and len(w) > 1]
            )
            found = [w for w in dict.fromkeys(found) if known is None or known(w)]
            if found:
                out += [(w, 1.0 if gloss else TRANSLATION_WEIGHT) for w in found[:3]]
                i += n
                break
        else:
            i += 1
    return out


def _forms(phrase: str) -> list[str]:
    """An English phrase and its last word without a plural or verb ending (patented → patent)."""
    out = [phrase]
    for end in ("s", "ed", "d", "ing"):
        if phrase.endswith(end) and len(phrase) > len(end) + 3:
            out.append(phrase[: -len(end)])
    return out
