"""``ipai draft …``: the claim checker and the drafter (the ``draft`` command group)."""

from __future__ import annotations

from pathlib import Path

import typer

from ipai.cli import app

draft_app = typer.Typer(help="Claim checks and patent drafts (zh/en).", no_args_is_help=True)
app.add_typer(draft_app, name="draft")


def _markdown(r: dict) -> str:
    lines = [f"# {r['title']}", ""]
    for name, text in r["sections"].items():
        lines += [f"## {name}", "", text, ""]
    lines += ["## " + ("权利要求书" if r["lang"] == "zh" else "Claims"), ""] + r["claims"] + [""]
    check = r.get("check") or {}
    if check.get("findings"):
        lines += ["## Checker findings", ""] + [
            f"- claim {f['claim']} [{f['rule']}, {f['severity']}] {f['message']}" for f in check["findings"]
        ]
    if r["transcript"]:
        lines += ["", "## Transcript", ""] + [
            f"**{t['role']}, round {t['round']}**\n\n{t['text']}\n" for t in r["transcript"]
        ]
    return "\n".join(lines) + "\n"


@draft_app.command("new")
def draft_new(
    file: Path = typer.Argument(..., help="The disclosure (交底书), a UTF-8/GB18030 text file."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Write the draft as Markdown here."),
    rounds: int = typer.Option(2, "--rounds", help="Expert/agent revision rounds when an LLM is configured."),
    no_llm: bool = typer.Option(False, "--no-llm", help="The deterministic drafter only."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Draft an application from a disclosure: title, sections, claims (checked); LLM roles when configured."""
    from ipai.cli import emit, service
    from ipai.text.inputs import read_text_file

    r = service().draft.draft(read_text_file(file), rounds=rounds, use_llm=False if no_llm else None)
    if out:
        out.write_text(_markdown(r), encoding="utf-8")
    if as_json:
        emit(r)
        return
    typer.echo(
        _markdown(r)
        if not out
        else f"draft written to {out} ({r['mode']}" + (f"; {r['fallback']}" if r["fallback"] else "") + ")"
    )
