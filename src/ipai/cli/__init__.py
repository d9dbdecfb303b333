"""The ``ipai`` command line: a thin adapter over :class:`ipai.service.Service`."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from ipai.errors import IpaiError

if TYPE_CHECKING:  # imported when first needed: `ipai --help` never reads the settings
    from ipai.settings import Settings

app = typer.Typer(
    name="ipai",
    help="ipai: offline AI for patent and trademark information services.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class _State:
    overrides: dict[str, Any] = {}
    settings: Settings | None = None
    lang: str | None = None  # the language of this invocation's messages (set by main)


def settings() -> Settings:
    """Settings for this invocation (global flags applied)."""
    if _State.settings is None:
        from ipai.settings import load_settings

        _State.settings = load_settings(**_State.overrides)
    return _State.settings


def command_lang() -> str:
    """The language of this invocation's messages: ``--lang zh`` or ``IPAI_LANG`` (see ipai.cli.errors)."""
    from ipai.cli.errors import cli_lang

    return _State.lang or cli_lang([])


def service() -> Any:
    """A Service on this invocation's settings."""
    from ipai.service import Service

    return Service(settings())


def emit(data: Any) -> None:
    """Print JSON to stdout (UTF-8, not ASCII-escaped)."""
    typer.echo(json.dumps(data, ensure_ascii=False, indent=None, default=str))


@app.callback()
def _root(
    home: Path | None = typer.Option(None, "--home", help="Data directory (env IPAI_HOME)."),
    store: str | None = typer.Option(None, "--store", help="Store URL (env IPAI_STORE)."),
    config: Path | None = typer.Option(None, "--config", help="TOML config file (env IPAI_CONFIG)."),
    data: Path | None = typer.Option(None, "--data-dir", help="Shared real-data folder (env IPAI_DATA_DIR)."),
    no_progress: bool = typer.Option(False, "--no-progress", help="Hide progress bars."),
) -> None:
    """Global options apply to every command."""
    _State.overrides = {
        "home": home,
        "store": store,
        "config": config,
        "data_dir": data,
        "progress": False if no_progress else None,
    }
    _State.settings = None
    from ipai.evals.cli import use_options

    use_options(_State.overrides)  # the eval and bench commands (the eval face does not import the cli)


# where each top-level command or group is registered: ``ipai show …`` imports ipai.cli.corpus
# alone. A name missing here (or a module that does not register it) makes main register every
# module, as ``--help`` does: never wrong, only slower. tests/test_cli_startup.py checks the table.
COMMAND_MODULES: dict[str, tuple[str, ...]] = {
    "ipai.cli.analytics": ("landscape", "company", "talent", "topics", "evolution", "report"),
    "ipai.cli.assess": ("assess",),
    "ipai.cli.checker": ("draft",),
    "ipai.cli.classify": ("classify",),
    "ipai.cli.cluster": ("cluster",),
    "ipai.cli.corpus": ("ingest", "repair-text", "stats", "show", "export", "formats", "demo"),
    "ipai.cli.deals": ("deal",),
    "ipai.cli.evidence": ("evidence",),
    "ipai.cli.explain": ("explain",),
    "ipai.cli.fto": ("overseas", "fto", "directory"),
    "ipai.cli.images": ("images", "marks"),
    "ipai.cli.industry": ("industry",),
    "ipai.cli.manage": ("disclosure", "deadlines"),
    "ipai.cli.monitor": ("alerts", "watch"),
    "ipai.cli.qa": ("ask", "qa"),
    "ipai.cli.search": ("index", "search", "export-results", "similar", "expand"),
    "ipai.cli.serve": ("serve",),
    "ipai.cli.transfer": ("resources", "notifications", "demand", "transfer", "match", "matches"),
    "ipai.cli.triz": ("triz",),
    "ipai.cli.users": ("audit", "users", "keys"),
    "ipai.cli.value": ("value", "value-train"),
    "ipai.evals.cli": ("eval", "bench"),
}
_VALUED = ("--home", "--store", "--config", "--data-dir")  # the root options that take a value


def _register(command: str | None = None) -> None:
    """Register every command, or (``command``: the first word after the root options) just the
    module that registers that one."""
    import importlib

    modules = [m for m, names in COMMAND_MODULES.items() if command in names]
    for m in modules:
        if m == "ipai.evals.cli":
            _mount_evals()
        else:
            importlib.import_module(m)
    if command is not None and command in _registered():
        return
    for m in COMMAND_MODULES:  # (commands register themselves on import)
        if m != "ipai.evals.cli":
            importlib.import_module(m)
    _mount_evals()


def _mount_evals() -> None:
    from ipai.evals.cli import mount

    if "eval" not in {g.name for g in app.registered_groups}:
        mount(app)  # ipai eval …, ipai bench …


def _registered() -> set[str]:
    """Names of the top-level commands and groups registered so far."""
    from typer.main import get_command_name

    names = {c.name or get_command_name(c.callback.__name__) for c in app.registered_commands if c.callback}
    return names | {g.name for g in app.registered_groups if isinstance(g.name, str)}


def _command_name(args: list[str]) -> str | None:
    """The command word of a command line (None for ``--help`` or anything unusual)."""
    i = 0
    while i < len(args):
        a = args[i]
        if a in _VALUED:
            i += 2
        elif a.startswith("--") and a != "--help" and (a == "--no-progress" or a.split("=", 1)[0] in _VALUED):
            i += 1
        elif a.startswith("-"):
            return None
        else:
            return a
    return None


@app.command("settings")
def settings_cmd(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List every setting with its environment variable, default, current value and help."""
    from ipai.settings import describe_settings

    cur = settings()
    rows = describe_settings()
    for r in rows:
        r["value"] = str(getattr(cur, r["name"])) if getattr(cur, r["name"]) is not None else None
    if as_json:
        emit(rows)
        return
    for r in rows:
        typer.echo(f"{r['name']:<20} {r['env']:<24} default={r['default']!s:<12} value={r['value']}")
        typer.echo(f"    {r['help']}")


def main(argv: list[str] | None = None) -> int:
    """Entry point: runs the app, turning ipai errors into a message and a non-zero exit."""
    from ipai.cli.errors import cli_lang, crash_line, error_line, usage_line
    from ipai.cli.lazy import lazy_command

    args = list(argv if argv is not None else sys.argv[1:])
    _register(_command_name(args))
    lang = cli_lang(args)  # errors in the command's language (--lang zh): one line, never a traceback
    _State.lang = lang
    try:
        # the click command converted command by command (ipai.cli.lazy); without standalone mode
        # click returns a typer.Exit's code
        rc = lazy_command(app)(args=argv, standalone_mode=False)
    except IpaiError as exc:
        if "--json" in args:
            typer.echo(json.dumps(exc.to_json(lang), ensure_ascii=False))
        typer.echo(error_line(exc, lang), err=True)
        return 2 if exc.status == 400 else 1
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        typer.echo("aborted", err=True)
        return 130
    except KeyboardInterrupt:
        typer.echo("interrupted: committed work is kept; run the same command again to resume", err=True)
        return 130
    except Exception as exc:  # usage errors from the (vendored) click parser, else a bug
        if hasattr(exc, "show") and hasattr(exc, "exit_code"):
            typer.echo(usage_line(exc, lang), err=True)
            return int(exc.exit_code) or 2
        if os.environ.get("IPAI_DEBUG"):
            raise
        typer.echo(crash_line(exc, lang), err=True)
        return 1
    return rc if isinstance(rc, int) else 0


def run() -> None:  # pragma: no cover - console script shim
    """Console-script entry."""
    sys.exit(main())
