"""``ipai explain PUBNO``: AI patent interpretation (专利AI解读); ``ipai eval explain FILES…``."""

from __future__ import annotations

from pathlib import Path

import typer

from ipai.cli import app, emit, service, settings
from ipai.cli.errors import check_lang
from ipai.cli.evals import eval_app


@app.command("explain")
def explain(
    number: str = typer.Argument(..., help="Publication number of a stored document."),
    lang: str = typer.Option(
        "en", "--lang", callback=check_lang, help="Language of the labels and of the LLM version: zh or en."
    ),
    text_lang: str | None = typer.Option(
        None,
        "--text-lang",
        help="Which of the document's languages to read (default: its claims' language, English first).",
    ),
    no_llm: bool = typer.Option(False, "--no-llm", help="Extractive only, even with an LLM configured."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Plain-language explanation: problem, solution, effects (quoted with locations), the main
    claim's scope, what a competitor must avoid, key figures; fluent with an LLM configured."""
    from ipai.explain.explainer import plain_text

    svc = service()
    try:
        res = svc.explain.explain(number, lang=text_lang, ui_lang=lang, use_llm=not no_llm)
    finally:
        svc.close()
    if as_json:
        emit(res)
    else:
        typer.echo(plain_text(res, lang))


@eval_app.command("explain")
def eval_explain(
    paths: list[Path] = typer.Argument(
        ..., help="Patent files or folders (EPO/USPTO XML, CN abstracts CSV…)."
    ),
    cases: Path | None = typer.Option(
        None,
        "--cases",
        help="Labelled problem/effect passages (JSON lines); "
        "default evals/cases/explain.jsonl when it exists.",
    ),
    lang: str | None = typer.Option(
        None,
        "--lang",
        callback=check_lang,
        help="Reader language checked on documents in another language: zh or en.",
    ),
    details: bool = typer.Option(False, "--details", help="Every labelled case's quotes and verdicts."),
) -> None:
    """Problem / solution / effect found on grants, agreement with labelled passages, reader-language share."""
    from ipai.explain.evaluate import eval_explain as run

    default = Path("evals/cases/explain.jsonl")
    emit(
        run(
            paths,
            settings(),
            cases=cases or (default if default.is_file() else None),
            ui=lang,
            details=details,
        )
    )
