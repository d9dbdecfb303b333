"""Service use cases of legal status (法律状态) and families (同族): a document's status and family,
``status:``/``family:`` query clauses resolved for a day, search hits annotated with their status,
and results collapsed to one row per family (``Service.status``).

Every method takes ``today`` (the service reads the clock only when it is not given), so the
status a test or a scenario sees is reproducible."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from ipai.errors import InputError, IpaiError
from ipai.service.context import Feature

if TYPE_CHECKING:
    from ipai.search.results import Results
    from ipai.status import LegalStatus

COLLAPSE = ("family",)
COLLAPSE_DEPTH = 4  # a collapsed page looks at this many results per row it shows
MAX_MEMBERS = 50  # family members listed per document or row
_MEMBER_FIELDS = (
    "id",
    "pubno",
    "titles",
    "doc_type",
    "family_id",
    "family_members",
    "family_size",
    "priorities",
    "application",
    "filing_date",
    "grant_date",
    "priority_date",
    "publication_date",
    "legal_events",
    "designated_states",
    "term_extension_days",
)


def day(today: dt.date | str | None, pinned: str | None = None) -> dt.date:
    """The day a status is computed for: ``today`` as given (a date or ISO text), else the
    ``status_date`` setting (``pinned``), else the clock."""
    if today is None:
        today = pinned
    if today is None:
        return dt.date.today()
    if isinstance(today, dt.date):
        return today
    try:
        return dt.date.fromisoformat(str(today))
    except ValueError:
        raise InputError(
            f"today: {today!r} is not a date (YYYY-MM-DD)",
            errors=[{"field": "today", "message": "not a date"}],
        ) from None


def _pubno_text(pn: Any) -> str:
    pn = pn or {}
    return f"{pn.get('country', '')}{pn.get('number', '')}{pn.get('kind') or ''}"


class StatusService(Feature):
    """Legal status and families over the store and the search index."""

    def day(self, today: dt.date | str | None) -> dt.date:
        """The day a status is computed for (see :func:`day`; the ``status_date`` setting pins it)."""
        return day(today, self.settings.status_date)

    # ---- query clauses ----------------------------------------------------------------------------
    def resolve_query(self, node: Any, today: dt.date | str | None = None) -> Any:
        """``node`` with ``status:`` clauses for ``today`` and ``family:`` clauses for the store."""
        from ipai.status.query import resolve

        return resolve(node, self.day(today), self._family_tokens_of)

    def _family_tokens_of(self, value: str) -> list[str] | None:
        from ipai.model import try_parse_pubno
        from ipai.status import family_tokens

        pn = try_parse_pubno(value)
        if pn is None:
            return None
        try:
            doc = self.ctx.resolve(value)
        except IpaiError:
            return None
        return family_tokens(doc)

    # ---- one document -----------------------------------------------------------------------------
    def legal_status(self, number: str, *, today: dt.date | str | None = None) -> dict[str, Any]:
        """The legal status of a stored document (JSON, both languages) and its family."""
        doc = self.ctx.resolve(number)
        return {
            "id": doc.id,
            "legal_status": self.status_of(doc, today).to_dict(),
            "family": self.family_of(doc, today=today),
        }

    def status_of(self, doc: Any, today: dt.date | str | None = None) -> LegalStatus:
        """:func:`ipai.status.legal_status` of a document (model or fields) on ``today``."""
        from ipai.status import legal_status

        return legal_status(doc, self.day(today))

    def statuses(self, ids: list[str], today: dt.date | str | None = None) -> dict[str, LegalStatus]:
        """The legal status of each stored document among ``ids`` (one store read)."""
        from ipai.status import FIELDS, legal_status

        when = self.day(today)
        return {i: legal_status(f, when) for i, f in self.store.get_fields(list(ids), FIELDS).items()}

    def family_of(
        self, doc: Any, *, today: dt.date | str | None = None, limit: int = MAX_MEMBERS
    ) -> dict[str, Any]:
        """A document's family: its key, the stored members (each with its status) and the size
        its source gives. Members are found through the search index (documents sharing a family
        token); without an index, the members its source lists."""
        from ipai.status import family_key, family_tokens, group

        tokens = family_tokens(doc)
        ids, total = self._members(tokens, limit, doc)
        rows = self.store.get_fields([i for i in ids if i != doc.id], _MEMBER_FIELDS) if ids else {}
        items = [(doc.id, tokens)] + [(i, family_tokens(f)) for i, f in rows.items()]
        mine = next(g for g in group(items) if doc.id in g)
        members = [self._member(rows[i], self.day(today)) for i in mine if i != doc.id and i in rows]
        return {
            "key": family_key(doc),
            "members": members,
            "stored": max(total, len(members) + 1),
            "source_size": getattr(doc, "family_size", None),
        }

    def _members(self, tokens: list[str], limit: int, doc: Any) -> tuple[list[str], int]:
        """Stored documents sharing a family token with ``doc`` (at most ``limit`` besides it) and
        how many there are, itself included."""
        if not (self.settings.home / "index").exists():  # no index: the members the source lists
            listed = list(dict.fromkeys(getattr(doc, "family_members", None) or []))
            found = sorted(self.store.existing_ids(listed)) if listed else []
            return found[:limit], len(found) + 1
        if self.ctx._search is None:  # the engine not open (a command): read the index files alone
            from ipai.search.families import family_members

            read = family_members(self.settings, self.store, tokens, limit + 1)
            if read is not None:
                return sorted(read[0]), read[1]
        from ipai.search.query import ast as A

        node = (
            A.Or(0, tuple(A.Match(0, "fam", t) for t in tokens))
            if len(tokens) > 1
            else A.Match(0, "fam", tokens[0])
        )
        ids, total = self.search_engine.match_ids(node, limit=limit + 1)
        return sorted(ids), total

    @staticmethod
    def _member(f: dict[str, Any], when: dt.date) -> dict[str, Any]:
        from ipai.status import legal_status

        titles = f.get("titles") or {}
        return {
            "id": f.get("id"),
            "pubno": _pubno_text(f.get("pubno")),
            "title": titles.get("en") or next(iter(titles.values()), ""),
            "status": legal_status(f, when).to_dict(),
        }

    def statuses_of_fields(self, rows: dict[str, dict[str, Any]], today: Any = None) -> dict[str, Any]:
        """The legal status of documents whose fields (at least ipai.status.FIELDS) were read already."""
        from ipai.status import legal_status

        when = self.day(today)
        return {i: legal_status(f, when) for i, f in rows.items()}

    # ---- search results ---------------------------------------------------------------------------
    def annotate_hits(self, res: Results, today: dt.date | str | None = None) -> None:
        """Set each hit's ``status`` (JSON of its legal status)."""
        found = self.statuses([h.id for h in res.hits], today)
        for h in res.hits:
            if h.id in found:
                h.status = found[h.id].to_dict()

    def collapse_hits(
        self, res: Results, *, top: int, offset: int, today: dt.date | str | None = None
    ) -> None:
        """Collapse ranked hits to one row per family (the best-ranked member stands for it, the
        others are listed under ``family.members`` with their status); keeps rows
        ``offset … offset + top``."""
        from ipai.status import best_key, family_key, family_tokens, group

        rows = self.store.get_fields([h.id for h in res.hits], _MEMBER_FIELDS)
        by_id = {h.id: h for h in res.hits}
        groups = group((h.id, family_tokens(rows[h.id])) for h in res.hits if h.id in rows)
        when = self.day(today)
        kept = []
        for n, g in enumerate(groups[offset : offset + top], offset + 1):
            head = by_id[g[0]]
            head.rank = n
            members = [self._member(rows[i], when) for i in g[1:]]
            head.family = {
                "key": best_key(family_key(rows[i]) for i in g),
                "members": members,
                "shown": len(g),
                "source_size": rows[g[0]].get("family_size"),
            }
            kept.append(head)
        res.hits = kept
        res.families = len(groups)


def check_collapse(collapse: str | None) -> str | None:
    """``collapse`` checked: ``None``/empty or one of :data:`COLLAPSE`."""
    if collapse in (None, ""):
        return None
    if collapse not in COLLAPSE:
        raise InputError(
            f"collapse must be one of {', '.join(COLLAPSE)}",
            errors=[{"field": "collapse", "message": "unknown"}],
        )
    return collapse
