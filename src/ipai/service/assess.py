"""Service use case of the patentability assessment (see docs/assess.md; ``Service.assessment``)."""

from __future__ import annotations

from typing import Any

from ipai.service.classify import ClassifyService
from ipai.service.context import Feature, ServiceContext


class AssessService(Feature):
    """Patentability reports over the search index, with suggested classes when a model is trained."""

    def __init__(self, ctx: ServiceContext, classifier: ClassifyService) -> None:
        super().__init__(ctx)
        self.classifier = classifier

    def assess(
        self,
        text: str,
        *,
        top: int = 10,
        query: str | None = None,
        cross_lingual: bool = True,
        as_disclosure: bool = False,
        lang: str | None = None,
    ) -> dict[str, Any]:
        """Patentability report for a disclosure or claim (see docs/assess.md); ``as_disclosure``
        reads the text as prose even when it looks like a claim (the drafter's input); ``lang``
        (en, zh) is the reader's language of reasons and errors (default: the text's)."""
        from ipai.assess.report import assess_text

        self.search_engine.ensure_fresh()
        return assess_text(
            self.search_engine,
            text,
            top=top,
            query=query,
            classify=self.classifier.classes_or_none,
            cross_lingual=cross_lingual,
            as_disclosure=as_disclosure,
            lang=lang,
        )
