"""``ipai eval …`` of search and Q&A quality: retrieval against CPC/IPC relevance, phrase
similarity, the hand-written query files (topical, filters, multi-concept), same-invention
retrieval across languages, document Q&A and law Q&A."""

from __future__ import annotations

from pathlib import Path

import typer

from ipai.evals.cli import emit, eval_app, settings

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


def _csv(text: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in text.split(",") if x.strip())


@eval_app.command("cpc-retrieval")
def cpc_retrieval(
    corpus: Path = typer.Option(..., "--corpus", help="Claims-with-CPC CSV to search in."),
    queries: Path = typer.Option(..., "--queries", help="Claims-with-CPC CSV of query claims."),
) -> None:
    """Claims as queries over claims; relevant = sharing a CPC subclass; ipai vs Lucene BM25 (MAP, P@10, recall@100)."""
    from ipai.evals.retrieval import eval_cpc_retrieval

    emit(eval_cpc_retrieval(corpus, queries, settings()))


@eval_app.command("cross-lingual")
def cross_lingual(
    queries: Path = typer.Option(..., "--queries", help="Chinese titles CSV (titles_ipc format)."),
    corpus: Path = typer.Option(..., "--corpus", help="English claims-with-CPC CSV."),
) -> None:
    """Chinese titles as queries over English claims; relevant = sharing a subclass; vs a random ranking."""
    from ipai.evals.retrieval import eval_cross_lingual

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
    from ipai.evals.pppm import evaluate_pppm

    emit(evaluate_pppm(pairs, train, settings()))


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

    emit(eval_topical(files, settings(home), top=top, mode=mode, split=split, count=not no_count))


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

    emit(eval_filters(files, settings(home), top=top, mode=mode, split=split, count=not no_count))


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

    emit(eval_multi_concept(files, settings(home), mode=mode, split=split, count=not no_count))


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


@eval_app.command("qa")
def qa(
    paths: list[Path] = typer.Argument(..., help="Patent files or folders with titles and abstracts."),
    sample: int = typer.Option(300, "--sample", help="Documents asked about (a question from each title)."),
    negatives: int = typer.Option(
        200, "--negatives", help="Unrelated questions (from IPC group titles) for refusal."
    ),
) -> None:
    """Q&A: is the first cited passage from the document whose title was asked about (accuracy@1, @3); refusal rates."""
    from ipai.evals.qa import eval_qa

    emit(eval_qa(paths, settings(), sample=sample, negatives=negatives))


@eval_app.command("law-qa")
def law_qa(
    questions: Path = typer.Argument(
        ..., help="Question file (TSV: question, law, article, answerable, split, note)."
    ),
    split: str | None = typer.Option(None, "--split", help="Only this split (dev or test)."),
    store: bool = typer.Option(
        False,
        "--store",
        help="Ask the configured store as it is (e.g. the demo, with "
        "its patents) instead of a temporary home with the laws only.",
    ),
    calibrate: bool = typer.Option(
        False,
        "--calibrate",
        help="Fit the refusal threshold on the dev split and store it (src/ipai/qa/refusal.json).",
    ),
    details: bool = typer.Option(False, "--details", help="Add every question's citations and verdicts."),
) -> None:
    """Law Q&A: right law + article first (accuracy@1, @3) and refusal precision/recall, per split."""
    from ipai.evals.law_qa import eval_law_qa

    emit(eval_law_qa(questions, settings(), split=split, store=store, calibrate=calibrate, details=details))
