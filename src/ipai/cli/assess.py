"""``ipai assess``: a patentability search report for a disclosure or claims."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from ipai.cli import app, emit, service
from ipai.errors import InputError


def read_text_file(path: Path) -> str:
    """A text file as UTF-8 (GB18030 accepted for Chinese exports); clear errors otherwise."""
    if not path.is_file():
        raise InputError(f"file not found: {path}", errors=[{"field": "file", "message": "not found"}])
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise InputError(f"{path} is not a text file (binary content); give a UTF-8 text file",
                         errors=[{"field": "file", "message": "binary"}])
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise InputError(f"{path} is neither UTF-8 nor GB18030 text", errors=[{"field": "file", "message": "encoding"}])


@app.command()
def assess(
    text: Optional[str] = typer.Argument(None, help="The disclosure or claims (or use --file; '-' reads stdin)."),
    file: Optional[Path] = typer.Option(None, "--file", "-f", help="Text file with the disclosure or claims."),
    fmt: str = typer.Option("md", "--format", help="md, html or json."),
    query: Optional[str] = typer.Option(None, "--query", "-q", help="Search with this query instead of the generated one."),
    top: int = typer.Option(10, "--top", "-k", help="Prior-art documents to assess (1–50)."),
    lang: Optional[str] = typer.Option(None, "--lang", help="Report language (en, zh); default: the text's."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write the report here instead of stdout."),
) -> None:
    """Patentability report: features, prior art with X/Y/A, evidence passages, what to claim."""
    from ipai.report.assess import to_html, to_markdown

    if fmt not in ("md", "html", "json"):
        raise InputError(f"unknown format {fmt!r}: use md, html or json", errors=[{"field": "format", "message": "unknown"}])
    if file is not None:
        body = read_text_file(file)
    elif text == "-":
        body = sys.stdin.read()
    else:
        body = text or ""
    report = service().assess(body, top=top, query=query)
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
