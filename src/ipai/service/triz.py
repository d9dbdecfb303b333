"""Service use cases of the TRIZ assistant."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ipai.errors import InputError
from ipai.service.context import Feature, ServiceContext
from ipai.service.search import SearchService

if TYPE_CHECKING:
    from ipai.search.results import Results


class TrizService(Feature):
    """The TRIZ assistant."""

    def __init__(self, ctx: ServiceContext, searching: SearchService) -> None:
        super().__init__(ctx)
        self.searching = searching
        self._searched: dict[tuple[str, int, int], Results] = {}  # (query, top, documents) → results

    def _triz_data(self) -> Any:
        from ipai.triz.data import load

        return load(self.settings.triz_path)

    def triz_parameters(self) -> dict[str, Any]:
        """The 39 engineering parameters (names and explanations from both data sets)."""
        from ipai.triz.assistant import parameters

        return parameters(self._triz_data())

    def triz_compare(self, *, examples: int = 10) -> dict[str, Any]:
        """Where the two contradiction matrices differ."""
        from ipai.triz.assistant import compare

        return compare(self._triz_data(), examples=examples)

    def triz_suggest(self, text: str, *, top: int = 5) -> dict[str, Any]:
        """Improving / worsening parameter candidates for a contradiction described in zh or en."""
        from ipai.triz.assistant import suggest_parameters

        return suggest_parameters(
            self._triz_data(),
            text,
            self.search_engine.embed,
            top=top,
            encoder_key=str(self.settings.search_encoder),
        )

    def triz_examples(self, principle: int, query: str | None = None, *, top: int = 5) -> dict[str, Any]:
        """Example patents from the corpus for one inventive principle (and the user's problem)."""
        from ipai.triz.assistant import examples

        data = self._triz_data()
        if principle not in data.principles:
            raise InputError(
                f"principle: no principle {principle} (1-40)",
                errors=[{"field": "principle", "message": f"unknown principle {principle}"}],
            )
        if not 1 <= top <= 50:
            raise InputError(
                "top must be between 1 and 50",
                errors=[{"field": "top", "message": "out of range"}],
                code="range",
                params={"lo": 1, "hi": 50},
            )
        if self.store.count_documents() == 0:
            return {"principle": principle, "query": "", "patents": [], "note": "the corpus is empty"}
        return examples(
            self._triz_search, data.principles[principle], query, top=top, meaning=self._triz_meaning()
        )

    def _triz_search(self, query: str, top: int) -> Results:
        """The store searched once per query text: the problem's topic search serves every principle."""
        memo = self._searched
        key = (query, top, self.store.count_documents())
        if key not in memo:
            if len(memo) > 64:
                memo.clear()
            memo[key] = self.searching.search(query, top=top)
        return memo[key]

    def _triz_meaning(self) -> Any:
        """(queries, document ids) → e5 cosines of the documents' invention passages, or None."""
        import numpy as np

        from ipai.search.vector import e5

        if not e5.available():
            return None
        cache = e5.PassageCache(self.settings.encoder_cache_path)

        def meaning(queries: list[str], ids: list[str]) -> Any:
            docs = self.search_engine.documents(ids)
            texts = [e5.passage_text(docs[i]) if i in docs else "" for i in ids]
            mat, _ = cache.vectors(texts)
            return e5.encode_queries(queries) @ mat.T if ids else np.zeros((len(queries), 0))

        return meaning

    def triz(
        self,
        improving: int | str | None = None,
        worsening: int | str | None = None,
        *,
        text: str | None = None,
        matrix: str = "both",
        examples: bool = True,
        top_examples: int = 3,
    ) -> dict[str, Any]:
        """Inventive principles for a contradiction given as parameters or described in text
        (parameters then suggested), with explanations and example patents from the corpus."""
        from ipai.triz.assistant import principles

        data = self._triz_data()
        suggestion = None
        text = (text or "").strip() or None
        if improving in (None, "") or worsening in (None, ""):
            if text is None:
                missing = "improving" if improving in (None, "") else "worsening"
                raise InputError(
                    "give improving and worsening parameters, or describe the contradiction in text",
                    errors=[{"field": missing, "message": "missing"}],
                )
            suggestion = self.triz_suggest(text)
            pair = suggestion["pair"]
            improving = improving if improving not in (None, "") else pair["improving"]
            worsening = worsening if worsening not in (None, "") else pair["worsening"]
            if str(improving) == str(worsening):
                worsening = next(c["id"] for c in suggestion["worsening"] if str(c["id"]) != str(improving))
        out = principles(data, improving, worsening, matrix)
        out["suggestion"] = suggestion
        if examples:
            n = self.store.count_documents()
            for q in out["principles"]:
                q["patents"] = self.triz_examples(q["id"], text, top=top_examples)["patents"] if n else []
            out["corpus_documents"] = n
        return out
