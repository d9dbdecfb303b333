"""Interface languages: the message catalogues (``locales/{en,zh}.json`` and, per area,
``locales/{en,zh}/*.json``) and the choice of language for a request.

The language is, in order: ``?lang=zh|en`` in the URL (remembered in the ``ipai_lang``
cookie), the cookie, the browser's ``Accept-Language``, and English. Catalogues are flat
``{"key": "text"}`` objects with ``str.format`` placeholders; both must hold the same keys
(``tests/web/test_pages.py`` fails otherwise).
"""

from __future__ import annotations

import json
import logging
from functools import cache
from pathlib import Path
from typing import Any

from starlette.requests import Request

LOCALES_DIR = Path(__file__).parent / "locales"
LANGS = ("en", "zh")
DEFAULT_LANG = "en"
COOKIE = "ipai_lang"
LANG_NAMES = {"en": "English", "zh": "中文"}
log = logging.getLogger("ipai.web")


@cache
def catalogue(lang: str) -> dict[str, str]:
    """The messages of one interface language: the main catalogue and the area files beside it
    (``locales/zh/search.json``…); a key defined twice is an error."""
    files = [LOCALES_DIR / f"{lang}.json", *sorted((LOCALES_DIR / lang).glob("*.json"))]
    out: dict[str, str] = {}
    for path in files:
        with path.open(encoding="utf-8") as f:
            data = json.load(f)
        twice = sorted(set(data) & set(out))
        if twice:
            raise ValueError(f"{path.name}: keys already defined in the {lang} catalogue: {twice[:5]}")
        out.update({str(k): str(v) for k, v in data.items()})
    return out


class Translator:
    """``t(key, **values)`` for one language; a missing key is logged and shown as the key."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.messages = catalogue(lang)

    def __call__(self, key: str, **values: Any) -> str:
        text = self.messages.get(key)
        if text is None:
            log.warning("missing %s translation: %s", self.lang, key)
            return key
        return text.format(**values) if values else text

    def get(self, key: str, default: str) -> str:
        """The message for ``key`` if the catalogue has it, else ``default`` (for open-ended
        values such as source formats or legal-event codes)."""
        return self.messages.get(key, default)


def accept_language(header: str | None) -> str | None:
    """The first supported language in an ``Accept-Language`` header, by quality."""
    if not header:
        return None
    prefs: list[tuple[float, int, str]] = []
    for i, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        prefs.append((-q, i, tag.strip().lower()))
    for neg_q, _, tag in sorted(prefs):
        base = tag.split("-")[0]
        if neg_q < 0 and base in LANGS:
            return base
    return None


def pick_lang(request: Request) -> tuple[str, bool]:
    """The interface language of a request, and whether it was chosen in the URL (then the
    response remembers it in a cookie)."""
    asked = (request.query_params.get("lang") or "").lower()
    if asked in LANGS:
        return asked, True
    saved = request.cookies.get(COOKIE, "")
    if saved in LANGS:
        return saved, False
    return accept_language(request.headers.get("accept-language")) or DEFAULT_LANG, False
