"""``ipai explain PUBNO``: AI patent interpretation (专利AI解读); ``ipai eval explain FILES…``."""

from __future__ import annotations

import typer

from ipai.cli import app, emit, service
from ipai.cli.errors import check_lang


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
