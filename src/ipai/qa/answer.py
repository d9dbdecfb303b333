"""Answers from evidence: the retrieval answer (the best passages, numbered and cited), a refusal
when the best evidence is below :data:`REFUSE_BELOW`, and, with an LLM configured, a written
answer that must cite the numbered passages (``[1]``); any LLM failure or an answer that cites no
existing passage keeps the retrieval answer and says why.
"""

from __future__ import annotations

import re
from typing import Any

from ipai.qa.retrieve import REFUSE_BELOW, Evidence, lang_of

__all__ = ["REFUSE_BELOW", "llm_answer", "refused", "retrieval_answer"]
CITE = re.compile(r"\[(\d{1,2})\]")

SYSTEM = {
    "en": (
        "You answer questions for a patent information service. Use ONLY the numbered passages given. "
        "Cite every statement with the passage number in square brackets, like [1] or [2][3]. If the "
        "passages do not answer the question, say so plainly. Answer in English, briefly."
    ),
    "zh": (
        "你是专利信息服务的问答助手。只能依据给出的编号段落回答，每句话都要用方括号标注所依据的段落编号，例如 [1] 或 [2][3]。"
        "如果段落不能回答问题，请直接说明。请用中文简洁回答。"
    ),
}
MESSAGES = {
    "refused": {
        "en": "I found nothing in the loaded patents or documents that answers this question "
        "(best evidence {score:.2f} < {threshold:.2f}). Try other words, or load a document that covers it.",
        "zh": "在已加载的专利和文档中没有找到能回答这个问题的内容（最佳证据 {score:.2f} < {threshold:.2f}）。"
        "请换个说法，或加载相关文档。",
    },
    "retrieval": {"en": "The most relevant passages:", "zh": "最相关的段落："},
    "law": {"en": "Under the {cite} (quoted in Chinese): “{quote}”", "zh": "依据{cite}：“{quote}”"},
    "doc": {"en": "According to {cite}: “{quote}”", "zh": "根据{cite}：“{quote}”"},
    "related": {"en": "Sources:", "zh": "出处："},
}


def label(ev: Evidence, lang: str) -> str:
    """How a citation is named to the reader: 《专利法》第四十二条 / Patent Law, Article 42 (《专利法》第四十二条),
    a document's title and place, or a patent's number and title."""
    if ev.law:
        return ev.cite if lang == "zh" else f"{ev.cite_en} ({ev.cite})"
    if ev.source == "doc":
        where = ev.where.split(" (¶")[0]
        return f"{ev.title} ({where})" if where and not where.startswith("¶") else ev.title
    return f"{ev.id} {ev.title}"


def lead(ev: Evidence, lang: str) -> str:
    """The answer's first line: the quoted sentence(s) that answer, with their citation."""
    kind = "law" if ev.law else "doc"
    return MESSAGES[kind][lang].format(
        cite=ev.cite_en if ev.law and lang == "en" else label(ev, lang), quote=ev.quote
    )


def citation(ev: Evidence, n: int) -> dict[str, Any]:
    """A numbered citation: ``{n, source, id, title, passage, where, score, url, label, label_en}``."""
    url = f"/doc/{ev.id}" if ev.source == "patent" else f"/qa/documents/{ev.id}"
    return {"n": n, **ev.to_json(), "url": url, "label": label(ev, "zh"), "label_en": label(ev, "en")}


def refused(question: str, content: str, evidence: list[Evidence], threshold: float) -> dict[str, Any]:
    lang = lang_of(question)
    best = evidence[0].score if evidence else 0.0
    return {
        "question": question,
        "content": content,
        "mode": "refused",
        "refused": True,
        "answer": MESSAGES["refused"][lang].format(score=best, threshold=threshold),
        "citations": [],
        "near_misses": [citation(e, i) for i, e in enumerate(evidence[:3], 1)],
        "confidence": round(best, 4),
        "threshold": round(threshold, 4),
        "reason": "no passage reaches the relevance threshold",
        "reason_code": "below_threshold",
        "llm": None,
    }


def retrieval_answer(
    question: str,
    content: str,
    evidence: list[Evidence],
    *,
    cite: int = 3,
    reason: str | None = None,
    reason_code: str | None = None,
    reason_params: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The deterministic answer: for a knowledge passage the sentence(s) that answer, quoted with
    their citation (《专利法》第四十二条; in English "Under the Patent Law, Article 42 (quoted in
    Chinese): …"), then the numbered sources; for patents the best passages. ``reason`` says why
    no LLM wrote it (English), ``reason_code`` and ``reason_params`` the same for any reader's language
    (``no_llm``, ``llm_failed``, ``llm_bad_cites`` with ``passages``, ``llm_no_cites``)."""
    lang = lang_of(question)
    cites = [citation(e, i) for i, e in enumerate(evidence[:cite], 1)]
    top = evidence[0]
    quote = None
    if top.source == "doc" and top.quote:
        quote = {"n": 1, "text": top.quote, "cite": label(top, lang)}
        lines = [lead(top, lang), "", MESSAGES["related"][lang]]
        for c, e in zip(cites, evidence, strict=False):
            first = e.passage.split("\n")[0]
            lines.append(f"[{c['n']}] {label(e, lang)}: {first if len(first) <= 120 else first[:120] + '…'}")
    else:
        lines = [MESSAGES["retrieval"][lang]]
        for c in cites:
            lines.append(f"[{c['n']}] {c['passage']} — {c['title']} ({c['where']})")
    return {
        "question": question,
        "content": content,
        "mode": "retrieval",
        "refused": False,
        "answer": "\n".join(lines),
        "quote": quote,
        "citations": cites,
        "confidence": round(top.score, 4),
        "reason": reason,
        "reason_code": reason_code,
        "reason_params": reason_params or {},
        "llm": None,
    }


def llm_messages(
    question: str, evidence: list[Evidence], history: list[dict[str, Any]]
) -> list[dict[str, str]]:
    """The chat prompt: instructions, the last turns of the session, the numbered passages, the question."""
    lang = lang_of(question)
    msgs = [{"role": "system", "content": SYSTEM[lang]}]
    for turn in history[-3:]:
        msgs.append({"role": "user", "content": turn["question"]})
        msgs.append({"role": "assistant", "content": str(turn["answer"].get("answer", ""))[:1500]})
    block = "\n\n".join(
        f"[{i}] ({label(e, lang)}; {e.where})\n{e.passage}" for i, e in enumerate(evidence, 1)
    )
    head = "段落：" if lang == "zh" else "Passages:"
    q = "问题：" if lang == "zh" else "Question:"
    msgs.append({"role": "user", "content": f"{head}\n{block}\n\n{q} {question}"})
    return msgs


def llm_answer(
    settings: Any, question: str, content: str, evidence: list[Evidence], history: list[dict[str, Any]]
) -> dict[str, Any]:
    """An LLM-written answer citing the passages; the retrieval answer (with the reason) if the
    endpoint fails or the answer cites no passage that exists."""
    from ipai.llm import LlmError, chat

    try:
        reply = chat(settings, llm_messages(question, evidence, history))
    except LlmError as exc:
        return retrieval_answer(
            question, content, evidence, reason=f"LLM not used: {exc.message}", reason_code="llm_failed"
        )
    cited = [int(n) for n in CITE.findall(reply.text)]
    bad = sorted({n for n in cited if not 1 <= n <= len(evidence)})
    if not cited or bad:
        why = (
            f"the LLM answer cited passages that do not exist ({', '.join(map(str, bad))})"
            if bad
            else "the LLM answer cited no passage"
        )
        return retrieval_answer(
            question,
            content,
            evidence,
            reason=f"LLM answer not used: {why}",
            reason_code="llm_bad_cites" if bad else "llm_no_cites",
            reason_params={"passages": ", ".join(map(str, bad))},
        )
    used = sorted(set(cited))
    cites = [citation(e, i) | {"cited": i in used} for i, e in enumerate(evidence, 1)]
    return {
        "question": question,
        "content": content,
        "mode": "llm",
        "refused": False,
        "answer": reply.text,
        "citations": cites,
        "confidence": round(evidence[0].score, 4),
        "reason": None,
        "llm": {"model": reply.model, "seconds": reply.seconds, "cited": used},
    }
