"""A Q&A answer written for the reader of the page, whatever the language of the question: the
citation of a law in the reader's form (《专利法》第四十二条 / "Patent Law, Article 42"), the quoted
sentence and the passages marked as source text with their language, the note on how the answer
was made and a refusal from their codes (:mod:`ipai.qa.answer`)."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from ipai.qa.laws import KNOWN, law_of
from ipai.text.chinese import has_han
from ipai.web.i18n import Translator

REASONS = ("no_llm", "llm_failed", "llm_bad_cites", "llm_no_cites", "below_threshold")


def text_lang(text: str | None) -> str:
    """``zh`` for a text with Chinese characters, else ``en`` (the ``lang`` of a quoted passage)."""
    return "zh" if has_han(text or "") else "en"


def source(text: Any, lang: str | None = None) -> Markup:
    """Source text (a law's name, a title, a passage) as an element marked ``data-source``."""
    lang = lang or text_lang(str(text))
    return Markup('<span data-source lang="{}">{}</span>').format(lang, text)


def law_cite(c: dict[str, Any], lang: str, *, original: bool = True) -> Markup:
    """How the page names a cited article: 《专利代理条例》第三条 on a Chinese page; on an English
    page the law's English name when :data:`ipai.qa.laws.KNOWN` has one ("Regulations on Patent
    Agency, Article 3", with the Chinese citation after it as source text unless ``original`` is
    false), else the Chinese citation as source text."""
    cite = c.get("cite") or c.get("label") or ""
    if lang == "zh":
        return escape(cite)
    if c.get("law") in KNOWN and c.get("cite_en"):
        return (
            Markup("{} ({})").format(c["cite_en"], source(cite, "zh")) if original else escape(c["cite_en"])
        )
    return source(cite, "zh")


def where(c: dict[str, Any], where_label: Any) -> Markup:
    """A citation's place: a patent's part in the reader's language (``权利要求 3``); a knowledge
    document's headings (its own words) as source text."""
    if c.get("source") == "patent":
        return escape(where_label(c.get("where") or ""))
    return source(c.get("where") or "")


def lead(a: dict[str, Any], lang: str) -> Markup | None:
    """The answer's first line in the reader's language: the sentence(s) that answer, quoted, with
    their citation; None when the answer quotes nothing."""
    q, cites = a.get("quote"), a.get("citations") or []
    if not q or not cites:
        return None
    t, c = Translator(lang), cites[0]
    quote = source(q.get("text") or "")
    if c.get("law"):
        return Markup(escape(t.messages["qa.lead.law"])).format(
            cite=law_cite(c, lang, original=False), quote=quote
        )
    place = (c.get("where") or "").split(" (¶")[0]
    cite = source(c.get("title") or "")
    if place and not place.startswith("¶"):
        cite = Markup("{} ({})").format(cite, source(place))
    return Markup(escape(t.messages["qa.lead.doc"])).format(cite=cite, quote=quote)


def reason(a: dict[str, Any], lang: str) -> str | None:
    """Why no language model wrote the answer, in the reader's language (None when one did)."""
    if not a.get("reason"):
        return None
    t = Translator(lang)
    code = a.get("reason_code")
    if code is None and str(a["reason"]).startswith("no LLM configured"):  # kept before the codes
        code = "no_llm"
    if code not in REASONS:
        return t("qa.reason.other")
    return (
        t(f"qa.reason.{code}", **(a.get("reason_params") or {}))
        if code == "llm_bad_cites"
        else t(f"qa.reason.{code}")
    )


def refusal(a: dict[str, Any], lang: str) -> str:
    """A refusal in the reader's language, with the best evidence and the threshold it missed."""
    if a.get("threshold") is None:  # kept before the threshold was recorded
        return str(a.get("answer") or "")
    score, threshold = f"{a.get('confidence') or 0:.2f}", f"{a['threshold']:.2f}"
    return Translator(lang)("qa.refused.text", score=score, threshold=threshold)


def doc_title(title: str, lang: str) -> Markup:
    """A knowledge document's title (its own words, as source text); on an English page a law with
    an English name in :data:`ipai.qa.laws.KNOWN` is named in English first."""
    law = law_of(title)
    if lang == "en" and law.name in KNOWN and has_han(title):
        return Markup("{} ({})").format(law.english, source(title, "zh"))
    return source(title)


def files_hint(lang: str) -> Markup:
    """Which files the knowledge form takes, the extensions and the PDF package written as code."""
    t = Translator(lang)
    code = lambda x: Markup("<code>{}</code>").format(x)  # noqa: E731
    exts = Markup("、" if lang == "zh" else ", ").join(code(e) for e in (".txt", ".md", ".html"))
    return Markup(escape(t.messages["qa.documents.hint"])).format(
        exts=exts, pdf=code(".pdf"), pypdf=code("pypdf")
    )


def helpers(lang: str) -> dict[str, Any]:
    """What ``qa.html`` and ``qa_document.html`` call, for a page in ``lang``."""
    return {
        "law_cite": lambda c: law_cite(c, lang),
        "lead": lambda a: lead(a, lang),
        "reason": lambda a: reason(a, lang),
        "refusal": lambda a: refusal(a, lang),
        "doc_title": lambda title: doc_title(title, lang),
        "files_hint": lambda: files_hint(lang),
        "source": source,
        "cite_where": where,
        "text_lang": text_lang,
    }
