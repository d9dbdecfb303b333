"""``ipai eval …`` of the features' quality: assessment and patentability, claim charts, IPC
classification, applicant disambiguation, filing forecasts, transfer matching, value, image
similarity, TRIZ, explanations, the claim checker and drafting."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import typer

from ipai.evals.cli import emit, eval_app, service, settings
from ipai.faces.options import check_lang


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
    from ipai.evals.search_report import eval_search_report

    emit(eval_search_report(paths, settings(), sample=sample, top=top))


@eval_app.command("patentability")
def patentability(
    files: list[Path] = typer.Argument(..., help="Case files (JSONL or TSV: id, kind, split, doc, claim)."),
    split: str | None = typer.Option(None, "--split", help="Report only this split (dev or test)."),
    calibrate: bool = typer.Option(
        False,
        "--calibrate",
        help="Refit the support model and the X threshold "
        "on the dev split and store them (src/ipai/assess/support.json).",
    ),
    details: bool = typer.Option(False, "--details", help="Add every case's supports and false X."),
    workdir: Path | None = typer.Option(
        None,
        "--workdir",
        help="Build the evaluation corpus here and reuse it on the next run (default: a temporary folder).",
    ),
    corpus: list[Path] | None = typer.Option(
        None, "--corpus", help="Use these files or folders as the corpus instead of the shared-data default."
    ),
) -> None:
    """Paraphrased and translated claims: own document X (target ≥ 0.8), false X on unrelated documents (≤ 0.05), per kind."""
    from ipai.evals.patentability import eval_patentability

    emit(
        eval_patentability(
            files,
            settings(),
            split=split,
            calibrate=calibrate,
            details=details,
            workdir=workdir,
            corpus=corpus,
        )
    )


@eval_app.command("claim-charts")
def claim_charts(
    files: list[Path] = typer.Argument(
        ...,
        help="Chart cases (JSONL: id, kind, split, claim, product, "
        "expected [[element text, present|unclear|absent], …]).",
    ),
    split: str | None = typer.Option(None, "--split", help="Report only this split (dev or test)."),
    calibrate: bool = typer.Option(
        False,
        "--calibrate",
        help="Refit the present/unclear cuts on the dev split and store them (src/ipai/assess/support.json).",
    ),
    details: bool = typer.Option(False, "--details", help="Add every element's verdict and score."),
    workdir: Path | None = typer.Option(
        None, "--workdir", help="Build the evaluation corpus here and reuse it (default: a temporary folder)."
    ),
    corpus: list[Path] | None = typer.Option(
        None,
        "--corpus",
        help="Use these files or folders as the corpus (word weights) instead of the shared-data default.",
    ),
) -> None:
    """Claim charts: element verdicts vs the expected ones (agreement, target ≥ 0.85) and literal-coverage error."""
    from ipai.evals.claim_charts import eval_claim_charts

    emit(
        eval_claim_charts(
            files,
            settings(),
            split=split,
            calibrate=calibrate,
            details=details,
            workdir=workdir,
            corpus=corpus,
        )
    )


@eval_app.command("ipc")
def eval_ipc_cmd(
    train: Path = typer.Option(
        ..., "--train", help="Labelled CSV (patent_title, true_subclasses_all, fold)."
    ),
    test: Path = typer.Option(
        ..., "--test", help="Labelled CSV to test on (may be the same file, split by folds)."
    ),
    train_folds: str | None = typer.Option(None, "--train-folds", help="Folds to train on, e.g. 1,2,3."),
    test_folds: str | None = typer.Option(None, "--test-folds", help="Folds to test on, e.g. 4."),
    no_baseline: bool = typer.Option(False, "--no-baseline", help="Skip the TF-IDF + LinearSVC baseline."),
) -> None:
    """IPC subclass classification: micro/macro-F1, exact match, top-3 recall, vs TF-IDF + LinearSVC."""
    from ipai.evals.ipc import eval_ipc

    t0 = time.perf_counter()
    show = settings().progress is not False

    def note(msg: str) -> None:
        if show:
            print(f"[{time.perf_counter() - t0:5.0f} s] {msg}", file=sys.stderr, flush=True)

    emit(eval_ipc(train, test, train_folds, test_folds, note=note, with_baseline=not no_baseline))


@eval_app.command("disambiguation")
def disambiguation(
    benchmark: Path = typer.Option(
        ..., "--benchmark", help="Folder (or one CSV) of PatentsView disambiguation benchmarks."
    ),
    limit: int | None = typer.Option(None, "--limit", help="Only the first N mentions of each file."),
) -> None:
    """Pairwise and B-cubed precision/recall/F1 of ipai's Resolver per benchmark file, vs exact normalised names."""
    from ipai.evals.disambiguation import eval_disambiguation

    emit(eval_disambiguation(benchmark, limit=limit))


@eval_app.command("forecast")
def forecast_eval(
    paths: list[Path] = typer.Argument(..., help="Files or folders with dated patent records."),
    holdout: int = typer.Option(3, "--holdout", help="Last complete years held out and forecast."),
    by: str = typer.Option("cpc-subclass", "--by", help="Series per cpc-subclass, cpc-group or term."),
    basis: str = typer.Option("filing", "--basis", help="Year of filing, priority or publication."),
    min_docs: int = typer.Option(30, "--min-docs", help="Documents a series needs in its training years."),
    top: int = typer.Option(25, "--top", help="Series listed in the table (largest first)."),
    since: int | None = typer.Option(None, "--since", help="Ignore years before this one."),
) -> None:
    """Hold out the last complete years; ipai's forecast vs naive last-value and linear trend (MAE, sMAPE, coverage)."""
    from ipai.evals.forecast import eval_forecast

    if basis not in ("filing", "priority", "publication"):
        raise typer.BadParameter("--basis must be filing, priority or publication")
    emit(
        eval_forecast(
            paths,
            settings(),
            holdout=holdout,
            by=by,
            basis=basis,
            min_train_docs=min_docs,
            top=top,
            first_year=since,
        )
    )


@eval_app.command("match")
def eval_match_cmd(
    paths: list[Path] = typer.Argument(
        ..., help="Files or folders with patent records that carry claims and classes."
    ),
    sample: int = typer.Option(200, "--sample", help="Pseudo-demands drawn (seeded)."),
    level: str = typer.Option(
        "group", "--level", help="CPC neighbours share the main group or the subclass."
    ),
    seed: int = typer.Option(7, "--seed"),
) -> None:
    """Patents as pseudo-demands (first independent claim rewritten as a need): ipai vs BM25 on CPC
    neighbours and owners (recall@10, MRR)."""
    from ipai.evals.match import eval_match

    emit(eval_match(paths, settings(), sample=sample, level=level, seed=seed))


@eval_app.command("matching")
def eval_matching_cmd(
    demands: Path = typer.Argument(
        ...,
        help="Demand file (TSV/JSONL: id, split, lang, demand, rule, note), e.g. "
        "evals/cases/demands.tsv; run on the store the demands were written for (the demo).",
    ),
    split: str | None = typer.Option(None, "--split", help="Only this split (dev or test)."),
    details: bool = typer.Option(
        False, "--details", help="Add every demand's key terms and judged proposals."
    ),
    calibrate: bool = typer.Option(
        False,
        "--calibrate",
        help="Fit the relevance calibration on the dev split and store it (src/ipai/match/calibration.json).",
    ),
) -> None:
    """Demands as enterprises write them: precision@5 of on-topic patents, no-good-match rate on
    unrelated needs, calibration quality of the shown relevance."""
    from ipai.evals.matching import eval_matching

    emit(eval_matching(service(), demands, split=split, details=details, calibrate=calibrate))


@eval_app.command("value")
def eval_value(
    paths: list[Path] = typer.Argument(
        ...,
        help="Files or folders with patent records carrying the label's field "
        "(cited-by counts or family sizes: Lens, PATENTSCOPE exports).",
    ),
    label: str = typer.Option("cites", "--label", help="Proxy label: cites or family."),
    split_year: int | None = typer.Option(
        None,
        "--split-year",
        help="Train on filings up to this year, test on "
        "later ones (default: the year holding 70% of labelled filings).",
    ),
) -> None:
    """Time-split evaluation (AUC, Spearman): indicator model, learned logistic, gradient boosting, a one-indicator baseline."""
    from ipai.evals.value import eval_value as run

    emit(run(paths, settings(), label=label, split_year=split_year))


@eval_app.command("logos")
def eval_logos_cmd(
    folder: Path = typer.Option(..., "--dir", help="Folder with logos.json (brands with their files)."),
    distractors: Path | None = typer.Option(
        None, "--distractors", help="Folder of other images added to the gallery."
    ),
) -> None:
    """Each file of a multi-file brand finds the brand's other files: recall@1/@10, MAP vs phash and
    colour-histogram baselines."""
    from ipai.evals.images import eval_logos

    emit(eval_logos(folder, distractors))


@eval_app.command("designs")
def eval_designs_cmd(
    folder: Path = typer.Option(..., "--dir", help="Folder of design-patent folders (drawing sheets + XML)."),
    distractors: Path | None = typer.Option(None, "--distractors", help="Folder of other images."),
) -> None:
    """Each drawing sheet finds the same design's other sheets: recall@1/@10, MAP vs baselines."""
    from ipai.evals.images import eval_designs

    emit(eval_designs(folder, distractors))


@eval_app.command("triz")
def eval_triz(
    file: Path = typer.Argument(
        ..., help="Problems (JSON lines: id, problem, topic_terms, subclasses, principles, split)."
    ),
    details: bool = typer.Option(False, "--details", help="Every example patent with its verdicts."),
) -> None:
    """TRIZ examples on the configured store: share on the user's topic and about the principle, distinct lists."""
    from ipai.evals.triz import eval_triz as run

    svc = service()
    try:
        emit(run(file, svc, details=details))
    finally:
        svc.close()


@eval_app.command("explain")
def eval_explain(
    paths: list[Path] = typer.Argument(
        ..., help="Patent files or folders (EPO/USPTO XML, CN abstracts CSV…)."
    ),
    cases: Path | None = typer.Option(
        None,
        "--cases",
        help="Labelled problem/effect passages (JSON lines); "
        "default evals/cases/explain.jsonl when it exists.",
    ),
    lang: str | None = typer.Option(
        None,
        "--lang",
        callback=check_lang,
        help="Reader language checked on documents in another language: zh or en.",
    ),
    details: bool = typer.Option(False, "--details", help="Every labelled case's quotes and verdicts."),
) -> None:
    """Problem / solution / effect found on grants, agreement with labelled passages, reader-language share."""
    from ipai.evals.explain import eval_explain as run

    default = Path("evals/cases/explain.jsonl")
    emit(
        run(
            paths,
            settings(),
            cases=cases or (default if default.is_file() else None),
            ui=lang,
            details=details,
        )
    )


@eval_app.command("claims")
def eval_claims(
    paths: list[Path] = typer.Argument(
        ..., help="Files or folders with claims (EPO/USPTO XML, claims CSV…)."
    ),
    office: str | None = typer.Option(
        None, "--office", help="Check all under one office (default: each document's own)."
    ),
    sample: int = typer.Option(
        0, "--sample", help="Also print this many findings drawn at random, to check by hand."
    ),
    seed: int = typer.Option(0, "--seed", help="Seed of the sample."),
) -> None:
    """Claim checker over every stored claim set: findings per 100 claims by rule, source, language."""
    from ipai.evals.claims import run

    emit(run(paths, settings(), office, sample, seed))


@eval_app.command("drafting")
def eval_drafting(
    file: Path = typer.Argument(..., help="Disclosures (JSON lines: id, lang, subject, text, split)."),
    details: bool = typer.Option(False, "--details", help="Every draft's claims and verdicts."),
) -> None:
    """Drafting form: subject in the preamble, features after 其特征在于 / wherein, dependent claims, field language."""
    from ipai.evals.drafting import eval_drafting as run

    svc = service()
    try:
        emit(run(file, svc, details=details))
    finally:
        svc.close()
