"""How the command line reports a failure: one line on stderr, in the command's language
(``--lang zh`` where the command has a language option), and a non-zero exit code; never a
traceback unless ``IPAI_DEBUG`` is set."""

from __future__ import annotations

import os
from typing import Any

from ipai.faces.options import check_lang  # noqa: F401 (the cli commands import it from here)

# commands whose --lang is a filter on documents, not the language of the output
FILTER_LANG = {"search"}
GLOBAL_VALUED = {"--home", "--store", "--config", "--data-dir"}  # global options that take a value
PREFIX = {"en": "error: ", "zh": "错误："}
USAGE_ZH = {  # click's usage errors by class, in Chinese (the English is click's own)
    "NoSuchOption": "没有此选项：{name}",
    "MissingParameter": "缺少参数：{name}",
    "BadParameter": "参数 {name} 的值无效",
    "BadOptionUsage": "选项 {name} 用法有误",
    "NoSuchCommand": "没有此命令：{name}",
}


def cli_lang(argv: list[str]) -> str:
    """The language of the command's messages: ``--lang zh`` (or ``--lang=zh``) when the command's
    ``--lang`` is its output language; else ``IPAI_LANG``; else English."""
    command, skip = None, False
    for a in argv:  # the command: the first word that is not a global option or its value
        if skip:
            skip = False
        elif a in GLOBAL_VALUED:
            skip = True
        elif not a.startswith("-"):
            command = a
            break
    lang = None
    for i, a in enumerate(argv):
        if a == "--lang" and i + 1 < len(argv):
            lang = argv[i + 1]
        elif a.startswith("--lang="):
            lang = a.split("=", 1)[1]
    if command in FILTER_LANG:
        lang = None
    lang = (lang or os.environ.get("IPAI_LANG") or "en").strip().lower()
    return "zh" if lang.startswith("zh") else "en"


def one_line(text: str) -> str:
    """The first line of a message (a query error's caret lines are for the API and web)."""
    return (text or "").strip().split("\n")[0].strip()


def error_line(exc: Any, lang: str) -> str:
    """An ipai error as the line the command prints."""
    return PREFIX[lang] + one_line(exc.text(lang))


def usage_line(exc: Any, lang: str) -> str:
    """A usage error of the command-line parser (unknown option, missing argument…) as one line."""
    english = one_line(exc.format_message()) if hasattr(exc, "format_message") else one_line(str(exc))
    ctx = getattr(exc, "ctx", None)
    where = (
        f" (ipai {ctx.command_path.split(' ', 1)[1]} --help)"
        if ctx and " " in ctx.command_path
        else " (ipai --help)"
    )
    if lang == "zh":
        name = (
            getattr(exc, "option_name", None)
            or getattr(getattr(exc, "param", None), "name", None)
            or getattr(exc, "command_name", None)
            or ""
        )
        template = USAGE_ZH.get(type(exc).__name__)
        if template and name:
            return PREFIX["zh"] + template.format(name=name) + where
    return PREFIX[lang] + english + where


def crash_line(exc: BaseException, lang: str) -> str:
    """A bug: one line naming the exception (``IPAI_DEBUG=1`` shows the traceback)."""
    detail = one_line(str(exc))[:200]
    if lang == "zh":
        return f"错误：内部错误 {type(exc).__name__}：{detail}（设置 IPAI_DEBUG=1 可显示详细信息）"
    return f"error: internal error {type(exc).__name__}: {detail} (set IPAI_DEBUG=1 for the traceback)"
