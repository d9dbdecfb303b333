"""``ipai eval qa``: does the answer cite the right document?

The patent files are ingested into a temporary store. For a sample of documents a question is made
from the title (``What does <title> do?``, ``<title>是什么？`` for Chinese titles); the document's
abstract is its answer. A question counts as answered right (accuracy@1) when the first cited
passage comes from that document, @3 when one of the first three does. Documents whose title is
shared by another document are left out of the headline numbers (the question cannot tell them
apart) and counted separately.

Refusal: questions made the same way from IPC group titles (``ipc-scheme/all_ipc.tsv`` in the data
folder: topics the corpus mostly lacks) are the "nothing relevant" side. Both sides are split in
halves; the threshold that maximises balanced accuracy on the first half is reported, and the
shipped threshold (:data:`ipai.qa.answer.REFUSE_BELOW`) is measured on the second half.
"""

from __future__ import annotations

import random
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from ipai.search.analysis import has_han
from ipai.settings import Settings, load_settings


def question_for(title: str) -> str:
    """The question a user might ask about a document with this title."""
    title = title.strip().rstrip("。.")
    return f"{title}是什么？" if has_han(title) else f"What does {title} do?"


def _ipc_questions(settings: Settings, n: int, seed: int) -> list[str]:
    path = settings.shared_data / "ipc-scheme" / "all_ipc.tsv"
    if not path.is_file():
        return []
    titles = []
    with path.open(encoding="utf-8", errors="replace") as f:
        for line in f:
            code, _, title = line.rstrip("\n").partition("\t")
            if len(code) == 14 and code.endswith("000000") and 8 <= len(title) <= 80 and "(" not in title:
                titles.append(title)
    rng = random.Random(seed)
    return [f"What is {t.split(';')[0].strip()}?" for t in rng.sample(titles, min(n, len(titles)))]


def _best_threshold(pos: list[float], neg: list[float]) -> tuple[float, float]:
    """The threshold maximising balanced accuracy (answered positives, refused negatives)."""
    best = (0.0, 0.0)
    for t in sorted(set(pos + neg)):
        acc = (sum(p >= t for p in pos) / max(len(pos), 1) + sum(x < t for x in neg) / max(len(neg), 1)) / 2
        if acc > best[1]:
            best = (t, acc)
    return round(best[0], 4), round(best[1], 4)


def eval_qa(
    paths: list[Path], settings: Settings, *, sample: int = 300, seed: int = 0, negatives: int = 200
) -> dict[str, Any]:
    """Accuracy@1/@3 of the cited document on title questions, and refusal rates; JSON summary."""
    from ipai.qa.answer import REFUSE_BELOW
    from ipai.service import Service

    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as td:
        svc = Service(
            load_settings(
                home=Path(td) / "home",
                progress=False,
                search_encoder=settings.search_encoder,
                data_dir=settings.shared_data,
            )
        )
        try:
            summary = svc.corpus.ingest([Path(p) for p in paths])
            svc.corpus.index()
            docs = [(d.id, d.title) for d in svc.store.iter_documents() if d.title and d.abstracts]
            shared = Counter(t.strip().lower() for _, t in docs)
            rng = random.Random(seed)
            picked = rng.sample(docs, min(sample, len(docs)))
            rows: list[dict[str, Any]] = []
            t_ask = time.perf_counter()
            for doc_id, title in picked:
                _, ev = svc.qa.qa_retriever.retrieve(question_for(title), top=3)
                ids = [e.id for e in ev]
                rows.append(
                    {
                        "id": doc_id,
                        "zh": has_han(title),
                        "ambiguous": shared[title.strip().lower()] > 1,
                        "at1": ids[:1] == [doc_id],
                        "at3": doc_id in ids,
                        "score": ev[0].score if ev else 0.0,
                        "cited": ids[:1],
                    }
                )
            per_q = (time.perf_counter() - t_ask) / max(len(rows), 1)
            neg = [
                (ev[0].score if ev else 0.0)
                for q in _ipc_questions(svc.settings, negatives, seed)
                for _, ev in [svc.qa.qa_retriever.retrieve(q, top=1)]
            ]
        finally:
            svc.close()

    def acc(rs: list[dict[str, Any]], key: str) -> float | None:
        return round(sum(r[key] for r in rs) / len(rs), 4) if rs else None

    clear = [r for r in rows if not r["ambiguous"]]
    half_p, half_n = len(clear) // 2, len(neg) // 2
    cal_pos, test_pos = [r["score"] for r in clear[:half_p]], [r["score"] for r in clear[half_p:]]
    cal_neg, test_neg = neg[:half_n], neg[half_n:]
    tuned, tuned_bacc = _best_threshold(cal_pos, cal_neg)
    return {
        "task": "qa",
        "files": [str(p) for p in paths],
        "documents": summary.loaded + summary.updated,
        "questions": len(clear),
        "ambiguous_titles_left_out": len(rows) - len(clear),
        "accuracy_at_1": acc(clear, "at1"),
        "accuracy_at_3": acc(clear, "at3"),
        "accuracy_at_1_zh": acc([r for r in clear if r["zh"]], "at1"),
        "accuracy_at_1_en": acc([r for r in clear if not r["zh"]], "at1"),
        "accuracy_at_1_including_ambiguous": acc(rows, "at1"),
        "threshold": REFUSE_BELOW,
        "refusal_rate_on_corpus_questions": round(
            sum(s < REFUSE_BELOW for s in test_pos) / max(len(test_pos), 1), 4
        ),
        "refusal_rate_on_unrelated_questions": round(
            sum(s < REFUSE_BELOW for s in test_neg) / max(len(test_neg), 1), 4
        )
        if test_neg
        else None,
        "accuracy_at_1_answered": acc([r for r in clear if r["score"] >= REFUSE_BELOW], "at1"),
        "unrelated_questions": len(neg),
        "calibrated_threshold": tuned,
        "calibration_balanced_accuracy": tuned_bacc,
        "seconds_per_question": round(per_q, 4),
        "seconds": round(time.perf_counter() - t0, 1),
    }
