"""``ipai eval topical|filters|multi-concept|same-invention``: search quality on hand-written query files."""

from __future__ import annotations

from pathlib import Path

import typer

from ipai.cli import _State, emit, settings
from ipai.cli.evals import eval_app
from ipai.settings import Settings, load_settings

_FILES = typer.Argument(..., help="Query files (TSV with a header; see docs/search.md, Evaluations).")
_HOME = typer.Option(
    None, "--home", help="Data directory of the store to evaluate (default: the global --home / IPAI_HOME)."
)
_MODE = typer.Option("hybrid", "--mode", help="Search mode: hybrid, keyword or semantic.")
_SPLIT = typer.Option(
    None, "--split", help="Only the queries of this split (the file's split column, e.g. dev or test)."
)
_NO_COUNT = typer.Option(
    False,
    "--no-count",
    help="Skip the pass over the store that counts each query's "
    "relevant documents (the attainable precision).",
)


def _settings(home: Path | None) -> Settings:
    if home is None:
        return settings()
    return load_settings(**{**_State.overrides, "home": home})


@eval_app.command("topical")
def topical(
    files: list[Path] = _FILES,
    home: Path | None = _HOME,
    top: int = typer.Option(10, "--top", min=1, max=1000, help="Results judged per query (P@top)."),
    mode: str = _MODE,
    split: str | None = _SPLIT,
    no_count: bool = _NO_COUNT,
) -> None:
    """Topical precision: share of the top results whose title+abstract match the query's on_topic regex."""
    from ipai.evals.topical import eval_topical

    emit(eval_topical(files, _settings(home), top=top, mode=mode, split=split, count=not no_count))


@eval_app.command("filters")
def filters(
    files: list[Path] = _FILES,
    home: Path | None = _HOME,
    top: int = typer.Option(10, "--top", min=1, max=1000, help="Results checked per query."),
    mode: str = _MODE,
    split: str | None = _SPLIT,
    no_count: bool = typer.Option(
        False,
        "--no-count",
        help="Skip counting the documents each filter "
        "set matches (one pass over the store) and the total-bound check.",
    ),
) -> None:
    """Filter correctness: nonsense finds nothing (0 hits, total 0); every hit satisfies every filter."""
    from ipai.evals.filtering import eval_filters

    emit(eval_filters(files, _settings(home), top=top, mode=mode, split=split, count=not no_count))


@eval_app.command("multi-concept")
def multi_concept(
    files: list[Path] = _FILES,
    home: Path | None = _HOME,
    mode: str = _MODE,
    split: str | None = _SPLIT,
    no_count: bool = _NO_COUNT,
) -> None:
    """Multi-concept precision: P@10 and P@5 of results matching ALL of a query's concept regexes."""
    from ipai.evals.multi_concept import eval_multi_concept

    emit(eval_multi_concept(files, _settings(home), mode=mode, split=split, count=not no_count))


@eval_app.command("same-invention")
def same_invention(
    paths: list[Path] = typer.Argument(..., help="EPO XML files or folders (grants: claims in EN, DE, FR)."),
    distractors: list[Path] | None = typer.Option(
        None,
        "--distractors",
        help="Files or folders ingested as distractors (repeatable; default: the "
        "us-claims-cpc train CSV of the shared data).",
    ),
    no_distractors: bool = typer.Option(False, "--no-distractors", help="No distractor files."),
    limit: int | None = typer.Option(None, "--limit", min=1, help="Only the first N multilingual documents."),
    langs: str = typer.Option("en,de,fr", "--langs", help="Languages paired (comma-separated)."),
    modes: str = typer.Option("hybrid,keyword,semantic", "--modes", help="Search modes compared."),
    depth: int = typer.Option(100, "--depth", min=1, max=1000, help="Results read per query (MRR depth)."),
) -> None:
    """Cross-lingual same-invention retrieval: claim 1 in one language finds the same patent in another."""
    from ipai.evals.same_invention import eval_same_invention

    emit(
        eval_same_invention(
            paths,
            settings(),
            distractors=[] if no_distractors else (distractors or None),
            limit=limit,
            langs=_csv(langs),
            modes=_csv(modes),
            depth=depth,
        )
    )


def _csv(text: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in text.split(",") if x.strip())
