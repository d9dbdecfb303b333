"""The click command of the ``ipai`` app, built lazily: Typer turns every registered command
(about 150, with their parameters read from the signatures) into a click command before
running one; here a group holds its subcommands by name and converts one only when it is run or
its help is shown (``ipai show`` converts ``show``; ``ipai --help`` the root's commands and
the group names, not the groups' commands). The commands, their options and their help are
Typer's own; only when they are built changes."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator, MutableMapping
from typing import Any

import typer
import typer.main as tm
from typer.core import TyperGroup
from typer.models import CommandInfo, TyperInfo

Maker = Callable[[], Any]


class LazyCommands(MutableMapping[str, Any]):
    """Subcommands by name, each converted on first access; names and order without converting."""

    def __init__(self, makers: dict[str, Maker]) -> None:
        self._makers = makers
        self._made: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self._made:
            self._made[name] = self._makers[name]()  # KeyError for an unknown name, as a dict
        return self._made[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self._makers.setdefault(name, lambda: command)
        self._made[name] = command

    def __delitem__(self, name: str) -> None:
        del self._makers[name]
        self._made.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self._makers)

    def __len__(self) -> int:
        return len(self._makers)

    def __contains__(self, name: object) -> bool:
        return name in self._makers


def lazy_command(app: typer.Typer) -> Any:
    """The click command ``typer.main.get_command(app)`` would return, converting subcommands on use."""
    if app._add_completion or not (app.registered_groups or app.registered_callback):
        return tm.get_command(app)  # (completion options, single-command apps: Typer's own way)
    return _group(
        TyperInfo(app),
        pretty_exceptions_short=app.pretty_exceptions_short,
        rich_markup_mode=app.rich_markup_mode,
        suggest_commands=app.suggest_commands,
    )


def _group(info: TyperInfo, **opts: Any) -> TyperGroup:
    """``typer.main.get_group_from_info`` with the subcommands left to :class:`LazyCommands`."""
    app = info.typer_instance
    assert app is not None
    makers: dict[str, Maker] = {}
    for cmd in app.registered_commands:  # the names and order Typer gives (a later one replaces)
        makers[cmd.name or tm.get_command_name(cmd.callback.__name__)] = _command_maker(cmd, opts)  # type: ignore[union-attr]
    for sub in app.registered_groups:
        name = tm.solve_typer_info_defaults(sub).name
        if not name:  # a group added without a name merges its commands here: Typer's own way
            return tm.get_group_from_info(info, **opts)
        makers[name] = _group_maker(sub, opts)
    shell = copy.copy(app)  # the group itself (options, callback, help) without its subcommands
    shell.registered_commands, shell.registered_groups = [], []
    shell_info = copy.copy(info)
    shell_info.typer_instance = shell
    group = tm.get_group_from_info(shell_info, **opts)
    group.commands = LazyCommands(makers)
    group.list_commands = lambda ctx: list(group.commands)  # type: ignore[method-assign]
    return group


def _command_maker(cmd: CommandInfo, opts: dict[str, Any]) -> Maker:
    keep = {k: v for k, v in opts.items() if k != "suggest_commands"}
    return lambda: tm.get_command_from_info(cmd, **keep)


def _group_maker(sub: TyperInfo, opts: dict[str, Any]) -> Maker:
    return lambda: _group(sub, **opts)
