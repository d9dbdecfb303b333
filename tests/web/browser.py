"""What the browser tests share: headless Chromium (Debian's, driven by Playwright) as a module
fixture, and a tab that records page errors, refused scripts and requests outside the server
(pages must work offline). Screenshots go to ``tests/artifacts/screenshots/``."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("IPAI_CHROMIUM", "/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium (skips, naming what to install, when it or Playwright is missing)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("browser tests need Playwright: pip install 'ipai[browser]' (or pip install playwright)")
    if not Path(CHROMIUM).is_file():
        pytest.skip(
            f"browser tests need Chromium at {CHROMIUM}: apt-get install -y chromium fonts-wqy-microhei"
        )
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


class Page:
    """A browser tab on one server that records page errors, blocked outside requests and anything
    the Content-Security-Policy refused."""

    def __init__(
        self,
        browser: Any,
        base: str,
        viewport: dict[str, int] | None = None,
        locale: str = "en-US",
        prefix: str = "",
    ) -> None:
        self.base = base
        self.prefix = prefix  # of the screenshots' file names
        self.context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900}, locale=locale)
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.csp: list[str] = []  # what the Content-Security-Policy refused (must be nothing)
        self.context.route(re.compile(r"^(?!" + re.escape(base) + ").*"), self._block)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on(
            "console", lambda m: self.csp.append(m.text) if "Content Security Policy" in m.text else None
        )

    def _block(self, route: Any) -> None:
        self.outside.append(route.request.url)
        route.abort()

    def go(self, path: str) -> Any:
        self.page.goto(self.base + path)
        return self.page

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(SHOTS / f"{self.prefix}{name}.png"), full_page=True)

    def close(self) -> None:
        self.context.close()
        assert self.outside == [], f"requests outside the server: {self.outside}"
        assert self.errors == [], f"JavaScript errors: {self.errors}"
        assert self.csp == [], f"refused by the Content-Security-Policy: {self.csp}"
