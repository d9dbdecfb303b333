"""The site navigation: every tool of the web UI, grouped along the IP chain (search, create, use,
protect, manage, service), and which group and item the current page belongs to.

The current item is read from the request path (the longest matching path prefix), so a page never
has to say which menu entry it is, and pages reached from a tool (a deal, a task, a document) light
up the tool they belong to. ``base.html`` renders :func:`menu` as dropdown groups (``<details>``,
keyboard-accessible without script) and, on small screens, behind one menu button.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request


@dataclass(frozen=True)
class Item:
    """A navigation entry: its catalogue key (``nav.<key>``), its link, and the other path
    prefixes of pages that belong to it."""

    key: str
    path: str
    also: tuple[str, ...] = ()

    def prefixes(self) -> tuple[str, ...]:
        """The path prefixes of the pages this entry stands for."""
        return (self.path, *self.also)


API_DOCS = "/api/v1/docs"
GROUPS: tuple[tuple[str, tuple[Item, ...]], ...] = (
    ("search", (Item("search", "/search", ("/doc",)),)),
    (
        "create",
        (
            Item("assess", "/assess"),
            Item("draft", "/draft"),
            Item("check", "/draft/check"),
            Item("triz", "/triz"),
        ),
    ),
    (
        "use",
        (
            Item("landscape", "/landscape", ("/report/landscape",)),
            Item("industry", "/industry"),
            Item("company", "/company", ("/report/company",)),
            Item("demands", "/transfer/demands", ("/transfer",)),
            Item("value", "/value"),
            Item("portfolio", "/portfolio"),
        ),
    ),
    (
        "protect",
        (
            Item("watch", "/watch", ("/alerts",)),
            Item("fto", "/fto"),
            Item("images", "/images"),
            Item("evidence", "/evidence"),
        ),
    ),
    ("manage", (Item("disclosures", "/disclosures", ("/deadlines",)), Item("deals", "/deals"))),
    (
        "service",
        (
            Item("qa", "/qa"),
            Item("dashboard", "/dashboard"),
            Item("ingest", "/ingest"),
            Item("tasks", "/tasks"),
            Item("api", API_DOCS),
        ),
    ),
)
ITEMS: tuple[Item, ...] = tuple(it for _, items in GROUPS for it in items)


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix.rstrip("/") + "/")


def current(path: str) -> tuple[str | None, str | None]:
    """``(group, item)`` keys of the page at ``path`` (without the mount's root path): the entry
    with the longest prefix of it; the home page is search; ``(None, None)`` for pages of no tool."""
    if path in ("", "/"):
        return "search", "search"
    best: tuple[int, str, str] | None = None
    for group, items in GROUPS:
        for it in items:
            for prefix in it.prefixes():
                if _under(path, prefix) and (best is None or len(prefix) > best[0]):
                    best = (len(prefix), group, it.key)
    return (best[1], best[2]) if best else (None, None)


def menu(request: Request, t: Callable[[str], str]) -> list[dict[str, Any]]:
    """The navigation of the page ``request`` asks for: groups with their labels and links, the
    current group and item marked ``active``."""
    root = request.scope.get("root_path", "").rstrip("/")
    path = request.url.path
    if root and path.startswith(root):
        path = path[len(root) :] or "/"
    group_now, item_now = current(path)
    return [
        {
            "key": group,
            "label": t(f"nav.group.{group}"),
            "active": group == group_now,
            "links": [
                {
                    "key": it.key,
                    "label": t(f"nav.{it.key}"),
                    "href": root + it.path,
                    "active": it.key == item_now,
                }
                for it in items
            ],
        }
        for group, items in GROUPS
    ]
