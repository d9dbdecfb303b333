"""Text quality of a document: mojibake repaired, garbled text kept apart from real languages.

:func:`clean_document` runs on every record at ingest (``ipai.ingest.pipeline``) and on every
merged document (``ipai.store.merge``); it is idempotent and returns the same object when there
is nothing to do (the usual case costs one scan per text, see :mod:`ipai.text.hygiene`).

Per field:

* titles and abstracts (``{lang: text}``): a repaired text is keyed by the language detected on
  the repaired text (a Russian title read as mojibake was keyed ``en``). A text still garbled is
  dropped when the field has a clean text, else kept under ``und`` (undetermined) with the flag
  ``garbled-title`` / ``garbled-abstract``. Two texts for one language: the one with fewer lost
  characters wins, then the one that needed no repair, then the first.
* claims: repaired one by one; a language's claims that are mostly unrepairable are dropped when
  another language has clean claims, else relabelled ``und`` (``garbled-claims``).
* description: paragraphs repaired; mostly unrepairable → language ``und`` (``garbled-description``).
* parties: names repaired (normalised name and kind recomputed); a name still garbled is kept as
  it is and flags its role (``garbled-applicants``, ``garbled-inventors``…).

``und`` is never a language of the document (:attr:`PatentDocument.languages`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ipai.model.party import Party, make_party
from ipai.model.patent import UNDETERMINED, Claim, Description, PatentDocument
from ipai.text.hygiene import Repaired, lost_chars, repair, suspect
from ipai.text.lang import detect

FLAG_PREFIX = "garbled-"
#: document field → its quality flag
FLAGS = {
    "titles": "garbled-title",
    "abstracts": "garbled-abstract",
    "claims": "garbled-claims",
    "description": "garbled-description",
    "applicants": "garbled-applicants",
    "assignees": "garbled-assignees",
    "inventors": "garbled-inventors",
    "agents": "garbled-agents",
}
PARTY_ROLES = ("applicants", "assignees", "inventors", "agents")


def clean_document(doc: PatentDocument) -> PatentDocument:
    """The document with mojibake repaired and garbled texts marked (``doc`` itself when clean)."""
    update: dict[str, Any] = {}
    garbled: list[str] = []
    for field in ("titles", "abstracts"):
        texts, bad = clean_texts(getattr(doc, field))
        _note(doc, field, texts, bad, update, garbled)
    claims, bad = _clean_claims(doc.claims)
    _note(doc, "claims", claims, bad, update, garbled)
    desc, bad = _clean_description(doc.description)
    _note(doc, "description", desc, bad, update, garbled)
    for role in PARTY_ROLES:
        plist, bad = _clean_parties(getattr(doc, role))
        _note(doc, role, plist, bad, update, garbled)
    flags = [f for f in doc.quality_flags if not f.startswith(FLAG_PREFIX)] + garbled
    if flags != doc.quality_flags:
        update["quality_flags"] = flags
    return doc.model_copy(update=update) if update else doc


def _note(
    doc: PatentDocument, field: str, value: Any, bad: bool, update: dict[str, Any], garbled: list[str]
) -> None:
    if value is not getattr(doc, field):
        update[field] = value
    if bad:
        garbled.append(FLAGS[field])


def clean_texts(texts: dict[str, str]) -> tuple[dict[str, str], bool]:
    """Repaired ``{lang: text}`` and whether it holds only a garbled text (under ``und``)."""
    if UNDETERMINED not in texts and not any(suspect(t) for t in texts.values()):
        return texts, False
    ranked: dict[str, tuple[tuple[int, bool], str]] = {}
    bad: list[str] = []
    for lang, text in texts.items():
        r = repair(text)
        if r.unrepairable:
            bad.append(r.text)
            continue
        key = _relabel(lang, r.changed, r.text)
        rank = (lost_chars(r.text), r.changed)
        if key not in ranked or rank < ranked[key][0]:
            ranked[key] = (rank, r.text)
    out = {k: t for k, (_, t) in ranked.items()} if ranked else ({UNDETERMINED: bad[0]} if bad else {})
    same = out == texts and list(out) == list(texts)
    return (texts if same else out), not ranked and bool(bad)


def _relabel(lang: str, changed: bool, sample: str) -> str:
    """The language key of a text: detected again when repair changed it (or it had none)."""
    if not changed and lang != UNDETERMINED:
        return lang
    return detect(sample[:2000], default="en" if lang == UNDETERMINED else lang)


def _clean_claims(claims: list[Claim]) -> tuple[list[Claim], bool]:
    if not any(c.lang == UNDETERMINED or suspect(c.text) for c in claims):
        return claims, False
    groups: dict[str, list[tuple[Claim, Repaired]]] = {}
    for c in claims:
        groups.setdefault(c.lang, []).append((c, repair(c.text) if suspect(c.text) else Repaired(c.text)))
    clean: dict[str, list[Claim]] = {}
    garbled: list[Claim] = []
    for lang, items in groups.items():
        unreadable = sum(r.unrepairable for _, r in items) * 2 >= len(items)
        fixed = [c.model_copy(update={"text": r.text}) if r.changed else c for c, r in items]
        if unreadable:
            garbled.extend(
                c.model_copy(update={"lang": UNDETERMINED}) if c.lang != UNDETERMINED else c for c in fixed
            )
            continue
        key = _relabel(lang, any(r.changed for _, r in items), " ".join(c.text for c in fixed))
        if key in clean or (key != lang and key in groups):
            key = lang  # never merge two languages' claims into one numbering
        clean.setdefault(key, []).extend(
            c if c.lang == key else c.model_copy(update={"lang": key}) for c in fixed
        )
    out = [c for cs in clean.values() for c in cs] if clean else garbled
    same = len(out) == len(claims) and all(a is b for a, b in zip(out, claims, strict=False))
    return (claims if same else out), not clean and bool(garbled)


def _clean_description(desc: Description | None) -> tuple[Description | None, bool]:
    if desc is None:
        return desc, False
    reps = {i: repair(p.text) for i, p in enumerate(desc.paragraphs) if suspect(p.text)}
    changed = any(r.changed for r in reps.values())
    damaged = sum(len(r.text) for r in reps.values() if r.unrepairable)
    if not changed and not damaged and desc.lang != UNDETERMINED:
        return desc, False
    unreadable = damaged * 2 >= (sum(len(p.text) for p in desc.paragraphs) or 1)
    paragraphs = [
        p.model_copy(update={"text": reps[i].text}) if i in reps and reps[i].changed else p
        for i, p in enumerate(desc.paragraphs)
    ]
    if unreadable:
        lang = UNDETERMINED
    else:
        lang = _relabel(desc.lang, changed, " ".join(p.text for p in paragraphs[:20]))
    if lang == desc.lang and not changed:
        return desc, unreadable
    return Description(lang=lang, paragraphs=paragraphs), unreadable


def _clean_parties(parties: list[Party]) -> tuple[list[Party], bool]:
    if not any(suspect(p.name) for p in parties):
        return parties, False
    out: list[Party] = []
    seen: set[str] = set()
    bad = False
    for p in parties:
        r = repair(p.name)
        bad = bad or r.unrepairable
        q = _rebuilt(p, r.text) if r.changed else p
        if q is not None and q.name not in seen:
            seen.add(q.name)
            out.append(q)
    same = len(out) == len(parties) and all(a is b for a, b in zip(out, parties, strict=False))
    return (parties if same else out), bad


def _rebuilt(p: Party, name: str) -> Party | None:
    """A party under its repaired name (normalised name recomputed, person name parts repaired)."""
    parts = {
        k: repair(v).text if v else v for k, v in (("last_name", p.last_name), ("first_name", p.first_name))
    }
    return make_party(
        name,
        kind=None if p.kind == "unknown" else p.kind,
        country=p.country,
        city=p.city,
        address=p.address,
        **parts,
    )


def garbled_fields(flags: Iterable[str]) -> set[str]:
    """Document fields a list of quality flags marks as garbled (``{"titles", "inventors"}``)."""
    by_flag = {v: k for k, v in FLAGS.items()}
    return {by_flag[f] for f in flags if f in by_flag}


__all__ = ["FLAGS", "clean_document", "clean_texts", "garbled_fields"]
