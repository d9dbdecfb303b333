"""Where a sentence sits: the abstract, a claim, or a description paragraph in a named section
(background, summary, drawings, detailed), found from the description's headings."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ipai.model import PatentDocument

# heading → section; the first pattern that matches wins. ``problem``, ``means`` and ``effects`` are
# the parts of a summary that name what they hold (JP-style "Problems to be Solved", CN 技术问题 /
# 技术方案 / 有益效果, EP "Technisches Problem" / "Lösung"); ``field`` is the technical field.
_HEADINGS = [
    (
        "drawings",
        (
            r"brief description of (?:the )?(?:drawings?|figures?)|description of (?:the )?(?:drawings?|figures?)|"
            r"附图说明|kurze beschreibung der (?:zeichnungen|figuren)|brève description des dessins"
        ),
    ),
    (
        "detailed",
        (
            r"detailed description|description of (?:the )?(?:preferred |exemplary )?embodiments?|best mode|"
            r"mode\(?s?\)? for carrying out|examples?\b|具体实施方式|实施例|ausführungsbeispiel|"
            r"wege zur ausführung|description détaillée|industrial applicability|工业实用性"
        ),
    ),
    (
        "problem",
        (
            r"problems? (?:to be )?solved|problems? that the invention|technical problem|objects? of the invention|"
            r"技术问题|要解决的问题|发明目的|technisches problem|aufgabe|problème technique"
        ),
    ),
    (
        "effects",
        (
            r"(?:advantageous |beneficial )?effects? of the invention|advantageous effects?|advantages of the invention|"
            r"有益效果|发明效果|vorteilhafte wirkungen|vorteile der erfindung|effets avantageux"
        ),
    ),
    (
        "means",
        (
            r"means for solving|solution to (?:the )?problems?|solutions to the problems|technical solution|"
            r"技术方案|^lösung|solution technique"
        ),
    ),
    ("field", r"^(?:\d+\.\s*)?(?:technical field|field of|技术领域|technisches gebiet|domaine)"),
    (
        "background",
        (
            r"background|prior art|related art|description of (?:the )?related|"
            r"背景技术|stand der technik|état de la technique"
        ),
    ),
    (
        "summary",
        (
            r"summary|disclosure of (?:the )?invention|brief description of the invention|description of the invention|"
            r"发明内容|实用新型内容|"
            r"zusammenfassung|darstellung der erfindung|exposé de l'invention|résumé"
        ),
    ),
]
SECTIONS = ("field", "background", "problem", "means", "effects", "summary", "drawings", "detailed")
_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(\"“])|(?<=[。！？；])")
_FIG = re.compile(r"^\s*(?:FIGS?\.?|Figs?\.?|Figures?|Abb\.?|Abbildung|图)\s*\d", re.IGNORECASE)


@dataclass
class Sentence:
    """One sentence with its location (``abstract``, ``claim 1``, ``description [0012]``)."""

    text: str
    where: str
    source: str  # abstract | claim | description
    section: str | None = (
        None  # for description sentences: background | summary | drawings | detailed | early
    )
    index: int = 0  # sentence number within its source (0 = first)
    para: int = 0  # description paragraph position (0-based)


def heading_section(text: str) -> str | None:
    """The section a heading opens, or None."""
    low = text.lower().strip()
    for name, pat in _HEADINGS:
        if re.search(pat, low):
            return name
    return None


def split_sentences(text: str) -> list[str]:
    """Sentences of a text (Chinese and Western punctuation)."""
    return [s.strip() for s in _SENT.split(text or "") if s and len(s.strip()) > 3]


_TAIL = re.compile(
    r"[，,]\s*(?=(?:该方法|该系统|该装置|本方法|其)?(?:从而|进而|以便|以提高|使得|提高了|降低了|实现了|解决了|解决|有效(?:地)?|能够|可以)|"
    r"(?:thereby|so that|which (?:improves|reduces|allows|enables|prevents))\b)",
    re.IGNORECASE,
)


def tail_clause(sentence: str) -> str | None:
    """The clause that states a consequence at the end of a long sentence ("…，从而提高了效率。",
    "…, thereby reducing cost."), which can be quoted on its own, or None."""
    if len(sentence) < 60:
        return None
    m = None
    for m in _TAIL.finditer(sentence):  # noqa: B007 - the last match is wanted
        pass
    if m is None or m.start() < len(sentence) * 0.3 or len(sentence) - m.end() < 8:
        return None
    return sentence[m.end() :].strip()


def paragraph_sections(doc: PatentDocument) -> list[str | None]:
    """A section per description paragraph: from headings; without headings the first third is
    ``early`` and the rest ``detailed``; figure captions (``FIG. 1 is …``) count as ``drawings``."""
    paras = doc.description.paragraphs if doc.description else []
    out: list[str | None] = []
    has_headings = any(p.heading and heading_section(p.text) for p in paras)
    cur: str | None = "background" if has_headings else None
    for i, p in enumerate(paras):
        if p.heading:
            cur = heading_section(p.text) or cur
            out.append(None)
            continue
        sec = cur if has_headings else ("early" if i < max(3, len(paras) // 3) else "detailed")
        if _FIG.match(p.text) and sec != "detailed" and len(p.text) < 400:
            sec = "drawings"
        out.append(sec)
    return out


def doc_lang(doc: PatentDocument, lang: str | None = None) -> str:
    """The language explained: ``lang`` if the document has claims or an abstract in it, else the
    language of the first claims, else of the abstract, else of the description."""
    have = {c.lang for c in doc.claims} | set(doc.abstracts)
    if lang and lang in have:
        return lang
    if doc.lang and doc.lang in have:
        return doc.lang
    if doc.claims:
        return "en" if any(c.lang == "en" for c in doc.claims) else doc.claims[0].lang
    if doc.abstracts:
        return "en" if "en" in doc.abstracts else next(iter(doc.abstracts))
    return doc.description.lang if doc.description else "en"


def sentences(doc: PatentDocument, lang: str, *, max_paras: int = 400) -> list[Sentence]:
    """Every candidate sentence: the abstract, the independent claims (whole) and the description's
    background / summary / early paragraphs (when in ``lang``), each with its location."""
    out: list[Sentence] = []
    ab = doc.abstracts.get(lang, "")
    for i, s in enumerate(split_sentences(ab)):
        out.append(Sentence(s, "abstract", "abstract", index=i))
        tail = tail_clause(s)
        if tail:
            out.append(Sentence(tail, "abstract", "abstract", index=i + 1))
    for c in doc.claims_in(lang):
        if c.independent:
            out.append(
                Sentence(
                    re.sub(r"^\s*\d{1,3}\s*[.、．)]\s*", "", c.text.strip()),
                    f"claim {c.num}",
                    "claim",
                    index=c.num,
                )
            )
    desc = doc.description
    if desc and desc.lang == lang:
        secs = paragraph_sections(doc)
        for i, (p, sec) in enumerate(zip(desc.paragraphs[:max_paras], secs, strict=False)):
            if p.heading or sec in (None, "detailed", "drawings"):  # never candidates (see roles.py)
                continue
            where = f"description [{p.num}]" if p.num else f"description ¶{i + 1}"
            for j, s in enumerate(split_sentences(p.text)):
                out.append(Sentence(s, where, "description", section=sec, index=j, para=i))
                tail = tail_clause(s)
                if tail:
                    out.append(Sentence(tail, where, "description", section=sec, index=j, para=i))
    return out
