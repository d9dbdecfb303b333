"""The floor under meaning-only results.

When no document carries any word of a query (or its translations), the semantic list still has
nearest neighbours — for ``xyzzyqq`` as for ``鑫淼焱垚``. Two checks stand between them and the
searcher:

- a query none of whose words the corpus or the dictionary knows is gibberish: nothing is shown
  (``Plan.known``);
- otherwise the candidates are checked with the e5 encoder — the query (``query:``) against each
  candidate's invention passage (``passage:``, cached by content hash); static word vectors cannot
  tell nonsense from a real query (their best cosines overlap). The decision is the query's, taken
  on its best candidate: a query that reaches the floor (setting ``search_semantic_floor``,
  calibrated on nonsense and real queries, docs/search.md) keeps its semantic list, the checked
  candidates re-ordered by e5; one that does not shows nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from ipai.search.vector import e5
from ipai.settings import Settings
from ipai.store.ports import DocumentStore

VERIFY_TOP = 10  # semantic candidates checked


class Verifier:
    """Checks meaning-only candidates with e5; keys → document ids by ``doc_ids``."""

    def __init__(
        self, settings: Settings, store: DocumentStore, doc_ids: Callable[[list[int]], dict[int, str]]
    ) -> None:
        self.settings = settings
        self.store = store
        self.doc_ids = doc_ids

    @property
    def floor(self) -> float:
        """The similarity a meaning-only result must reach."""
        return self.settings.search_semantic_floor

    def __call__(self, text: str, keys: list[int], each: bool = False) -> dict[int, float]:
        """e5 similarities of the first :data:`VERIFY_TOP` candidates when the best one reaches
        the floor (``{}`` when none does: the query finds nothing); with ``each``, only the
        candidates that reach it themselves."""
        if not e5.available():
            return {}  # without the encoder nothing can vouch for a meaning-only result
        keys = keys[:VERIFY_TOP]
        ids = self.doc_ids(keys)
        docs = self.store.get_documents(list(ids.values()))
        pairs = [(k, e5.passage_text(docs[ids[k]])) for k in keys if k in ids and ids[k] in docs]
        pairs = [(k, t) for k, t in pairs if t.strip()]
        if not pairs:
            return {}
        cache = e5.PassageCache(self.settings.encoder_cache_path)
        mat, _ = cache.vectors([t for _, t in pairs])
        q = e5.encode_queries([text])[0]
        sims = mat @ q
        if float(sims.max()) < self.floor:
            return {}
        return {k: float(s) for (k, _), s in zip(pairs, sims, strict=False) if not each or s >= self.floor}
