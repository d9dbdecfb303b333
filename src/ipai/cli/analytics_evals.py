"""``ipai eval disambiguation``: applicant/inventor entity resolution against hand-labelled clusters."""

from __future__ import annotations

from pathlib import Path

import typer

from ipai.cli import emit
from ipai.cli.evals import eval_app


@eval_app.command("disambiguation")
def disambiguation(
    benchmark: Path = typer.Option(
        ..., "--benchmark", help="Folder (or one CSV) of PatentsView disambiguation benchmarks."
    ),
    limit: int | None = typer.Option(None, "--limit", help="Only the first N mentions of each file."),
) -> None:
    """Pairwise and B-cubed precision/recall/F1 of ipai's Resolver per benchmark file, vs exact normalised names."""
    from ipai.analytics.entities.evaluate import eval_disambiguation

    emit(eval_disambiguation(benchmark, limit=limit))
