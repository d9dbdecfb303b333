"""Service use cases of AI patent interpretation (专利AI解读)."""

from __future__ import annotations

from typing import Any

from ipai.errors import InputError


class ExplainMixin:
    """Patent interpretation (mixed into :class:`ipai.service.Service`)."""

    settings: Any

    def explain(self, number: str, *, lang: str | None = None, ui_lang: str = "en",
                use_llm: bool = True) -> dict[str, Any]:
        """The explanation of a stored document: extractive (quotes with locations), plus a fluent
        LLM version in ``ui_lang`` when an LLM is configured and ``use_llm``; ``reason`` says why not."""
        from ipai.explain.explainer import explain
        from ipai.llm import configured

        if ui_lang not in ("zh", "en"):
            raise InputError("lang must be zh or en", errors=[{"field": "lang", "message": "zh or en"}])
        doc = self.resolve(number)  # type: ignore[attr-defined]
        res = explain(doc, lang)
        if not (doc.abstracts or doc.claims or doc.description):
            res["reason"] = "the store holds only bibliographic data of this document: nothing to explain"
        elif use_llm and configured(self.settings):
            from ipai.explain.fluent import fluent

            res = fluent(self.settings, res, ui_lang)
        elif use_llm:
            res["reason"] = "no LLM configured: the extractive explanation is shown"
        return res
