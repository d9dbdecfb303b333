"""``ipai eval …`` and ``ipai bench …``: the Typer apps of the evaluation face, mounted by the
command line (:func:`mount`); every command prints one JSON object last.

The commands live in :mod:`.search` (search and Q&A quality), :mod:`.scenarios` (the other
features' quality) and :mod:`.bench` (speed and memory); each calls one runner module of
:mod:`ipai.evals` or :mod:`ipai.evals.bench`. ``docs/evals.md`` lists them all (a test checks it).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from ipai.service import Service
    from ipai.settings import Settings

eval_app = typer.Typer(
    help="Evaluations on data files; each prints one JSON object last.", no_args_is_help=True
)
bench_app = typer.Typer(help="Benchmarks; each prints one JSON object last.", no_args_is_help=True)


class _Invocation:
    """The global options of the current command line (``ipai --home … eval …``), handed over by
    the root command (:func:`use_options`): the eval face does not import the cli."""

    overrides: dict[str, Any] = {}
    settings: Settings | None = None


def use_options(overrides: dict[str, Any]) -> None:
    """Apply the command line's global options (home, store, config, data dir, progress) to the
    eval and bench commands of this invocation."""
    _Invocation.overrides = dict(overrides)
    _Invocation.settings = None


def settings(home: Path | None = None) -> Settings:
    """Settings for this invocation (global flags applied; ``home`` replaces the global home)."""
    from ipai.settings import load_settings

    if home is not None:
        return load_settings(**{**_Invocation.overrides, "home": home})
    if _Invocation.settings is None:
        _Invocation.settings = load_settings(**_Invocation.overrides)
    return _Invocation.settings


def service() -> Service:
    """A Service on this invocation's settings."""
    from ipai.service import Service

    return Service(settings())


def emit(data: Any) -> None:
    """Print JSON to stdout (UTF-8, not ASCII-escaped): the one object an eval or bench prints last."""
    typer.echo(json.dumps(data, ensure_ascii=False, indent=None, default=str))


def mount(app: typer.Typer) -> None:
    """Register every eval and bench command and add ``eval`` and ``bench`` to ``app``."""
    from ipai.evals.cli import bench, scenarios, search  # noqa: F401 (commands register themselves on import)

    app.add_typer(eval_app, name="eval")
    app.add_typer(bench_app, name="bench")
