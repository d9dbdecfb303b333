"""The two message catalogues are complete: the same keys, every key the pages use, every value
of the enumerations the pages translate, and the same placeholders in both languages."""

from __future__ import annotations

import re
import string
import typing
from pathlib import Path

import pytest

from ipai.web.i18n import LANGS, Translator, accept_language, catalogue

WEB = Path(__file__).resolve().parents[2] / "src/ipai/web"
LITERAL = re.compile(r"""\bt(?:m|\.get)?\(\s*['"]([A-Za-z0-9_.&\-]+)['"]\s*[,)]""")
KEY_ARG = re.compile(r"""\b\w*_key=['"]([A-Za-z0-9_.\-]+)['"]""")  # error_key="ingest.error.nofiles"
DYNAMIC = re.compile(r"""\bt(?:m|\.get)?\(\s*['"]([A-Za-z0-9_.\-]+\.)['"]\s*(?:~|\+)""")
# the same text is right in both languages for these (codes and names)
SAME_IN_BOTH = {"scheme.cpc", "scheme.ipc", "scheme.fterm"}


def _sources() -> list[Path]:
    return sorted(WEB.glob("templates/*.html")) + sorted(WEB.glob("*.py"))


def used_literal_keys() -> set[str]:
    """Every ``t('key')`` (or ``…_key="key"`` argument) written in the web package."""
    keys = set()
    for p in _sources():
        src = p.read_text(encoding="utf-8")
        keys |= {k for k in LITERAL.findall(src) + KEY_ARG.findall(src) if not k.endswith(".")}
    return keys


def dynamic_families() -> dict[str, set[str]]:
    """Keys built at run time (``t('doctype.' ~ x)``), with every value ``x`` can take."""
    from dataclasses import fields

    from ipai.model.classification import Scheme
    from ipai.model.patent import CitedBy, DocType
    from ipai.search.concepts import SOURCES
    from ipai.service.filters import LANGS as DOC_LANGS
    from ipai.service.filters import Filters
    from ipai.service.tasks import STATES
    from ipai.web.corpus import CHARTS, SECTIONS
    from ipai.web.document import SCHEME_ORDER
    from ipai.web.search import FILTERS, MODES

    charts = {k for k, _ in CHARTS}
    return {
        "concepts.source.": set(SOURCES),
        "filter.name.": {f.name for f in fields(Filters)},
        "doctype.": set(typing.get_args(DocType)),
        "state.": set(STATES),
        "mode.": set(MODES),
        "section.": set(SECTIONS),
        "langname.": set(DOC_LANGS),
        "scheme.": set(typing.get_args(Scheme)) | set(SCHEME_ORDER),
        "citedby.": set(typing.get_args(CitedBy)),
        "cat.": set("XYADPETLO&"),
        "dash.": charts,
        "dash.col.": charts | {"by_kind", "count"},
        "filters.": set(FILTERS),
        "phase.": {"ingest", "index", "finished"},
        "taskkind.": {"ingest", "index"},
        "result.": {"loaded", "updated", "unchanged", "rejected", "skipped", "files", "files_already_done"},
        "results.found.": {"keyword", "semantic"},
        "search.error.": {"query", "input", "other"},
        "search.error.hint.": {"query", "input", "other"},
        "where.": {"title", "abstract", "claim", "description"},
        "nav.": {
            "search",
            "dashboard",
            "ingest",
            "tasks",
            "landscape",
            "demands",
            "disclosures",
            "deals",
            "industry",
            "fto",
            "images",
            "evidence",
            "draft",
            "triz",
            "qa",
            "watch",
        },
        "triz.agree.": {
            "both_empty",
            "A_empty",
            "B_empty",
            "identical",
            "same_principles_other_order",
            "overlap",
            "disjoint",
        },
        "triz.why.": {"name_word", "alias", "name_zh", "cue_zh", "similarity"},
        "triz.given.": {"both", "none"},
        "format.desc.": {r.name for r in __import__("ipai.ingest.registry", fromlist=["readers"]).readers()},
        "demands.field.": {"title", "organisation", "industry", "region", "budget", "deadline", "contact"},
        "demands.status.": {"open", "closed"},
        "demands.kind.": {"patent", "owner", "expert"},
        "manage.state.": set(__import__("ipai.manage.workflow", fromlist=["STATES"]).STATES),
        "manage.kind.": {"priority_year", "national_phase", "office_action", "annuity"},
        "manage.level.": {"overdue", "due_soon"},
        "manage.alert.": {"overdue", "due_soon"},
        "manage.dstate.": {"open", "done"},
        "manage.field.": {
            "title",
            "text",
            "inventors",
            "applicant",
            "product_line",
            "jurisdiction",
            "filing_date",
            "priority_date",
            "grant_date",
            "application_number",
            "note",
            "patent",
            "product",
        },
        "deals.state.": set(__import__("ipai.deals.terms", fromlist=["STATES"]).STATES),
        "deals.kind.": set(__import__("ipai.deals.terms", fromlist=["KINDS"]).KINDS),
        "deals.role.": {
            r for rs in __import__("ipai.deals.terms", fromlist=["ROLES"]).ROLES.values() for r in rs
        },
        "deals.exclusivity.": set(__import__("ipai.deals.terms", fromlist=["EXCLUSIVITY"]).EXCLUSIVITY),
        "deals.record.": {"version", "milestone", "payment"},
        "deals.field.": {
            "kind",
            "title",
            "patents",
            "parties",
            "party_first",
            "party_second",
            "exclusivity",
            "territory",
            "field_of_use",
            "royalty_rate",
            "lump_sum",
            "currency",
            "secured_amount",
            "start_date",
            "end_date",
            "note",
            "signed_date",
            "due_date",
            "done_date",
            "amount",
            "payer",
        },
        "demands.mstatus.": {"proposed", "contacted", "agreed", "closed"},
        "demands.fb.": {"accepted", "rejected"},
        "demands.type.": {"university", "institute", "company", "government", "individual", "unknown"},
        "error.title.": {"400", "403", "404", "405", "409", "413", "500", "503", "other"},
        "syntax.": {
            "words",
            "phrase",
            "truncation",
            "fields",
            "names",
            "classes",
            "dates",
            "keywords",
            "boolean",
        },
        "doc.": {
            "biblio",
            "texts",
            "claims",
            "description",
            "citations",
            "drawings",
            "provenance",
            "similar",
            "publication_date",
            "filing_date",
            "grant_date",
            "priority_date",
            "applicants",
            "assignees",
            "inventors",
            "agents",
        },
    }


def test_catalogues_have_the_same_keys() -> None:
    en, zh = catalogue("en"), catalogue("zh")
    assert sorted(set(en) - set(zh)) == [], "missing in zh.json"
    assert sorted(set(zh) - set(en)) == [], "missing in en.json"
    assert all(v.strip() for v in en.values()) and all(v.strip() for v in zh.values())


def test_every_key_the_pages_use_exists() -> None:
    used = used_literal_keys()
    assert len(used) > 150 and "nav.search" in used and "ingest.error.nofiles" in used
    families = dynamic_families()
    found = {p for src in _sources() for p in DYNAMIC.findall(src.read_text(encoding="utf-8"))}
    assert found <= set(families), f"dynamic keys without a known value list: {found - set(families)}"
    needed = used | {prefix + v for prefix, values in families.items() for v in values}
    needed |= {
        k + ".hint"
        for k in needed
        if k.startswith("filters.")
        and k.count(".") == 1
        and k.split(".")[1] in {"cc", "year_from", "year_to", "cls", "applicant"}
    }
    for lang in LANGS:
        missing = sorted(needed - set(catalogue(lang)))
        assert missing == [], f"{lang}.json lacks {missing}"


def test_placeholders_match_and_chinese_is_translated() -> None:
    en, zh = catalogue("en"), catalogue("zh")

    def fields(s: str) -> list[str]:
        return sorted(f for _, f, _, _ in string.Formatter().parse(s) if f)

    for key in en:
        assert fields(en[key]) == fields(zh[key]), key
    same = {k for k in en if en[k] == zh[k]}
    assert same <= SAME_IN_BOTH, f"untranslated in zh.json: {sorted(same - SAME_IN_BOTH)}"
    cjk = re.compile(r"[\u4e00-\u9fff]")
    assert sum(bool(cjk.search(v)) for v in zh.values()) >= len(zh) - len(SAME_IN_BOTH) - 5


def test_missing_key_shows_the_key() -> None:
    t = Translator("zh")
    assert t("nav.search") == "检索" and t("results.took", ms=5) == "用时 5 毫秒"
    assert t("no.such.key") == "no.such.key"
    assert t.get("langname.xx", "xx") == "xx"


@pytest.mark.parametrize(
    "header, lang",
    [
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        ("en-US,en;q=0.9", "en"),
        ("de-DE,de;q=0.9", None),
        ("de;q=1, zh-TW;q=0.7, en;q=0.8", "en"),
        ("", None),
        ("zh;q=0", None),
        ("en;q=abc, zh", "zh"),
    ],
)
def test_accept_language(header: str, lang: str | None) -> None:
    assert accept_language(header) == lang
