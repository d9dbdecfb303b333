"""What the HTML reports share: the template environment and PDF printing by headless Chromium."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from ipai.errors import MissingExtra


@lru_cache(maxsize=1)
def env() -> Any:
    """The Jinja2 environment over ``ipai/report/templates``."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    return Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=select_autoescape(["html"])
    )


def chromium() -> str | None:
    """A Chromium executable for printing PDFs, if one is installed."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def html_to_pdf(html_file: Path, pdf_file: Path, *, timeout: float = 120) -> Path:
    """Print an HTML report to PDF with headless Chromium (charts are drawn before printing)."""
    exe = chromium()
    if exe is None:
        raise MissingExtra("browser", "chromium", "PDF reports (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as profile:
        cmd = [
            exe,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            f"--user-data-dir={profile}",
            "--virtual-time-budget=5000",
            "--run-all-compositor-stages-before-draw",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf_file}",
            html_file.resolve().as_uri(),
        ]
        subprocess.run(cmd, check=True, timeout=timeout, capture_output=True)
    return pdf_file
