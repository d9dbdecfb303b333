"""Finding the applicant a user means from a name typed in Chinese or English.

A typed name rarely equals a stored spelling: ``华为`` is stored as ``HUAWEI TECH CO LTD``, ``清华大学``
as ``UNIV TSINGHUA``, ``Samsung`` stands for several companies. :func:`search_clauses` gives the
applicant-field clauses that gather the candidate documents (the name's words; for a Chinese name its
characters and the pinyin of its distinctive part in the usual romanisations); :func:`candidates`
scores the stored spellings found there against the name and merges spellings of one entity
(:func:`ipai.analytics.entities.parties.org_labels`); :func:`decide` says whether one entity is meant
or the user must choose. Every candidate says how it matched (``name``, ``words``, ``some_words``,
``characters``, ``pinyin``); a match of only some words is offered, never taken.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Set
from dataclasses import dataclass, field
from typing import Any

from ipai.analytics.entities.keys import han_core, org_tokens
from ipai.text.chinese import has_han
from ipai.text.names import normalize_name

# Chinese words of organisation names that say what kind of body it is, not which one, with the
# tokens English spellings use for them (after ipai.analytics.entities.keys.ABBREVIATIONS)
HAN_GENERIC: dict[str, tuple[str, ...]] = {
    "大学": ("UNIV",),
    "学院": ("COLLEGE", "INST"),
    "研究院": ("INST", "RESEARCH", "ACADEMY"),
    "研究所": ("INST", "RESEARCH"),
    "研究中心": ("RESEARCH", "CENTER"),
    "科学院": ("ACADEMY", "SCIENCES"),
    "科技": ("TECH", "SCIENCE"),
    "技术": ("TECH",),
    "集团": ("GROUP",),
    "电子": ("ELECTRONICS", "ELECTRONIC"),
    "电器": ("ELECTRIC", "APPLIANCES"),
    "电气": ("ELECTRIC",),
    "医药": ("PHARM", "PHARMACEUTICAL", "MEDICINE"),
    "制药": ("PHARM", "PHARMACEUTICAL"),
    "生物": ("BIO", "BIOTECH"),
    "汽车": ("AUTOMOBILE", "AUTO", "MOTOR"),
    "通信": ("COMMUNICATION", "COMMUNICATIONS", "TELECOM"),
    "光电": ("OPTOELECTRONICS",),
    "控股": ("HOLDINGS",),
    "实业": ("INDUSTRIAL", "INDUSTRY"),
    "工业": ("INDUSTRIAL", "INDUSTRY"),
    "网络": ("NETWORK",),
    "软件": ("SOFTWARE",),
    "信息": ("INFORMATION", "INFO"),
    "智能": ("INTELLIGENT", "SMART"),
    "中国": ("CHINA",),
}
GENERIC_LATIN = frozenset(t for ts in HAN_GENERIC.values() for t in ts) | {"SCIENCES", "SCIENCE", "CENTER"}
# the initials older romanisations (Wade-Giles, postal) write differently from pinyin:
# 清华 Tsinghua, 北京 Peking, 中山 Chungshan, 香港 Hongkong stays
INITIALS: dict[str, tuple[str, ...]] = {
    "q": ("ts", "ch"),
    "x": ("hs", "s"),
    "zh": ("ch", "j"),
    "j": ("ch", "ts", "k"),
    "z": ("ts",),
    "c": ("ts",),
    "ch": (),
    "sh": (),
    "b": ("p",),
    "d": ("t",),
    "g": ("k",),
}
MAX_VARIANTS = 64
SCORES = {"name": 1.0, "words": 0.9, "characters": 0.8, "pinyin": 0.7, "some_words": 0.5}


@dataclass
class Candidate:
    """An applicant entity a typed name may mean: its label, stored spellings, documents, how it
    matched and how well (1 = the name itself)."""

    label: str
    names: list[str]
    documents: int
    via: str
    score: float
    spelling: str = ""  # the spelling with most documents: what a query names
    ids: set[str] = field(default_factory=set, repr=False)

    def to_json(self) -> dict[str, Any]:
        """The candidate as JSON (without its document ids)."""
        return {
            "label": self.label,
            "spelling": self.spelling,
            "names": self.names[:30],
            "documents": self.documents,
            "via": self.via,
            "score": round(self.score, 3),
        }


def _strip_generic(core: str) -> tuple[str, set[str]]:
    """A Chinese name core without its generic words (any position), and their English tokens."""
    tokens: set[str] = set()
    rest = core
    for word in sorted(HAN_GENERIC, key=len, reverse=True):
        if word in rest and len(rest) > len(word):
            rest = rest.replace(word, "")
            tokens.update(HAN_GENERIC[word])
    return rest or core, tokens


def pinyin_spellings(han: str) -> list[str]:
    """Upper-case Latin spellings of Chinese characters: pinyin and the older romanisations of its
    initials (``清华`` → ``QINGHUA``, ``TSINGHUA``, ``CHINGHUA`` …), at most :data:`MAX_VARIANTS`."""
    from pypinyin import lazy_pinyin

    options = []
    for syl in lazy_pinyin(han):
        if not syl.isascii() or not syl.isalpha():
            continue
        initial = next((i for i in sorted(INITIALS, key=len, reverse=True) if syl.startswith(i)), None)
        alts = [syl] + ([a + syl[len(initial) :] for a in INITIALS[initial]] if initial else [])
        options.append(alts)
    if not options:
        return []
    combos = itertools.islice(itertools.product(*options), MAX_VARIANTS)
    return list(dict.fromkeys("".join(p).upper() for p in combos))


def search_clauses(name: str) -> list[str]:
    """Applicant-field query clauses (to join with OR) that find the documents of every spelling
    :func:`candidates` may accept for ``name``."""
    name = " ".join(name.replace('"', " ").split())
    if not name:
        return []
    if has_han(name):
        core = han_core(normalize_name(name, kind="organisation"))
        distinct, _ = _strip_generic(core)
        out = [f'pa:"{core}"'] + ([f'pa:"{distinct}"'] if distinct != core else [])
        return out + [f"pa:{v}" for v in pinyin_spellings(distinct)]
    words = [w for w in org_tokens(name) if w.isalnum()]
    if not words:
        return [f'pa:"{name}"']
    some = [w for w in _distinctive(words) if len(w) >= 3] if len(words) > 1 else []
    return [f"pa:({' '.join(words)})"] + [f"pa:{w}" for w in some]


def _distinctive(words: list[str]) -> list[str]:
    """The words of a name that say which organisation it is (not UNIV, TECH, ELECTRIC …)."""
    return [w for w in words if w not in GENERIC_LATIN]


def match(name: str, stored: str) -> tuple[str, float] | None:
    """How the stored applicant spelling ``stored`` matches the typed ``name``: (way, score), or None."""
    if normalize_name(stored, kind="organisation") == normalize_name(name, kind="organisation"):
        return "name", SCORES["name"]
    if has_han(name):
        core = han_core(normalize_name(name, kind="organisation"))
        distinct, generic = _strip_generic(core)
        if has_han(stored):
            other = org_tokens(stored)[0]
            if other == core:
                return "characters", SCORES["characters"]
            return ("characters", SCORES["characters"] * 0.75) if distinct in other else None
        spellings = set(pinyin_spellings(distinct))
        toks = org_tokens(stored)
        own = [t for t in toks if t not in GENERIC_LATIN]
        if "".join(own) in spellings:  # the whole distinctive part: 清华大学 = UNIV TSINGHUA
            share = 1.0 if not generic or (set(toks) - set(own)) & generic or len(own) == len(toks) else 0.9
            return "pinyin", SCORES["pinyin"] * share
        if any(t in spellings for t in own):  # one word of a longer name: 清华 in SHENZHEN TSINGHUA …
            return "pinyin", SCORES["pinyin"] * 0.6
        return None
    want = [w for w in org_tokens(name) if w.isalnum()] or org_tokens(name)
    toks = org_tokens(stored)
    hits = [w for w in want if any(t == w or (len(w) >= 4 and t.startswith(w)) for t in toks)]
    if want and len(hits) == len(want):
        return "words", SCORES["words"] * len(want) / max(len(toks), len(want))
    own = _distinctive(want)  # some: Yaskawa Electric ~ KABUSHIKI KAISHA YASKAWA DENKI (offered, never taken)
    found = [w for w in own if w in hits]
    if found and 2 * len(found) >= len(own):
        return "some_words", SCORES["some_words"] * len(found) / max(len(toks), len(want))
    return None


def candidates(name: str, spellings: Mapping[str, Set[str]]) -> list[Candidate]:
    """The entities among stored applicant ``spellings`` (spelling → ids of its documents) that
    ``name`` may mean, best first (score, then documents)."""
    from ipai.analytics.entities.parties import org_labels

    matched = {s: m for s in spellings if (m := match(name, s))}
    if not matched:
        return []
    labels = org_labels(list(matched))
    groups: dict[str, list[str]] = {}
    for s in matched:
        groups.setdefault(labels.get(s, s), []).append(s)
    if has_han(name):  # the whole name in either script is one entity: 清华大学, UNIV TSINGHUA, UNIV QINGHUA
        whole = [label for label, names in groups.items() if any(_whole(*matched[s]) for s in names)]
        if len(whole) > 1:
            main = max(whole, key=lambda lb: (len(set().union(*(spellings[s] for s in groups[lb]))), lb))
            for lb in whole:
                if lb != main:
                    groups[main] += groups.pop(lb)
    out = []
    for label, names in groups.items():
        ids = set().union(*(spellings[s] for s in names))
        best = max(names, key=lambda s: matched[s][1])
        names.sort(key=lambda s: (-len(spellings[s]), s))
        out.append(
            Candidate(
                label=label,
                names=names,
                documents=len(ids),
                via=matched[best][0],
                score=matched[best][1],
                spelling=names[0],
                ids=ids,
            )
        )
    out.sort(key=lambda c: (-c.score, -c.documents, c.label))
    return out


def _whole(via: str, score: float) -> bool:
    """Whether a match is of the whole name (not of one word of a longer one)."""
    return score >= SCORES.get(via, 1.0)


def decide(found: list[Candidate]) -> str:
    """``found`` (one entity is meant: the only candidate, or the only one matching the whole name),
    ``ambiguous`` (the user chooses) or ``none``."""
    if not found:
        return "none"
    if found[0].via == "some_words":  # only some of the words: the user says whether it is the one
        return "ambiguous"
    if len(found) == 1:
        return "found"
    whole = [c for c in found if c.score >= SCORES["characters"] or _whole(c.via, c.score)]
    clear = len(whole) == 1 and whole[0] is found[0] and found[1].score < whole[0].score * 0.9
    return "found" if clear else "ambiguous"
