"""``ipai eval same-invention``: find the same patent across languages (EPO grants: claims in EN, DE, FR).

Every document of the given files with claims in two or more of the evaluated languages becomes
one pseudo-document per language (``EP1442058B`` → ``EP1442058ENB``, ``EP1442058DEB``…): that
language's claims and title only, the real classifications and dates, nothing else. Documents
with claims in a single evaluated language join as distractors in that language (unless they
share a number with an evaluated one), and so do the distractor files (default: the English
US claims of ``us-claims-cpc/df_claim_cpc_train.csv``). Everything is ingested and indexed in a
throw-away home; then claim 1 in one language is the query, restricted to the target language
(``filters={'lang': target}``), for every ordered language pair. Relevant: the same
document's pseudo-document in the target language (accuracy@1, MRR over the top ``depth``,
recall@10), per pair and overall, for each search mode.
"""

from __future__ import annotations

import tempfile
from itertools import permutations
from pathlib import Path
from typing import Any

from ipai.errors import InputError
from ipai.evals.judge import first_claims
from ipai.evals.metrics import mean, reciprocal_rank
from ipai.evals.runner import MODES, check_mode, run_query
from ipai.model import PatentDocument, PubNo, dump_record
from ipai.settings import Settings, load_settings

LANGS = ("en", "de", "fr")
DEFAULT_DISTRACTORS = "us-claims-cpc/df_claim_cpc_train.csv"


def read_patents(paths: list[Path]) -> list[PatentDocument]:
    """Patent records of files and folders, read with ipai's own readers (unknown files skipped)."""
    from ipai.ingest.registry import detect, expand, is_auxiliary

    docs: list[PatentDocument] = []
    for p in paths:
        if not p.exists():
            raise InputError(f"not found: {p}")
    for src in expand(paths):
        if is_auxiliary(src):
            continue
        reader = detect(src)
        if reader is None:
            continue
        docs.extend(it.record for it in reader.read(src) if isinstance(it.record, PatentDocument))
    return docs


def claim_langs(doc: PatentDocument, langs: tuple[str, ...]) -> list[str]:
    """The evaluated languages the document has claims in, in ``langs`` order."""
    have = {c.lang for c in doc.claims}
    return [lang for lang in langs if lang in have]


def language_version(doc: PatentDocument, lang: str) -> PatentDocument:
    """The pseudo-document of one language of a document: its claims and title, real classes and dates."""
    pubno = PubNo(country=doc.pubno.country, number=doc.pubno.number + lang.upper(), kind=doc.pubno.kind)
    return PatentDocument(
        pubno=pubno,
        doc_type=doc.doc_type,
        lang=lang,
        titles={lang: doc.titles[lang]} if doc.titles.get(lang) else {},
        abstracts={lang: doc.abstracts[lang]} if doc.abstracts.get(lang) else {},
        claims=[c for c in doc.claims if c.lang == lang],
        classifications=list(doc.classifications),
        publication_date=doc.publication_date,
        grant_date=doc.grant_date,
        filing_date=doc.filing_date,
        priority_date=doc.priority_date,
    )


def split_documents(
    docs: list[PatentDocument], langs: tuple[str, ...], limit: int | None
) -> tuple[list[PatentDocument], list[PatentDocument]]:
    """(documents with claims in 2+ languages, the first ``limit``; one-language ones of other numbers)."""
    multi = [d for d in docs if len(claim_langs(d, langs)) >= 2]
    if limit is not None:
        multi = multi[:limit]
    numbers = {(d.pubno.country, d.pubno.number) for d in multi}
    single = [
        d
        for d in docs
        if len(claim_langs(d, langs)) == 1 and (d.pubno.country, d.pubno.number) not in numbers
    ]
    return multi, single


def pair_scores(runs: list[dict[str, Any]], candidates: dict[str, int]) -> dict[str, Any]:
    """Accuracy@1, MRR and recall@10 per ordered pair and overall, from per-query results."""
    pairs: dict[str, list[dict[str, Any]]] = {}
    for r in runs:
        pairs.setdefault(f"{r['source']}->{r['target']}", []).append(r)

    def score(rs: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "queries": len(rs),
            "acc@1": mean(1.0 if r["rank"] == 1 else 0.0 for r in rs),
            "mrr": mean(r["rr"] for r in rs),
            "recall@10": mean(1.0 if r["rank"] and r["rank"] <= 10 else 0.0 for r in rs),
            "errors": sum(1 for r in rs if r["error"]),
        }

    out = {}
    for pair, rs in pairs.items():
        n = candidates.get(rs[0]["target"], 0)
        out[pair] = {**score(rs), "candidates": n, "random_acc@1": round(1 / n, 4) if n else None}
    return {"overall": score(runs), "pairs": out}


def _temp_settings(settings: Settings, home: Path) -> Settings:
    return load_settings(
        home=home,
        store=f"sqlite:///{home / 'ipai.sqlite'}",
        progress=False,
        data_dir=settings.data_dir,
        search_encoder=settings.search_encoder,
        search_keyword_weight=settings.search_keyword_weight,
        search_semantic_weight=settings.search_semantic_weight,
        index_workers=settings.index_workers,
    )


def _runs(
    svc: Any,
    multi: list[PatentDocument],
    versions: dict[tuple[str, str], PatentDocument],
    langs: tuple[str, ...],
    mode: str,
    depth: int,
) -> list[dict[str, Any]]:
    runs = []
    for d in multi:
        for s, t in permutations(claim_langs(d, langs), 2):
            query = "\n".join(first_claims(versions[(d.id, s)]))
            rk = run_query(svc, query, top=depth, mode=mode, filters={"lang": t}, fetch=False)
            rr = reciprocal_rank(rk.ids, versions[(d.id, t)].id)
            runs.append(
                {
                    "doc": d.id,
                    "source": s,
                    "target": t,
                    "rr": rr,
                    "rank": round(1 / rr) if rr else None,
                    "top": rk.ids[:1],
                    "error": rk.error,
                }
            )
    return runs


def eval_same_invention(
    paths: list[Path],
    settings: Settings,
    *,
    distractors: list[Path] | None = None,
    limit: int | None = None,
    langs: tuple[str, ...] = LANGS,
    modes: tuple[str, ...] = MODES,
    depth: int = 100,
) -> dict[str, Any]:
    """Claim 1 of each invention in one language against its versions in the others, in a throw-away store."""
    from ipai.service import Service

    for m in modes:
        check_mode(m)
    if distractors is None:
        default = settings.shared_data / DEFAULT_DISTRACTORS
        distractors = [default] if default.is_file() else []
    for p in distractors:
        if not p.exists():
            raise InputError(f"distractor file not found: {p}")
    multi, single = split_documents(read_patents(paths), langs, limit)
    if not multi:
        raise InputError(
            f"no document with claims in two or more of {', '.join(langs)} in {', '.join(map(str, paths))}"
        )
    versions = {(d.id, lang): language_version(d, lang) for d in multi for lang in claim_langs(d, langs)}
    extra = [language_version(d, claim_langs(d, langs)[0]) for d in single]
    with tempfile.TemporaryDirectory(prefix="ipai-same-invention-") as td:
        corpus = Path(td) / "corpus"
        corpus.mkdir()
        lines = "".join(dump_record(r) + "\n" for r in [*versions.values(), *extra])
        (corpus / "versions.jsonl").write_text(lines, encoding="utf-8")
        svc = Service(_temp_settings(settings, Path(td) / "home"))
        try:
            svc.corpus.ingest([corpus, *distractors])
            svc.corpus.index(rebuild=True)
            by_language = svc.stats().get("by_language", {})
            candidates = {lang: int(by_language.get(lang, 0)) for lang in langs}
            runs = {mode: _runs(svc, multi, versions, langs, mode, depth) for mode in modes}
            store_docs = svc.store.count_documents()
        finally:
            svc.close()
    return {
        "eval": "same-invention",
        "files": [str(p) for p in paths],
        "distractor_files": [str(p) for p in distractors],
        "languages": list(langs),
        "inventions": len(multi),
        "single_language_distractors": len(extra),
        "store_documents": store_docs,
        "candidates": candidates,
        "depth": depth,
        "documents": [d.id for d in multi],
        **{mode: pair_scores(r, candidates) for mode, r in runs.items()},
        "misses": {mode: [x for x in r if x["rank"] != 1][:60] for mode, r in runs.items()},
    }
