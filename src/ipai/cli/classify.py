"""Classification commands: ``ipai classify TEXT|--file F``, ``ipai classify train``,
``ipai classify models`` and ``ipai eval ipc``."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import typer
from typer.core import TyperGroup

from ipai.cli import app, emit, service, settings

DEFAULT = "text"


class _DefaultGroup(TyperGroup):
    """A group whose first argument, when it is not a subcommand, goes to ``text``: so both
    ``ipai classify "一种…"`` and ``ipai classify train`` work."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = [DEFAULT, *args]
        return super().parse_args(ctx, args)


classify_app = typer.Typer(
    cls=_DefaultGroup,
    no_args_is_help=True,
    help="IPC/CPC subclass suggestions: `ipai classify TEXT`, `ipai classify train`.",
)
app.add_typer(classify_app, name="classify")


def _say(msg: str) -> None:
    typer.echo(msg, err=True)


@classify_app.command(DEFAULT)
def classify_text(
    text: str | None = typer.Argument(
        None, help="Text to classify (title, abstract or claim; any language)."
    ),
    file: Path | None = typer.Option(None, "--file", "-f", help="Read the text from a UTF-8 file."),
    top: int = typer.Option(5, "--top", "-k", help="Suggestions to show."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Suggest IPC/CPC subclasses (and main groups where the model has them) for a text (the default command)."""
    from ipai.errors import InputError
    from ipai.text.inputs import read_text_file

    if (text is None) == (file is None):
        raise InputError("give either a TEXT or --file F")
    body = read_text_file(file) if file is not None else (text or "")
    detail = service().classifier.classify_detail(body, top=top)
    if as_json:
        emit(detail)
        return
    from types import SimpleNamespace

    sugg = [
        SimpleNamespace(**{**s, "groups": [SimpleNamespace(**g) for g in s.get("groups") or []]})
        for s in detail["suggestions"]
    ]
    for s in sugg:
        mark = "*" if s.predicted else " "
        typer.echo(f"{mark} {s.code:<6} {s.confidence:6.1%}  {(s.title or '')[:90]}")
        for g in s.groups:
            typer.echo(f"      {g.code:<14} {g.score:5.2f}  {(g.title or '')[:80]}")
    typer.echo(
        "(* = predicted label set; confidence = calibrated probability that the class is right)", err=True
    )


@classify_app.command("train")
def classify_train(
    scheme: str = typer.Option("any", "--scheme", help="ipc, cpc or any (both schemes' subclasses)."),
    min_docs: int = typer.Option(
        3, "--min-docs", help="Learn only classes with at least this many documents."
    ),
    max_docs: int = typer.Option(
        8000,
        "--max-docs",
        help="Train on at most this many documents "
        "(a stratified sample beyond; memory grows with its square).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print only the JSON summary."),
) -> None:
    """Train a classifier on the loaded corpus's classified documents; saves a new versioned model file."""
    svc = service()
    show = settings().progress is not False
    last = {"t": 0.0}

    def progress(stage: str, done: int, total: int) -> None:
        if not show:
            return
        now = time.perf_counter()
        if total and done < total and now - last["t"] < 2:
            return
        last["t"] = now
        _say(f"{stage}: {done:,}/{total:,}" if total else stage)

    res = svc.classifier.train_classifier(
        scheme=scheme, min_docs=min_docs, max_docs=max_docs, progress=progress
    )
    if not as_json:
        _say(
            f"model {res['path']}: {res['labels']} subclasses, {res['groups']} main groups, "
            f"{res['trained_documents']:,} documents, CV micro-F1 {res['cv_micro_f1']}, {res['seconds']} s"
        )
    emit(res)


@classify_app.command("models")
def classify_models() -> None:
    """List trained model files (newest last)."""
    emit(service().classifier.classifier_models())
