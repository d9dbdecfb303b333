"""Old command names kept for one release: a deprecated name runs the same commands as the new
one, is hidden from ``ipai --help``, and first prints a one-line notice on stderr in the user's
language (``--lang zh`` or ``IPAI_LANG``, as for error messages)."""

from __future__ import annotations

import typer

NOTICE = {
    "en": "note: `ipai {old}` is deprecated and will be removed in the next release; use `ipai {new}`",
    "zh": "提示：`ipai {old}` 已弃用，下一版本将删除；请改用 `ipai {new}`",
}


def notice(old: str, new: str, lang: str) -> str:
    """The deprecation line for ``ipai old`` in ``lang`` (zh or en)."""
    return NOTICE["zh" if lang == "zh" else "en"].format(old=old, new=new)


def deprecated_alias(parent: typer.Typer, group: typer.Typer, old: str, new: str) -> None:
    """Register ``group`` (already registered as ``new``) a second time as ``old``: hidden, with
    the notice printed before its command runs."""

    def _notice() -> None:
        from ipai.cli import command_lang

        typer.echo(notice(old, new, command_lang()), err=True)

    parent.add_typer(
        group,
        name=old,
        hidden=True,
        deprecated=False,  # click's own notice is English only: ours is printed by the callback
        callback=_notice,
        help=f"Deprecated: use `ipai {new}` (removed in the next release).",
    )
