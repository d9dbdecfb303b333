"""``ipai assess``: a patentability search report for a disclosure or claims."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from ipai.cli import app, emit, service
from ipai.errors import InputError
from ipai.text.inputs import read_text_file


@app.command()
def assess(
    text: str | None = typer.Argument(
        None, help="The disclosure or claims (or use --file; '-' reads stdin)."
    ),
    file: Path | None = typer.Option(None, "--file", "-f", help="Text file with the disclosure or claims."),
    fmt: str = typer.Option("md", "--format", help="md, html or json."),
    query: str | None = typer.Option(
        None, "--query", "-q", help="Search with this query instead of the generated one."
    ),
    top: int = typer.Option(10, "--top", "-k", help="Prior-art documents to assess (1–50)."),
    lang: str | None = typer.Option(None, "--lang", help="Report language (en, zh); default: the text's."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Write the report here instead of stdout."),
) -> None:
    """Patentability report: features, prior art with X/Y/A, evidence passages, what to claim."""
    from ipai.report.assess import to_html, to_markdown

    if fmt not in ("md", "html", "json"):
        raise InputError(
            f"unknown format {fmt!r}: use md, html or json / 未知格式 {fmt!r}：请用 md、html 或 json",
            errors=[{"field": "format", "message": "unknown"}],
        )
    if file is not None:
        body = read_text_file(file)
    elif text == "-":
        body = sys.stdin.read()
    else:
        body = text or ""
    if lang not in (None, "en", "zh"):
        raise InputError(
            f"--lang must be en or zh, not {lang!r} / --lang 只能是 en 或 zh",
            errors=[{"field": "lang", "message": "en or zh"}],
        )
    report = service().assessment.assess(body, top=top, query=query, lang=lang)
    rlang = lang or ("zh" if report["input"]["lang"] == "zh" else "en")
    if fmt == "json":
        import json

        rendered = json.dumps(report, ensure_ascii=False)
    else:
        rendered = to_html(report, rlang) if fmt == "html" else to_markdown(report, rlang)
    if out:
        out.write_text(rendered, encoding="utf-8")
        typer.echo(f"report written to {out}", err=True)
        if fmt == "json":
            emit({"ok": True, "out": str(out)})
    elif fmt == "json":
        typer.echo(rendered)
    else:
        typer.echo(rendered)
