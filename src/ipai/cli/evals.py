"""``ipai eval …``: quality measurements on data files; each prints one JSON object last."""

from __future__ import annotations

from pathlib import Path

import typer

from ipai.cli import app, emit, settings

eval_app = typer.Typer(
    help="Evaluations on data files; each prints one JSON object last.", no_args_is_help=True
)
app.add_typer(eval_app, name="eval")


@eval_app.command("cpc-retrieval")
def cpc_retrieval(
    corpus: Path = typer.Option(..., "--corpus", help="Claims-with-CPC CSV to search in."),
    queries: Path = typer.Option(..., "--queries", help="Claims-with-CPC CSV of query claims."),
) -> None:
    """Claims as queries over claims; relevant = sharing a CPC subclass; ipai vs Lucene BM25 (MAP, P@10, recall@100)."""
    from ipai.search.evaluate import eval_cpc_retrieval

    emit(eval_cpc_retrieval(corpus, queries, settings()))


@eval_app.command("cross-lingual")
def cross_lingual(
    queries: Path = typer.Option(..., "--queries", help="Chinese titles CSV (titles_ipc format)."),
    corpus: Path = typer.Option(..., "--corpus", help="English claims-with-CPC CSV."),
) -> None:
    """Chinese titles as queries over English claims; relevant = sharing a subclass; vs a random ranking."""
    from ipai.search.evaluate import eval_cross_lingual

    emit(eval_cross_lingual(queries, corpus, settings()))


@eval_app.command("pppm")
def pppm(
    pairs: Path = typer.Option(..., "--pairs", help="Phrase pairs CSV (anchor, target, context, score)."),
    train: Path | None = typer.Option(
        None,
        "--train",
        help="Training pairs (default: the shared PPPM file, minus any anchor of the evaluated file).",
    ),
) -> None:
    """Phrase similarity against human scores (Pearson, Spearman)."""
    from ipai.search.phrases import evaluate_pppm

    emit(evaluate_pppm(pairs, train, settings()))


@eval_app.command("search-report")
def search_report(
    paths: list[Path] = typer.Argument(
        ..., help="Files or folders with full-text patents (claims, citations)."
    ),
    sample: int = typer.Option(
        40, "--sample", help="Documents whose own claim is assessed (self-anticipation)."
    ),
    top: int = typer.Option(10, "--top", help="Prior-art documents per report."),
) -> None:
    """Assessment vs real citations (X/Y/A agreement, false X on granted claims) and self-anticipation."""
    from ipai.assess.evaluate import eval_search_report

    emit(eval_search_report(paths, settings(), sample=sample, top=top))


@eval_app.command("qa")
def qa(
    paths: list[Path] = typer.Argument(..., help="Patent files or folders with titles and abstracts."),
    sample: int = typer.Option(300, "--sample", help="Documents asked about (a question from each title)."),
    negatives: int = typer.Option(
        200, "--negatives", help="Unrelated questions (from IPC group titles) for refusal."
    ),
) -> None:
    """Q&A: is the first cited passage from the document whose title was asked about (accuracy@1, @3); refusal rates."""
    from ipai.qa.evaluate import eval_qa

    emit(eval_qa(paths, settings(), sample=sample, negatives=negatives))
