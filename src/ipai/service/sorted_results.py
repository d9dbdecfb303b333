"""The results page of a sorted search (:meth:`ipai.service.search_tools.SearchToolsService.search_sorted`).

Kept apart so that importing the service does not import the search engine."""

from __future__ import annotations

from dataclasses import fields

from ipai.search.results import Results


class SortedResults(Results):
    """:class:`Results` with the order they are in (``sort``) and how many documents were ordered
    (``sorted``; None for relevance). Not a dataclass of its own: ``asdict`` gives the fields of
    :class:`Results` only, and the faces add these two where they show them."""

    sort: str
    sorted: int | None

    @classmethod
    def of(cls, res: Results, sort: str, count: int | None) -> SortedResults:
        """``res`` (its fields, not copied) in the order ``sort``, ``count`` documents ordered."""
        out = cls(**{f.name: getattr(res, f.name) for f in fields(Results)})
        out.sort, out.sorted = sort, count
        return out
