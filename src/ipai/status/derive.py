"""The normalised legal status (法律状态) of a document, from its legal events, else its kind code.

:func:`legal_status` reads the events dated up to ``today`` in date order (:mod:`ipai.status.codes`
gives each its effect) and keeps the status they leave:

- a grant makes the right ``in_force``; lapse, expiry, revocation, withdrawal or refusal end it,
  a re-establishment revives it; an opposition or review is a note until decided;
- a regional (EP) patent is followed state by state: it has ``lapsed`` when every designated
  state it is known in has lapsed, and stays ``in_force`` while any state remains;
- without events that decide anything (``basis: "kind-code"``) a grant publication is ``granted``
  (granted, maintenance unknown) and an application publication ``pending``;
- any right still alive whose term (:mod:`ipai.status.term`) ended before ``today`` is ``expired``.

``today`` is always passed in (never read from the clock here), so a status is reproducible.
:func:`phase` is the status with every event and no date: what the search index stores beside the
expiry date, so that ``status:`` filters can apply any ``today`` at query time.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from ipai.status import codes as C
from ipai.status.term import Term, add_years, term_of
from ipai.status.texts import BASIS, EFFECTS, LABELS, LANGS, NOTES, REASONS, START, text

STATUSES = ("pending", "granted", "in_force", "lapsed", "expired", "withdrawn", "refused", "revoked")
ALIVE = ("pending", "granted", "in_force")
DEAD = ("lapsed", "expired", "withdrawn", "refused", "revoked")
FIELDS = (
    "pubno",
    "doc_type",
    "filing_date",
    "application",
    "grant_date",
    "priority_date",
    "priorities",
    "publication_date",
    "legal_events",
    "designated_states",
    "term_extension_days",
)
_GRANT_KINDS = ("patent", "utility_model", "design", "plant", "reissue")
_END = {
    C.WITHDRAWN: "withdrawn",
    C.WITHDRAWN_ISSUE: "withdrawn",
    C.REFUSED: "refused",
    C.LAPSED: "lapsed",
    C.EXPIRED: "expired",
    C.REVOKED: "revoked",
}
_STATES = re.compile(r"\b[A-Z]{2}\b")
PCT_MONTHS = 30


@dataclass(frozen=True)
class LegalStatus:
    """A document's legal status: ``status`` (one of :data:`STATUSES`) since ``since``, from
    ``basis`` (``events`` or ``kind-code``), the ``expiry`` of its term, the ``reason`` (a key of
    :data:`ipai.status.texts.REASONS` filled with ``args``), the designated ``states`` of a regional
    patent (``in_force``/``lapsed`` lists) and ``notes`` (keys of :data:`ipai.status.texts.NOTES`)."""

    status: str
    basis: str
    since: dt.date | None
    expiry: dt.date | None
    reason: str
    args: dict[str, Any] = field(default_factory=dict)
    states: dict[str, list[str]] | None = None
    notes: tuple[str, ...] = ()
    term: Term = field(default_factory=lambda: Term(None))

    @property
    def alive(self) -> bool:
        """True while the right exists or may still come to exist."""
        return self.status in ALIVE

    def label(self, lang: str = "en") -> str:
        """The status in ``lang`` (zh: 审中, 已授权, 有效, 失效, 届满, 撤回, 驳回, 无效)."""
        return text(LABELS, self.status, lang)

    def reason_text(self, lang: str = "en") -> str:
        """Why, in ``lang``."""
        return _reason(self.reason, self.args, lang)

    def reason_source(self) -> str | None:
        """The source's own words the reason quotes (a legal event's description), if any."""
        a = self.args.get("inner_args", {}) if self.reason == "member" else self.args
        return (a.get("description") or None) if isinstance(a, dict) else None

    def note_texts(self, lang: str = "en") -> list[str]:
        """The notes in ``lang``."""
        return [text(NOTES, n, lang, days=self.term.extension_days) for n in self.notes]

    def to_dict(self) -> dict[str, Any]:
        """JSON: codes, dates and every text in both languages."""
        return {
            "status": self.status,
            "label": {lg: self.label(lg) for lg in LANGS},
            "basis": self.basis,
            "basis_label": {lg: text(BASIS, self.basis, lg) for lg in LANGS},
            "since": _iso(self.since),
            "expiry": _iso(self.expiry),
            "alive": self.alive,
            "reason": {lg: self.reason_text(lg) for lg in LANGS},
            "reason_code": self.reason,
            "reason_source": self.reason_source(),
            "states": self.states,
            "notes": [
                {
                    "code": n,
                    **{
                        lg: t
                        for lg, t in zip(
                            LANGS,
                            (text(NOTES, n, lg, days=self.term.extension_days) for lg in LANGS),
                            strict=False,
                        )
                    },
                }
                for n in self.notes
            ],
            "term": {
                "years": self.term.years,
                "start": self.term.start,
                "start_date": _iso(self.term.start_date),
                "extension_days": self.term.extension_days,
                "estimated": self.term.estimated,
            },
        }


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def _reason(key: str, args: dict[str, Any], lang: str) -> str:
    a = dict(args)
    if key == "member":
        inner = _reason(a.get("inner", ""), a.get("inner_args", {}), lang)
        return text(REASONS, key, lang, reason=inner, member=a.get("member", ""))
    if "effect" in a:
        a["effect"] = text(EFFECTS, a["effect"], lang)
    if key == "event":
        desc = a.get("description") or ""
        a["desc"] = f" ({desc})" if desc and lang == "en" else (f"（{desc}）" if desc else "")
        a["date"] = a.get("date") or "?"
    if key == "term-ended":
        a["start"] = text(START, a.get("start") or "filing", lang)
    if key == "some-states":
        a["alive"] = " ".join(a.get("alive") or [])
    return text(REASONS, key, lang, **a) if key in REASONS else key


# ---- reading the fields ---------------------------------------------------------------------------
def _date(v: Any) -> dt.date | None:
    if isinstance(v, dt.date):
        return v
    if isinstance(v, str) and len(v) >= 10:
        try:
            return dt.date.fromisoformat(v[:10])
        except ValueError:
            return None
    return None


def _get(d: Any, key: str) -> Any:
    return d.get(key) if isinstance(d, dict) else getattr(d, key, None)


def fields_of(doc: Any) -> dict[str, Any]:
    """The fields a status needs, from a :class:`~ipai.model.PatentDocument` or a dict of its JSON."""
    if isinstance(doc, dict):
        return doc
    return {k: getattr(doc, k, None) for k in FIELDS}


def term_for(f: dict[str, Any]) -> Term:
    """The term of a document's right (:func:`ipai.status.term.term_of` on its fields)."""
    pn = _get(f, "pubno") or {}
    app = _get(f, "application")
    prios = [_date(_get(p, "date")) for p in _get(f, "priorities") or []]
    prio = _date(_get(f, "priority_date")) or min((p for p in prios if p), default=None)
    doc_type = _get(f, "doc_type") or _type_from_kind(pn)
    grant = _date(_get(f, "grant_date"))
    if grant is None and doc_type in _GRANT_KINDS:
        grant = _date(_get(f, "publication_date"))
    return term_of(
        str(_get(pn, "country") or ""),
        doc_type,
        filing=_date(_get(f, "filing_date")) or _date(_get(app, "date") if app else None),
        grant=grant,
        priority=prio,
        publication=_date(_get(f, "publication_date")),
        extension_days=_get(f, "term_extension_days") or _pta_days(_get(f, "legal_events") or []),
    )


_PTA = re.compile(r"(?:TERM ADJUSTMENT|PTA)\D{0,20}?(\d{1,4}) DAYS", re.I)


def _pta_days(events: list[Any]) -> int | None:
    """Days of patent term adjustment a USPTO ``PTA`` event states (the last one)."""
    days = None
    for e in events:
        if C.split_code(str(_get(e, "code") or ""))[1] in ("PTA", "PTAD"):
            m = _PTA.search(str(_get(e, "description") or ""))
            days = int(m.group(1)) if m else days
    return days


def _type_from_kind(pn: Any) -> str:
    from ipai.model import parse_pubno
    from ipai.model.patent import doc_type_for

    try:
        return doc_type_for(parse_pubno(f"{_get(pn, 'country')}{_get(pn, 'number')}{_get(pn, 'kind') or ''}"))
    except Exception:  # an unparseable number: treat as an application
        return "application"


# ---- deriving -------------------------------------------------------------------------------------
@dataclass
class _State:
    status: str | None = None
    since: dt.date | None = None
    reason: str = "event"
    args: dict[str, Any] = field(default_factory=dict)
    granted: bool = False
    review: bool = False
    notes: set[str] = field(default_factory=set)
    states: dict[str, tuple[bool, dt.date | None, str]] = field(default_factory=dict)


def _events(f: dict[str, Any], today: dt.date | None) -> list[tuple[dt.date | None, int, Any]]:
    out = []
    for i, e in enumerate(_get(f, "legal_events") or []):
        d = _date(_get(e, "date"))
        if today is not None and d is not None and d > today:
            continue
        out.append((d, i, e))
    out.sort(key=lambda x: (x[0] or dt.date.min, x[1]))
    return out


def _designated(f: dict[str, Any], events: list[Any]) -> set[str]:
    out = {s.upper() for s in _get(f, "designated_states") or []}
    for _, _, e in events:
        code = C.split_code(str(_get(e, "code") or ""))[1]
        if code in ("AK", "AKX") and _get(e, "description"):
            tail = re.split(r"—|:", str(_get(e, "description")))[-1]
            out |= set(_STATES.findall(tail.upper()))
    return out


def _apply(st: _State, eff: C.Effect, date: dt.date | None, e: Any) -> bool:
    """Fold one event into the state; True when it decided something."""
    code = str(_get(e, "code") or "")
    if eff.state is not None:
        if eff.effect in (C.STATE_LAPSED, C.STATE_VALID):
            st.states[eff.state] = (eff.effect == C.STATE_VALID, date, code)
            return True
        return False
    x = eff.effect
    args = {
        "effect": x,
        "code": code,
        "date": _iso(date),
        "description": (_get(e, "description") or "")[:200],
    }
    if x == C.PROCEDURE:
        if st.status is None:
            st.status, st.since, st.args = "pending", date, args
        return True
    if x in (C.GRANT, C.REVIEW, C.REVIEW_OK) and st.status in (None, "pending"):
        st.status, st.since, st.args, st.granted = "in_force", date, args, True
    if x == C.GRANT:
        return True
    if x in _END:
        status = _END[x]
        if x in (C.WITHDRAWN, C.REFUSED) and st.granted:
            status = "lapsed"  # a granted right given up
        st.status, st.since, st.args = status, date, args
        st.review = False
        return True
    if x == C.REVIVED:
        if st.status in DEAD:
            st.status, st.since, st.args = ("in_force" if st.granted else "pending"), date, args
        return True
    if x == C.REVIEW:
        st.review = True
    elif x == C.REVIEW_OK:
        st.review = False
    elif x == C.PARTIAL:
        st.notes.add("partial")
    elif x == C.EXTENSION:
        st.notes.add("extension")
    return x in (C.REVIEW, C.REVIEW_OK, C.PARTIAL, C.MAINTAINED)


def _regional(st: _State, designated: set[str]) -> dict[str, list[str]] | None:
    """Follow a regional patent state by state (see the module docstring)."""
    if not st.states:
        return None
    alive = sorted(c for c, (ok, _, _) in st.states.items() if ok)
    lapsed = sorted(c for c, (ok, _, _) in st.states.items() if not ok)
    unknown = sorted(designated - set(st.states))
    alive_all = sorted(alive + unknown)
    if st.status in (None, "pending") and alive:
        first = min((d for c, (ok, d, _) in st.states.items() if ok and d), default=None)
        st.status, st.since, st.granted = "in_force", first, True
        st.args = {"effect": C.GRANT, "code": st.states[alive[0]][2], "date": _iso(first), "description": ""}
    if st.status == "in_force" and lapsed and not alive and not unknown:
        last = max(lapsed, key=lambda c: (st.states[c][1] or dt.date.min, c))
        st.status, st.since, st.reason = "lapsed", st.states[last][1], "all-states-lapsed"
        st.args = {"n": len(lapsed), "state": last, "date": _iso(st.states[last][1])}
    elif st.status == "in_force" and lapsed and st.reason == "event":
        st.reason, st.args = (
            "some-states",
            {"alive": alive_all, "n_alive": len(alive_all), "n_lapsed": len(lapsed)},
        )
    return {"in_force": alive_all, "lapsed": lapsed}


def _derive(f: dict[str, Any], today: dt.date | None) -> LegalStatus:
    pn = _get(f, "pubno") or {}
    office = str(_get(pn, "country") or "").upper()
    kind = str(_get(pn, "kind") or "")
    term = term_for(f)
    events = _events(f, today)
    st = _State()
    decided = False
    for date, _, e in events:
        eff = C.classify(str(_get(e, "code") or ""), _get(e, "country"), _get(e, "description"), office)
        decided |= _apply(st, eff, date, e)
    states = _regional(st, _designated(f, events)) if office in C.REGIONAL else None
    notes = set(st.notes) | ({"review"} if st.review and st.status in ALIVE else set())
    if term.estimated:
        notes.add(f"estimated-{term.estimated}")
    if term.extension_days:
        notes.add("extension-days")
    doc_type = _get(f, "doc_type") or _type_from_kind(pn)
    if decided and st.status is not None and not (st.status == "pending" and doc_type in _GRANT_KINDS):
        return LegalStatus(
            st.status, "events", st.since, term.expiry, st.reason, st.args, states, tuple(sorted(notes)), term
        )
    if office == "WO":  # the national-phase deadline stands for the term (at() ends it the same way)
        prio = min(
            (d for d in (_date(_get(f, "priority_date")), _date(_get(f, "filing_date"))) if d), default=None
        )
        end = _months(prio, PCT_MONTHS) if prio else None
        return LegalStatus(
            "pending",
            "kind-code",
            _date(_get(f, "publication_date")),
            end,
            "pct-phase" if end else "kind-application",
            {"date": _iso(end), "kind": kind or "?"},
            None,
            (),
            term,
        )
    granted = doc_type in _GRANT_KINDS or _get(f, "grant_date") is not None
    since = (
        _date(_get(f, "grant_date")) or _date(_get(f, "publication_date"))
        if granted
        else _date(_get(f, "publication_date"))
    )
    return LegalStatus(
        "granted" if granted else "pending",
        "kind-code",
        since,
        term.expiry,
        "kind-granted" if granted else "kind-application",
        {"kind": kind or "?"},
        None,
        tuple(sorted(notes - {"review"})),
        term,
    )


def _months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    for day in (d.day, 30, 29, 28):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    return dt.date(year, month, 28)


def phase(doc: Any) -> LegalStatus:
    """The status every stored event gives, without the term (the index's ``status`` field)."""
    return _derive(fields_of(doc), None)


def at(base: LegalStatus, today: dt.date) -> LegalStatus:
    """``base`` as of ``today``: a right still alive whose term has ended is ``expired``."""
    if base.status in ALIVE and base.expiry is not None and base.expiry < today:
        t = base.term
        if base.reason == "pct-phase":
            return LegalStatus(
                "expired",
                base.basis,
                base.expiry,
                base.expiry,
                "pct-ended",
                {"date": _iso(base.expiry)},
                None,
                base.notes,
                t,
            )
        return LegalStatus(
            "expired",
            base.basis,
            base.expiry,
            base.expiry,
            "term-ended",
            {
                "expiry": _iso(base.expiry),
                "years": t.years,
                "start": t.start,
                "start_date": _iso(t.start_date),
            },
            base.states,
            base.notes,
            t,
        )
    return base


def legal_status(doc: Any, today: dt.date) -> LegalStatus:
    """The legal status of ``doc`` (a :class:`~ipai.model.PatentDocument` or a dict of its JSON
    fields, at least :data:`FIELDS`) on ``today``: events after it are not yet known."""
    return at(_derive(fields_of(doc), today), today)


def expiry_date(doc: Any) -> dt.date | None:
    """When the term of ``doc``'s right ends (None when no rule applies or no date is known)."""
    return term_for(fields_of(doc)).expiry


__all__ = [
    "ALIVE",
    "DEAD",
    "FIELDS",
    "STATUSES",
    "LegalStatus",
    "add_years",
    "at",
    "expiry_date",
    "legal_status",
    "phase",
]
