"""Names that reports and the command line show in the reader's language: document languages
(every code :func:`ipai.text.lang.detect` gives) and passage locations (``claim 3 [de]``,
``abstract[en]``, ``description [0012]``). The web UI has the same names in its catalogues
(``langname.*``, ``where.*``)."""

from __future__ import annotations

import re

LANG_NAMES: dict[str, tuple[str, str]] = {  # code: (English, Chinese)
    "en": ("English", "英语"),
    "zh": ("Chinese", "中文"),
    "de": ("German", "德语"),
    "fr": ("French", "法语"),
    "ja": ("Japanese", "日语"),
    "ko": ("Korean", "韩语"),
    "es": ("Spanish", "西班牙语"),
    "ru": ("Russian", "俄语"),
    "it": ("Italian", "意大利语"),
    "pt": ("Portuguese", "葡萄牙语"),
    "nl": ("Dutch", "荷兰语"),
    "sv": ("Swedish", "瑞典语"),
    "da": ("Danish", "丹麦语"),
    "no": ("Norwegian", "挪威语"),
    "fi": ("Finnish", "芬兰语"),
    "pl": ("Polish", "波兰语"),
    "cs": ("Czech", "捷克语"),
    "hu": ("Hungarian", "匈牙利语"),
    "ro": ("Romanian", "罗马尼亚语"),
    "tr": ("Turkish", "土耳其语"),
    "id": ("Indonesian", "印度尼西亚语"),
    "ms": ("Malay", "马来语"),
    "vi": ("Vietnamese", "越南语"),
    "el": ("Greek", "希腊语"),
    "ar": ("Arabic", "阿拉伯语"),
    "und": ("Unknown", "未识别"),
}
WHERE: dict[str, tuple[str, str]] = {
    "title": ("title", "标题"),
    "abstract": ("abstract", "摘要"),
    "claim": ("claim", "权利要求"),
    "description": ("description", "说明书"),
}
_WHERE = re.compile(r"^(title|abstract|claim|description)\s*(\d+)?\s*(?:\[([a-z]{2,3})\])?\s*(.*)$")


def lang_name(code: str | None, ui: str = "en") -> str:
    """The name of a document language in the reader's language (the code when unknown)."""
    names = LANG_NAMES.get((code or "").lower())
    if names is None:
        return code or LANG_NAMES["und"][ui == "zh"]
    return names[1] if ui == "zh" else names[0]


def where_label(where: str, ui: str = "en") -> str:
    """A passage location in the reader's language: ``claim 3 [de]`` → ``权利要求 3（德语）``,
    ``description [0012]`` → ``说明书 [0012]``; anything else unchanged."""
    m = _WHERE.match(where or "")
    if not m:
        return where
    part, num, lang, rest = m.groups()
    zh = ui == "zh"
    out = WHERE[part][zh] + (f" {num}" if num else "") + (f" {rest}" if rest else "")
    if lang:
        name = lang_name(lang, ui)
        out += f"（{name}）" if zh else f" ({name})"
    return out
