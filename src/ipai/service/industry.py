"""Service use cases of the IP ↔ industry view (see ipai.analytics.industry)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ipai.errors import InputError, NotFound
from ipai.service.context import Feature

if TYPE_CHECKING:
    from ipai.analytics.industry import IndustryFiles


class IndustryService(Feature):
    """Landscapes and portraits by technology field / industry."""

    @property
    def industry_files(self) -> IndustryFiles:
        """Concordances and figures under ``<home>/industry/``."""
        from ipai.analytics.industry import IndustryFiles

        return IndustryFiles(self.settings.home)

    def industry_schemes(self) -> list[dict[str, Any]]:
        """The concordances available (built-in and loaded)."""
        return self.industry_files.schemes()

    def load_concordance(self, text: str, scheme: str) -> dict[str, Any]:
        """Validate and store a concordance CSV for ``scheme`` (replaces the previous one)."""
        return self.industry_files.save_concordance(text, scheme)

    def load_figures(self, text: str, scheme: str = "wipo35") -> dict[str, Any]:
        """Validate and store industry figures (industry_id, region, year, value, unit) for ``scheme``."""
        return self.industry_files.save_figures(text, scheme)

    def industry_view(
        self,
        query: str | None = None,
        *,
        applicant: str | None = None,
        scheme: str = "wipo35",
        region: str | None = None,
        year: int | None = None,
        limit: int = 25_000,
    ) -> dict[str, Any]:
        """Documents of a query (or of an applicant's portfolio) by target of ``scheme`` and year,
        joined with the loaded figures: patents, share, figure, patents per unit."""
        from ipai.analytics.industry import industry_view
        from ipai.search.query.parser import parse_query

        if applicant and applicant.strip():
            name = applicant.strip().replace('"', " ")
            query = f'pa:"{name}"'
        if not query or not query.strip():
            raise InputError("empty query", errors=[{"field": "q", "message": "empty"}], code="empty_query")
        if not 1 <= limit <= 200_000:
            raise InputError(
                "limit must be between 1 and 200000",
                errors=[{"field": "limit", "message": "out of range"}],
                code="range",
                params={"lo": 1, "hi": 200000},
            )
        files = self.industry_files
        con = files.concordance(scheme)
        ids, total = self.search_engine.match_ids(parse_query(query), limit=limit)
        facts = self.ctx.facts_cache.get(ids)
        if applicant and not facts:
            raise NotFound(
                f"no documents with applicant {applicant!r} in the store",
                code="no_applicant_docs",
                params={"name": applicant},
            )
        out = industry_view(facts, con, files.figures(scheme), region=region, year=year)
        return {"query": query, "applicant": applicant, "matched": total, **out}
