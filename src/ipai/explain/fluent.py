"""The fluent explanation: an LLM rewrites the extracted material in plain words, citing the
numbered passages ``[n]``; on any LLM failure, or an answer citing nothing or a passage that does
not exist, the extractive result stays and ``reason`` says why."""

from __future__ import annotations

import re
from typing import Any

from ipai.explain.explainer import material

CITE = re.compile(r"\[(\d{1,2})\]")
SYSTEM = {
    "en": (
        "You explain a patent to a non-specialist. Use ONLY the numbered passages given; cite each statement "
        "with its passage number in square brackets, like [1]. Cover, in short plain sentences: the technical "
        "problem, the solution, the effects, the scope of the main claim, and what a competitor would have to "
        "avoid (leaving out any one feature of the main claim). Answer in English."
    ),
    "zh": (
        "你要向非专业人士通俗地解读一件专利。只能依据给出的编号段落，每句话用方括号标注依据的段落编号，例如 [1]。"
        "用简短的中文依次说明：技术问题、技术方案、技术效果、主权利要求的保护范围，以及竞争者需要规避什么"
        "（缺少主权利要求的任意一项特征即可避开字面侵权）。"
    ),
}


def messages(res: dict[str, Any], ui: str) -> list[dict[str, str]]:
    """The chat prompt: instructions and the numbered material."""
    block = "\n".join(f"[{m['n']}] ({m['role']}; {m['where']}) {m['text']}" for m in material(res))
    head = "专利" if ui == "zh" else "Patent"
    return [
        {"role": "system", "content": SYSTEM[ui]},
        {"role": "user", "content": f"{head}: {res['pubno']} {res['title']}\n\n{block}"},
    ]


def fluent(settings: Any, res: dict[str, Any], ui: str = "en") -> dict[str, Any]:
    """``res`` with ``mode`` llm and a cited ``fluent`` text, or unchanged with ``reason``."""
    from ipai.llm import LlmError, chat

    mat = material(res)
    if not mat:
        return {**res, "reason": "LLM not used: nothing was extracted to explain"}
    try:
        reply = chat(settings, messages(res, ui))
    except LlmError as exc:
        return {**res, "reason": f"LLM not used: {exc.message}"}
    cited = [int(n) for n in CITE.findall(reply.text)]
    bad = sorted({n for n in cited if not 1 <= n <= len(mat)})
    if not cited or bad:
        why = (
            f"the LLM answer cited passages that do not exist ({', '.join(map(str, bad))})"
            if bad
            else "the LLM answer cited no passage"
        )
        return {**res, "reason": f"LLM answer not used: {why}"}
    return {
        **res,
        "mode": "llm",
        "fluent": reply.text,
        "material": mat,
        "reason": None,
        "llm": {"model": reply.model, "seconds": reply.seconds, "cited": sorted(set(cited)), "lang": ui},
    }
