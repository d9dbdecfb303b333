"""A deal's terms and history written for the reader: each agreement field in the interface
language (roles, exclusivity, money with its currency, percentages, dates), never raw JSON."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markupsafe import Markup, escape

from ipai.deals.terms import ROLES
from ipai.web.fmt import day, money, percent
from ipai.web.i18n import Translator

MONEY = ("lump_sum", "secured_amount", "amount")
TYPED = ("title", "note", "payer", "field_of_use")  # text the users typed: shown as source text
DATES = ("start_date", "end_date", "signed_date", "due_date", "done_date")


def term_text(field: str, value: Any, lang: str, currency: str | None = None) -> str:
    """One agreement or record field as text for a reader of ``lang`` (``—`` when not set)."""
    t = Translator(lang)
    sep = "、" if lang == "zh" else ", "
    if value in (None, "", [], {}):
        return "—"
    if field in MONEY:
        return money(value, currency, lang)
    if field in DATES:
        return day(value, lang)
    if field == "royalty_rate":
        return percent(value, lang)
    if field == "exclusivity":
        return t.get(f"deals.exclusivity.{value}", str(value))
    if field == "parties" and isinstance(value, dict):
        colon = "：" if lang == "zh" else ": "
        order = [r for pair in ROLES.values() for r in pair]
        roles = sorted(value, key=lambda r: order.index(r) if r in order else len(order))
        return "; ".join(f"{t.get(f'deals.role.{r}', r)}{colon}{value[r]}" for r in roles)
    if field == "territory" and isinstance(value, list):
        return sep.join(t("deals.world") if c == "WORLD" else str(c) for c in value)
    if isinstance(value, list):
        return sep.join(str(v) for v in value)
    return str(value)


def term_html(field: str, value: Any, lang: str, currency: str | None = None) -> Markup:
    """:func:`term_text` for the page: what the users typed (titles, notes, payers, the parties'
    names) marked as source text (``data-source``), the interface's words around it as they are."""
    if value in (None, "", [], {}):
        return Markup("—")
    if field == "parties" and isinstance(value, dict):
        t = Translator(lang)
        colon = "：" if lang == "zh" else ": "
        order = [r for pair in ROLES.values() for r in pair]
        roles = sorted(value, key=lambda r: order.index(r) if r in order else len(order))
        return Markup("; ").join(
            Markup("{}{}<span data-source>{}</span>").format(t.get(f"deals.role.{r}", r), colon, value[r])
            for r in roles
        )
    text = term_text(field, value, lang, currency)
    if field in TYPED:
        return Markup("<span data-source>{}</span>").format(text)
    return escape(text)


def who(user: str | None, lang: str) -> str:
    """Who did it: the user name, or what the laptop and anonymous principals stand for."""
    t = Translator(lang)
    if not user:
        return "—"
    return {"local": t("deals.by.local"), "anonymous": t("deals.by.anonymous")}.get(user, user)


def helpers(lang: str, currency: str | None) -> dict[str, Callable[..., Any]]:
    """The functions the deal page uses: ``term(field, value)`` (the agreement's currency unless a
    record names its own) and ``who(user)``, both as HTML with the users' own words marked as source."""
    return {
        "term": lambda field, value, cur=None: term_html(field, value, lang, cur or currency),
        "who": lambda user: (
            who(user, lang)
            if user in (None, "", "local", "anonymous")
            else Markup("<span data-source>{}</span>").format(user)
        ),
    }
