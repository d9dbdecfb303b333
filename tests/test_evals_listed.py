"""docs/evals.md lists every registered ``ipai eval …`` and ``ipai bench …`` command, and nothing
else: a new evaluation or benchmark without its row (command, data, figure) fails here."""

from __future__ import annotations

import re
from pathlib import Path

import typer.main

DOC = Path(__file__).resolve().parents[1] / "docs" / "evals.md"
ROW = re.compile(r"^\| `ipai (eval|bench) ([a-z0-9][a-z0-9-]*)` \|")


def registered() -> set[str]:
    """``eval NAME`` / ``bench NAME`` for every command the command line registers."""
    import ipai.cli as cli

    cli._register()
    root = typer.main.get_command(cli.app)
    groups = getattr(root, "commands", {})
    out = set()
    for group in ("eval", "bench"):
        assert group in groups, f"`ipai {group}` is not registered"
        out |= {f"{group} {name}" for name in groups[group].commands}
    return out


def listed() -> list[str]:
    """``eval NAME`` / ``bench NAME`` for every table row of docs/evals.md that starts with a command."""
    rows = [ROW.match(line) for line in DOC.read_text(encoding="utf-8").splitlines()]
    return [f"{m[1]} {m[2]}" for m in rows if m]


def test_every_registered_command_is_listed() -> None:
    missing = sorted(registered() - set(listed()))
    assert not missing, f"docs/evals.md has no row for: {', '.join('ipai ' + c for c in missing)}"


def test_every_listed_command_exists_once() -> None:
    rows = listed()
    unknown = sorted(set(rows) - registered())
    assert not unknown, f"docs/evals.md lists commands that do not exist: {unknown}"
    twice = sorted({c for c in rows if rows.count(c) > 1})
    assert not twice, f"docs/evals.md lists these twice: {twice}"


def test_rows_carry_data_and_a_figure() -> None:
    """Each row has its five cells filled: command, runner, data read, what it measures, last figure."""
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if ROW.match(line):
            cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
            assert len(cells) == 5 and all(cells), line


def test_runner_modules_exist() -> None:
    """The runner named in each row is a module of ipai.evals (or ipai.evals.bench)."""
    root = Path(__file__).resolve().parents[1] / "src" / "ipai" / "evals"
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if ROW.match(line):
            runner = re.match(r"`([a-z_/]+)`", line.strip().strip("|").split(" | ")[1])
            assert runner and (root / f"{runner[1]}.py").is_file(), line
