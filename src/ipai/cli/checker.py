"""Commands of the claim checker (registered on the draft group): ``ipai draft check``, ``ipai eval claims``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from ipai.cli import emit, service
from ipai.cli.draft import draft_app
from ipai.cli.errors import check_lang
from ipai.errors import InputError


def _read(path: Path, field: str) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            f"cannot read {path}: {exc}", errors=[{"field": field, "message": str(exc)}]
        ) from exc


def _print(res: dict[str, Any]) -> None:
    e = typer.echo
    c = res["counts"]
    head = f"{res.get('number', '')} " if res.get("number") else ""
    e(
        f"{head}{c['claims']} claims ({res['lang']}, office {res['office']}): {c['findings']} findings "
        f"({c['by_severity']['error']} errors, {c['by_severity']['warning']} warnings, {c['by_severity']['info']} info)"
    )
    for f in res["findings"]:
        e(f"  claim {f['claim']} [{f['start']}:{f['end']}] {f['severity']:<7} {f['rule']}: {f['message']}")
        e(f"      → {f['suggestion']}")


@draft_app.command("check")
def check(
    file: Path | None = typer.Argument(None, help="Claims file: numbered text (1. … 2. …) or JSON."),
    description: Path | None = typer.Option(
        None, "--description", help="Description text file (support check)."
    ),
    office: str = typer.Option("CN", "--office", help="CN, EP or US (multiple dependency, wording rules)."),
    number: str | None = typer.Option(None, "--number", help="Check a stored patent instead of a file."),
    lang: str | None = typer.Option(
        None, "--lang", callback=check_lang, help="Language of the messages: en or zh (default: the claims')."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Check claims: numbering, references, multiple dependency, antecedent basis, support, reference
    numerals, unclear terms, category; each finding with position, rule, severity and a fix."""
    if (file is None) == (number is None):
        raise InputError(
            "give a claims FILE or --number", errors=[{"field": "file", "message": "one of FILE, --number"}]
        )
    if number is not None:
        svc = service()
        try:
            res = svc.checker.check_document(number, office=office if office else None, ui_lang=lang)
        finally:
            svc.close()
    else:
        from ipai.draft.checker import check_claims

        assert file is not None
        desc = _read(description, "description") if description else None
        res = check_claims(_read(file, "file"), description=desc, office=office, ui_lang=lang)
    if as_json:
        emit(res)
    else:
        _print(res)
