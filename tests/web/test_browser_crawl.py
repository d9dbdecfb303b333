"""Every page of the web UI in Chromium, in Chinese and English, at 1280 px and 375 px.

The pages are those of :mod:`ipai.web.sitemap` (every GET route of the web routers, so a new page
is crawled without being listed here), plus the results of the forms that only answer a POST
(:data:`FORMS`). Each (page, language, width) is one test asserting: the expected HTTP status, no
horizontal overflow, no console error, no failed request, no request outside the server, and the
language rule of ``tests/web/language.py`` (no English words on a Chinese page outside its
allow-list, no Chinese on an English page outside source text). The Chinese pages are screenshotted
to ``tests/artifacts/screenshots/<page>-zh-<width>.png``; axe-core (vendored in ``tests/web/vendor``)
checks every page in Chinese at 1280 px for serious or critical accessibility violations.

Pages with a record in their path (a task, demand, disclosure, deal, knowledge document) and the
lists of such records are served by a second service on its own home (``records``), whose records
are created here; the shared platform corpus is only read (and asked, as any page would be).
One browser, one context (and tab) per language; each page is loaded once per language at 1280 px,
checked, then narrowed to 375 px in the same tab and checked again (media queries and the pages'
resize handlers apply as on a phone), and the crawl and accessibility tests read the same visits.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from ipai.web import sitemap
from tests.web.browser import CHROMIUM, SHOTS
from tests.web.test_ingest_pages import DESIGN, csv_rows

pytestmark = pytest.mark.browser

# Known failures, by test id, each with its reason and owner; each is a strict xfail, so a fix
# makes the test fail until its line is removed here. Ids: "<page>-<lang>-<width>" (crawl) and
# "axe-<page>" (accessibility). Empty: every page passes every check (a new failure is fixed, or
# listed here with its reason, e.g. "deals-zh-375": "English on the zh page (owner): words").
KNOWN: dict[str, str] = {}

LANGS = ("zh", "en")
WIDTHS = (1280, 375)  # checked in this order on one load of each page
HEIGHT = 800
LOCALES = {"zh": "zh-CN", "en": "en-US"}
AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"
AXE_AT = ("zh", 1280)  # the (language, width) axe runs at
SHOT_LANGS = ("zh",)
ASYNC_PARTS = "[hx-trigger], #suggest"  # a page with one of these loads parts after its load event
RECORD_ROUTES = (
    "/tasks",
    "/transfer/demands",
    "/transfer/matches",
    "/disclosures",
    "/deals",
    "/qa",
    "/portfolio",
    "/ingest",
)
NUMBER = "EP3404678B"  # claims, description, citations: the richest document page of the platform corpus


def _assess(page: Any, lang: str, ctx: Site) -> None:
    page.get_by_test_id("assess-text").fill(ctx.claim)
    page.get_by_test_id("assess-top").fill("5")
    page.get_by_test_id("assess-submit").click()


def _fto(page: Any, lang: str, ctx: Site) -> None:
    page.get_by_test_id("fto-number").fill(NUMBER)
    page.get_by_test_id("fto-product").fill(ctx.claim)
    page.get_by_test_id("fto-submit").click()


def _qa(page: Any, lang: str, ctx: Site) -> None:
    q = "专利代理机构应当具备哪些条件？" if lang == "zh" else "What conditions must a patent agency meet?"
    page.get_by_test_id("qa-question").fill(q)
    page.get_by_test_id("qa-submit").click()


# name → (page with the form, how to fill and send it, what shows the result)
FORMS: dict[str, tuple[str, Callable[[Any, str, Any], None], str]] = {
    "assess-report": ("/assess", _assess, '[data-testid="assess-report"]'),
    "fto-chart": ("/fto", _fto, '[data-testid="claim-chart"]'),
    "qa-answer": ("/qa", _qa, '[data-testid="qa-answer"], [data-testid="qa-refused"]'),
}
PAGES: dict[str, sitemap.WebPage] = {p.name: p for p in sitemap.pages()}
NAMES = [*PAGES, *FORMS]


def _case(test_id: str, *values: Any) -> Any:
    marks = [pytest.mark.xfail(strict=True, reason=KNOWN[test_id])] if test_id in KNOWN else []
    return pytest.param(*values, id=test_id, marks=marks)


CRAWL = [_case(f"{n}-{lang}-{w}", n, lang, w) for n in NAMES for lang in LANGS for w in WIDTHS]
AXE_CASES = [_case(f"axe-{n}", n) for n in NAMES]


def foreign(html: str, lang: str) -> list[str] | None:
    """Words of the wrong language in the page's visible text (the rule is engineer B's
    ``tests/web/language.py``); None while that module does not exist."""
    try:
        from tests.web.language import foreign_words, visible_text
    except ImportError:
        return None
    return list(foreign_words(visible_text(html, lang), lang))


@dataclass
class Visit:
    """What one page load showed."""

    url: str
    expected: int = 200
    status: int | None = None
    width: tuple[int, int] = (0, 0)  # (document scroll width, viewport width)
    wide: list[str] = field(default_factory=list)  # elements reaching past the viewport
    console: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    foreign: list[str] | None = None
    axe: list[dict[str, Any]] | None = None
    error: str | None = None  # the load itself failed (timeout, …)


@dataclass
class Site:
    """The two servers, the values that fill page URLs, and the browser contexts."""

    browser: Any
    platform: str
    records: str
    values: dict[str, Any]
    claim: str
    contexts: list[Any] = field(default_factory=list)
    tabs: dict[str, tuple[Any, dict[str, list[str]]]] = field(default_factory=dict)
    visits: dict[tuple[str, str, int], Visit] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"Site({self.platform}, {self.records})"

    def base(self, name: str) -> str:
        route = PAGES[name].route if name in PAGES else FORMS[name][0]
        uses_record = (
            bool(PAGES[name].needs() & {"task_id", "demand_id", "disclosure_id", "deal_id", "doc_id"})
            if name in PAGES
            else False
        )
        return self.records if uses_record or route.startswith(RECORD_ROUTES) else self.platform

    def tab(self, lang: str) -> tuple[Any, dict[str, list[str]]]:
        """The one tab of the language's context, and the lists its events go to (emptied before
        each visit): console errors, failed requests, requests outside the servers."""
        if lang not in self.tabs:
            ctx = self.browser.new_context(
                viewport={"width": WIDTHS[0], "height": HEIGHT},
                locale=LOCALES[lang],
                extra_http_headers={"Accept-Language": LOCALES[lang]},
            )
            ctx.set_default_timeout(60_000)
            sink: dict[str, list[str]] = {"console": [], "failed": [], "outside": []}
            mine = re.compile(r"^(?!(" + re.escape(self.platform) + "|" + re.escape(self.records) + ")/).*")
            ctx.route(mine, lambda route: (sink["outside"].append(route.request.url), route.abort()))
            page = ctx.new_page()
            page.on(
                "console",
                lambda m: (
                    sink["console"].append(f"{m.text} @ {m.location.get('url', '')}")
                    if m.type == "error"
                    else None
                ),
            )
            page.on("pageerror", lambda e: sink["console"].append(f"uncaught: {e}"))
            page.on("requestfailed", lambda r: sink["failed"].append(f"{r.url} ({r.failure})"))
            page.on(
                "response",
                lambda r: (
                    sink["failed"].append(f"{r.url} → {r.status}")
                    if r.status >= 400 and r.request.resource_type != "document"
                    else None
                ),
            )
            self.contexts.append(ctx)
            self.tabs[lang] = (page, sink)
        return self.tabs[lang]

    def visit(self, name: str, lang: str, width: int) -> Visit:
        if (name, lang, width) not in self.visits:
            for w, v in self._load(name, lang).items():
                self.visits[(name, lang, w)] = v
        return self.visits[(name, lang, width)]

    def _load(self, name: str, lang: str) -> dict[int, Visit]:
        """Load the page (or send the form) once at the first width, check it, then narrow the
        window to each next width and check it again: one visit per width."""
        base = self.base(name)
        if name in PAGES:
            wp = PAGES[name]
            missing = sitemap.missing(wp, self.values)
            assert not missing, f"{name}: no record for {missing} in the test stores"
            url, expect = base + wp.url(self.values), wp.status
        else:
            url, expect = base + FORMS[name][0], 200
        visits = {w: Visit(url, expected=expect) for w in WIDTHS}
        todo = list(WIDTHS)  # the widths not checked yet
        page, sink = self.tab(lang)
        page.set_viewport_size({"width": WIDTHS[0], "height": HEIGHT})
        page.goto("about:blank")  # what the previous page still loads ends here, not in this visit
        for events in sink.values():
            events.clear()
        try:
            resp = page.goto(url, wait_until="load")
            if name in FORMS:
                with page.expect_navigation(wait_until="load") as nav:
                    FORMS[name][1](page, lang, self)
                resp = nav.value
                page.wait_for_selector(f"{FORMS[name][2]}, [role=alert]")
                if not page.locator(FORMS[name][2]).count():
                    raise AssertionError(
                        "the form answered with an error: "
                        + " ".join(page.locator("[role=alert]").first.inner_text().split())
                    )
            while todo:
                width, v = todo[0], visits[todo[0]]
                if width != WIDTHS[0]:
                    page.set_viewport_size({"width": width, "height": HEIGHT})
                    page.evaluate(SETTLED_JS)  # the page's own resize handlers (charts) have run
                v.status = resp.status if resp else None
                sw, iw, parts = page.evaluate(WIDTH_JS, ASYNC_PARTS)
                if parts:
                    page.wait_for_load_state("networkidle")
                    sw, iw, _ = page.evaluate(WIDTH_JS, ASYNC_PARTS)
                v.width = (sw, iw)
                if sw > iw:
                    v.wide = page.evaluate(WIDE_JS)
                v.foreign = foreign(page.content(), lang)
                if lang in SHOT_LANGS:
                    page.screenshot(path=str(SHOTS / f"{name}-{lang}-{width}.png"), full_page=True)
                if (lang, width) == AXE_AT:
                    page.evaluate(AXE.read_text(encoding="utf-8"))
                    v.axe = page.evaluate(AXE_JS)
                self._events(v, sink, expect)
                todo.pop(0)
        except Exception as exc:  # noqa: BLE001 - reported by the tests that read the visit
            for width in todo:
                visits[width].error = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
                self._events(visits[width], sink, expect)
        return visits

    @staticmethod
    def _events(v: Visit, sink: dict[str, list[str]], expect: int) -> None:
        """What the tab reported since the page was loaded, into the visit."""
        v.console, v.failed, v.outside = (list(sink[k]) for k in ("console", "failed", "outside"))
        if expect >= 400:  # the browser reports an error page's own status as a console error
            v.console = [c for c in v.console if f"status of {expect}" not in c]

    def close(self) -> None:
        for ctx in self.contexts:
            ctx.close()


SETTLED_JS = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
WIDTH_JS = (
    "parts => [document.documentElement.scrollWidth, window.innerWidth, !!document.querySelector(parts)]"
)
WIDE_JS = """() => {
  const w = window.innerWidth, out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect(), up = el.parentElement;
    if (r.right > w + 1 && r.width > 0 && !(up && up.getBoundingClientRect().right > w + 1)) {
      const cls = el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
      out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
               + (el.dataset.testid ? `[data-testid=${el.dataset.testid}]` : '') + cls + ` (right ${Math.round(r.right)})`);
      if (out.length >= 5) break;
    }
  }
  return out;
}"""
AXE_JS = """async () => {
  const r = await axe.run(document, {resultTypes: ['violations']});
  return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                 nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Iterator[Any]:
    """A service on its own home holding one of each record a page shows: an ingest task with a
    rejected file, a matched demand, an assessed disclosure, a deal with a milestone and a
    knowledge document."""
    from ipai.service import Service
    from ipai.settings import load_settings

    d = tmp_path_factory.mktemp("crawl-files")
    cn = csv_rows(shared_data / "cn-patent-titles-ipc/titles_ipc.csv", d / "cn_titles.csv", 1, 80)
    us = csv_rows(
        shared_data / "us-abstracts-patentsview/neural_network_patent_query.csv", d / "nn.csv", 1, 40
    )
    broken = d / "broken.xml"
    broken.write_bytes((shared_data / DESIGN).read_bytes()[:3000])  # cut in the middle of a tag
    svc = Service(load_settings(home=tmp_path_factory.mktemp("crawl-home"), progress=False))
    task = svc.corpus.start_ingest([cn, us, broken], label="crawl")
    assert svc.tasks.wait(task["id"], timeout=120)["state"] == "done"
    svc.transfer.add_demand(
        {
            "text": "一种无人机电池快速更换装置，便于野外作业",
            "organisation": "某电力科技有限公司",
            "region": "苏州",
        }
    )
    svc.manage.submit_disclosure(
        {
            "title": "无人机电池快换",
            "text": "一种无人机电池快速更换装置，包括机架、电池仓和锁紧机构。",
            "inventors": "张三，李四",
            "applicant": "Acme Drones",
            "product_line": "drones",
        }
    )
    deal = svc.deals.offer_deal(
        {
            "kind": "licence",
            "title": "无人机电池快换许可",
            "patents": "CN114081026A",
            "parties": {"licensor": "Acme Drones", "licensee": "Globex"},
            "exclusivity": "sole",
            "territory": "CN",
            "royalty_rate": 3.5,
            "currency": "CNY",
            "start_date": "2025-01-01",
            "end_date": "2030-12-31",
        }
    )
    svc.deals.move_deal(deal["id"], "signed", {"signed_date": "2025-01-15"})
    svc.deals.add_deal_milestone(deal["id"], {"title": "技术交底", "due_date": "2025-03-01"})
    svc.qa.load_knowledge([shared_data / "cn-ip-law" / "专利代理条例(2018-11-06).md"])
    yield svc
    svc.close()


@pytest.fixture(scope="module")
def site(platform_service: Any, live_server: str, records: Any) -> Iterator[Site]:
    """Chromium over both servers, with every page's values (skips when Chromium or Playwright is missing)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("browser tests need Playwright: pip install 'ipai[browser]' (or pip install playwright)")
    if not Path(CHROMIUM).is_file():
        pytest.skip(
            f"browser tests need Chromium at {CHROMIUM}: apt-get install -y chromium fonts-wqy-microhei"
        )
    from ipai.api import create_app
    from tests.conftest import serve

    values = sitemap.values_from(platform_service, number=NUMBER)
    values.update(
        {
            k: v
            for k, v in sitemap.values_from(records, number=NUMBER, applicant="-").items()
            if k in {"task_id", "demand_id", "disclosure_id", "deal_id", "doc_id"}
        }
    )
    claim = platform_service.resolve(NUMBER + "1").claims[0].text
    server, thread, base = serve(create_app(service=records))
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        s = Site(browser, live_server, base, values, claim)
        yield s
        s.close()
        browser.close()
    server.should_exit = True
    thread.join(timeout=10)


def test_every_web_route_is_crawled() -> None:
    """Each GET route is a page or a part of one, and a part's page is crawled."""
    routes = sitemap.get_routes()
    crawled = {p.route for p in PAGES.values()}
    assert set(routes) - crawled == set(sitemap.PARTS)
    assert all(host in crawled for host in sitemap.PARTS.values())
    assert {
        "/doc/{number:path}",
        "/tasks/{task_id}/rejects",
        "/deals/{deal_id}",
        "/qa/documents/{doc_id}",
    } <= crawled


@pytest.mark.parametrize(("name", "lang", "width"), CRAWL)
def test_page(site: Site, name: str, lang: str, width: int) -> None:
    v = site.visit(name, lang, width)
    problems = []
    if v.error:
        problems.append(f"load failed: {v.error}")
    if v.status != v.expected:
        problems.append(f"HTTP {v.status}, expected {v.expected}")
    if v.width[0] > v.width[1]:
        problems.append(f"horizontal overflow: {v.width[0]} px > {v.width[1]} px ({'; '.join(v.wide)})")
    if v.console:
        problems.append(f"console errors: {v.console[:5]}")
    if v.failed:
        problems.append(f"failed requests: {v.failed[:5]}")
    if v.outside:
        problems.append(f"requests outside the server: {v.outside[:5]}")
    if v.foreign:
        what = "English words on a Chinese page" if lang == "zh" else "Chinese on an English page"
        problems.append(f"{what}: {sorted(set(v.foreign))[:15]}")
    assert not problems, f"{v.url} [{lang}, {width} px]:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("name", AXE_CASES)
def test_accessibility(site: Site, name: str) -> None:
    v = site.visit(name, *AXE_AT)
    assert v.error is None, v.error
    assert v.axe is not None
    bad = [x for x in v.axe if x["impact"] in ("serious", "critical")]
    assert not bad, f"{v.url}: " + "; ".join(
        f"{x['id']} ({x['impact']}): {x['help']} at {x['nodes']}" for x in bad
    )
