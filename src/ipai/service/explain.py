"""Service use cases of AI patent interpretation (专利AI解读)."""

from __future__ import annotations

from typing import Any

from ipai.errors import InputError
from ipai.service.context import Feature


def e5_similarity(cache_path: Any) -> Any:
    """(text, candidates) → cosines by multilingual e5 (passages cached by content), or None when
    the encoder cannot be loaded here."""
    import numpy as np

    from ipai.search.vector import e5

    if not e5.available():
        return None
    cache = e5.PassageCache(cache_path)

    def similarity(text: str, candidates: list[str]) -> Any:
        mat, _ = cache.vectors(candidates)
        return mat @ e5.encode_queries([text])[0] if len(candidates) else np.zeros(0)

    return similarity


class ExplainService(Feature):
    """Patent interpretation."""

    def explain(
        self, number: str, *, lang: str | None = None, ui_lang: str = "en", use_llm: bool = True
    ) -> dict[str, Any]:
        """The explanation of a stored document: extractive (quotes with locations, explained in
        ``ui_lang``), plus a fluent LLM version in ``ui_lang`` when an LLM is configured and
        ``use_llm``; ``reason`` / ``reason_text`` say why not."""
        from ipai.explain.explainer import explain
        from ipai.explain.messages import REASONS
        from ipai.llm import configured

        if ui_lang not in ("zh", "en"):
            raise InputError(
                "lang must be zh or en / lang 只能是 zh 或 en",
                errors=[{"field": "lang", "message": "zh or en"}],
            )
        doc = self.ctx.resolve(number)
        res = explain(doc, lang, similarity=e5_similarity(self.settings.encoder_cache_path))
        key = None
        if not (doc.abstracts or doc.claims or doc.description):
            key = "biblio_only"
        elif use_llm and configured(self.settings):
            from ipai.explain.fluent import fluent

            res = fluent(self.settings, res, ui_lang)
            if res.get("reason"):
                res["reason_text"] = {
                    ui: REASONS["llm_failed"][ui].format(why=res["reason"]) for ui in ("zh", "en")
                }
        elif use_llm:
            key = "no_llm"
        if key:
            res["reason"], res["reason_text"] = REASONS[key]["en"], dict(REASONS[key])
        return res
