"""Documentation that cannot rot: the canonical format doc lists every model field,
the README's quick start has exactly the two commands, and they exist."""

from __future__ import annotations

import re
from pathlib import Path

from ipai.model import PatentDocument, Trademark

ROOT = Path(__file__).resolve().parents[1]


def _documented(section: str) -> set[str]:
    names: set[str] = set()
    for line in section.splitlines():
        if line.startswith("| `"):
            first_cell = line.split("|")[1]
            names.update(re.findall(r"`([a-z_][a-z0-9_]*)`", first_cell))
    return names


def test_canonical_doc_lists_every_field() -> None:
    text = (ROOT / "docs" / "canonical-jsonl.md").read_text(encoding="utf-8")
    patent_part, _, tm_part = text.partition("## Trademark")
    assert _documented(patent_part) == set(PatentDocument.model_fields)
    assert _documented(tm_part) == set(Trademark.model_fields)


def test_readme_quick_start_has_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Quick start", 1)[1].split("```", 2)[1]
    cmds = [ln.split("#")[0].strip() for ln in block.splitlines()[1:] if ln.split("#")[0].strip()]
    assert cmds == ["./run demo", "./run tests"]
    assert (ROOT / "run").stat().st_mode & 0o111
    assert "./run tests" in (ROOT / ".ci" / "run").read_text()
