"""The README's screenshots, taken from a running ipai on the demo store (``./run demo``, then
``ipai serve``) with Debian's Chromium:

    .venv/bin/python docs/screenshots/take.py http://127.0.0.1:8000

Writes the PNG files beside this script: the Chinese search page with facets, a document page
with its legal status and family, a landscape report, and the search page on a 375 px phone."""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).parent
SHOTS = (  # (file, path, width, element scrolled to the top of the picture or None)
    ("search-facets-zh.png", "/search?lang=zh&q=" + quote("无人机"), 1280, '[data-testid="facet-panel"]'),
    ("document-status-family-zh.png", "/doc/AU2014201732A?lang=zh", 1280, '[data-testid="legal-status"]'),
    ("landscape-report-zh.png", "/report/landscape?lang=zh&q=" + quote("无人机 OR drone"), 1280, None),
    ("search-mobile-zh.png", "/search?lang=zh&q=" + quote("神经网络"), 375, '[data-testid="facet-panel"]'),
)


def main(base: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for name, path, width, top in SHOTS:
            ctx = browser.new_context(
                viewport={"width": width, "height": 900 if width > 600 else 800},
                locale="zh-CN",
                device_scale_factor=1 if width > 600 else 2,
            )
            page = ctx.new_page()
            page.goto(base.rstrip("/") + path, wait_until="networkidle", timeout=120_000)
            if top:
                page.locator(top).first.evaluate(
                    "e => window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY - 8)"
                )
            page.screenshot(path=str(HERE / name))
            ctx.close()
            print(f"{name}: {path}")
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
