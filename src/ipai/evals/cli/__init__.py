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

import click
import typer

from ipai.settings import Settings, load_settings

if TYPE_CHECKING:
    from ipai.service import Service

eval_app = typer.Typer(
    help="Evaluations on data files; each prints one JSON object last.", no_args_is_help=True
)
bench_app = typer.Typer(help="Benchmarks; each prints one JSON object last.", no_args_is_help=True)

_SETTINGS_KEY = "ipai.evals.settings"


def _overrides() -> dict[str, Any]:
    """The global options of this invocation (``ipai --home … eval …``), as the root command left
    them in its context object; none outside a command line."""
    ctx = click.get_current_context(silent=True)
    obj = ctx.find_root().obj if ctx is not None else None
    return dict(obj) if isinstance(obj, dict) else {}


def settings(home: Path | None = None) -> Settings:
    """Settings for this invocation (global flags applied; ``home`` replaces the global home)."""
    if home is not None:
        return load_settings(**{**_overrides(), "home": home})
    ctx = click.get_current_context(silent=True)
    meta = ctx.find_root().meta if ctx is not None else {}
    if _SETTINGS_KEY not in meta:
        meta[_SETTINGS_KEY] = load_settings(**_overrides())
    cur: Settings = meta[_SETTINGS_KEY]
    return cur


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
