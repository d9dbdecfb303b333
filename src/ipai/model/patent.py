"""The patent document: the one shape every reader maps into and every scenario reads."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ipai.model.classification import Classification
from ipai.model.numbers import PubNo
from ipai.model.party import Party

#: the language key of a text that stayed garbled after repair (ISO 639 "undetermined"): kept for
#: reference, never counted as a language (see ``ipai.model.quality``)
UNDETERMINED = "und"

DocType = Literal["application", "patent", "utility_model", "design", "plant", "reissue", "other"]
CitedBy = Literal["applicant", "examiner", "third-party", "opponent", "unknown"]


class _Rec(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Claim(_Rec):
    """One claim; ``depends_on`` lists the claims it refers to (empty for independent claims);
    ``cancelled``: the office marks it cancelled or deleted (its number kept, no subject matter)."""

    num: int
    text: str
    lang: str = "en"
    independent: bool = True
    depends_on: list[int] = Field(default_factory=list)
    cancelled: bool = False


class Paragraph(_Rec):
    """A description paragraph or heading, with the office's own paragraph number if any."""

    text: str
    num: str | None = None
    heading: bool = False


class Description(_Rec):
    """The description (specification) in one language."""

    lang: str
    paragraphs: list[Paragraph] = Field(default_factory=list)

    @property
    def text(self) -> str:
        """The whole description as plain text, one paragraph per line."""
        return "\n".join(p.text for p in self.paragraphs)


class DocRef(_Rec):
    """A reference to another filing: application or priority (country, number, date, kind)."""

    country: str | None = None
    number: str
    kind: str | None = None
    date: dt.date | None = None


class Citation(_Rec):
    """A cited patent or non-patent document, with search-report category and who cited it."""

    kind: Literal["patent", "npl"]
    pubno: PubNo | None = None
    text: str | None = None
    date: str | None = None  # ISO, possibly partial: "1998-10"
    name: str | None = None
    categories: list[str] = Field(default_factory=list)  # X, Y, A, D, P, E, T, L, O, &
    cited_by: CitedBy | None = None
    phase: str | None = None  # e.g. "search", "examination", "international-search-report"
    claims: str | None = None  # claims the citation is relevant to, as written ("1-5")

    @property
    def doc_id(self) -> str | None:
        """Store key of the cited publication, when it is a patent."""
        return self.pubno.doc_id if self.pubno else None


class LegalEvent(_Rec):
    """A legal-status event (grant, lapse, opposition, fee payment…)."""

    date: dt.date | None = None
    code: str
    description: str | None = None
    country: str | None = None


class ImageRef(_Rec):
    """A drawing sheet or embedded image of the document."""

    file: str
    kind: str = "drawing"
    id: str | None = None
    path: str | None = None  # input only: where the file is, relative to the source's folder or zip
    sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")  # the copy in the media store
    missing: str | None = None  # why no copy is stored (not found, outside the source, not an image…)


class PatentDocument(_Rec):
    """A patent publication (application, grant, utility model or design)."""

    record_type: Literal["patent"] = "patent"
    id: str = ""
    pubno: PubNo
    doc_type: DocType | None = None
    lang: str | None = None  # language of publication (proceedings)
    application: DocRef | None = None
    priorities: list[DocRef] = Field(default_factory=list)
    family_id: str | None = None
    filing_date: dt.date | None = None
    publication_date: dt.date | None = None
    grant_date: dt.date | None = None
    priority_date: dt.date | None = None
    titles: dict[str, str] = Field(default_factory=dict)
    abstracts: dict[str, str] = Field(default_factory=dict)
    claims: list[Claim] = Field(default_factory=list)
    description: Description | None = None
    classifications: list[Classification] = Field(default_factory=list)
    applicants: list[Party] = Field(default_factory=list)
    assignees: list[Party] = Field(default_factory=list)
    inventors: list[Party] = Field(default_factory=list)
    agents: list[Party] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    legal_events: list[LegalEvent] = Field(default_factory=list)
    images: list[ImageRef] = Field(default_factory=list)
    designated_states: list[str] = Field(default_factory=list)
    family_members: list[str] = Field(default_factory=list)
    cited_by_count: int | None = None
    family_size: int | None = None
    extended_family_size: int | None = None
    term_extension_days: int | None = None  # term extension/adjustment the grant carries (US PTA), in days
    ids: dict[str, str] = Field(default_factory=dict)  # other identifiers: lens, docdb…
    urls: list[str] = Field(default_factory=list)
    quality_flags: list[str] = Field(default_factory=list)  # "garbled-title", "garbled-applicants"…

    @model_validator(mode="after")
    def _set_id(self) -> PatentDocument:
        key = self.pubno.doc_id
        if self.id and self.id != key:
            raise ValueError(f"id {self.id!r} does not match publication number {key!r}")
        object.__setattr__(self, "id", key)
        return self

    # ---- convenience views -------------------------------------------------------------
    @property
    def title(self) -> str:
        """A display title: English if present, else the first language available (a garbled
        title only when there is nothing else)."""
        clean = (t for lang, t in self.titles.items() if lang != UNDETERMINED and t)
        return self.titles.get("en") or next(clean, self.titles.get(UNDETERMINED, ""))

    @property
    def languages(self) -> list[str]:
        """Every language with text in this document (titles, abstracts, claims, description);
        garbled texts (``und``) are not a language."""
        langs = set(self.titles) | set(self.abstracts) | {c.lang for c in self.claims}
        if self.description:
            langs.add(self.description.lang)
        langs.discard(UNDETERMINED)
        return sorted(langs)

    def codes(self, scheme: str) -> list[str]:
        """Classification codes of one scheme, in document order."""
        return [c.code for c in self.classifications if c.scheme == scheme]

    def claims_in(self, lang: str | None = None) -> list[Claim]:
        """Claims in one language (default: the first language that has claims)."""
        if not self.claims:
            return []
        lang = lang or self.claims[0].lang
        return [c for c in self.claims if c.lang == lang]


def doc_type_for(pubno: PubNo, hint: str | None = None) -> DocType:
    """Document type from an explicit hint or the office's kind-code conventions."""
    if hint:
        h = hint.lower()
        hints: tuple[tuple[str, DocType], ...] = (
            ("design", "design"),
            ("plant", "plant"),
            ("reissue", "reissue"),
            ("utility model", "utility_model"),
            ("utility_model", "utility_model"),
            ("application", "application"),
            ("grant", "patent"),
            ("patent", "patent"),
        )
        for key, val in hints:
            if key in h:
                return val
    letter = pubno.kind_letter
    cc = pubno.country
    if cc == "US":
        us: dict[str, DocType] = {
            "A": "application" if len(pubno.number) == 11 else "patent",
            "B": "patent",
            "S": "design",
            "P": "plant",
            "E": "reissue",
        }
        return us.get(letter, "other")
    if cc == "CN":
        cn: dict[str, DocType] = {
            "A": "application",
            "B": "patent",
            "C": "patent",
            "U": "utility_model",
            "Y": "utility_model",
            "S": "design",
        }
        return cn.get(letter, "other")
    if cc in ("DE", "JP", "KR") and letter == "U":
        return "utility_model"
    other: dict[str, DocType] = {
        "A": "application",
        "B": "patent",
        "C": "patent",
        "S": "design",
        "U": "utility_model",
    }
    return other.get(letter, "other")
