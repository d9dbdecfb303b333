"""``ipai eval law-qa``: does a question about the Chinese IP laws get the right article first, and
is a question the laws do not answer refused?

The question file (``evals/queries/law-qa.tsv``) is tab-separated with a header: ``question``,
``law`` (short name as cited: 专利法, 专利法实施细则, 商标法…), ``article`` (Arabic number),
``answerable`` (yes/no), ``split`` (dev/test), ``note``; ``#`` lines are comments. Several acceptable
citations are ``|``-separated in ``law`` and ``article`` and paired by position.

The laws (``<shared data>/cn-ip-law``) are loaded into a temporary home (their e5 vectors come from
the shared cache), unless ``store`` is set: then the configured store is asked as it is (the demo,
with its patents). Per split: accuracy@1 (the first citation is a right law + article), @3,
answered-right (not refused and right first), refusal precision and recall on the questions the laws
do not answer, and seconds per question. ``calibrate`` fits the knowledge refusal threshold on the
dev split (balanced accuracy) and stores it with its record (:mod:`ipai.qa.calibration`).
"""

from __future__ import annotations

import csv
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ipai.errors import InputError
from ipai.settings import Settings, load_settings

COLUMNS = ("question", "law", "article", "answerable", "split", "note")


@dataclass
class LawQuestion:
    """One question of the file with its acceptable citations."""

    question: str
    expected: list[tuple[str, int]]
    answerable: bool
    split: str
    note: str = ""


def read_questions(path: Path) -> list[LawQuestion]:
    """The questions of a law-qa TSV file; :class:`InputError` naming the line when one is malformed."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"question file not found: {path}")
    lines = [
        ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")
    ]
    rows = list(csv.DictReader(lines, delimiter="\t"))
    if not rows or any(c not in rows[0] for c in COLUMNS[:5]):
        raise InputError(f"{path.name}: the header must name the columns {', '.join(COLUMNS)}")
    out = []
    for n, r in enumerate(rows, 2):
        ok = (r.get("answerable") or "").strip().lower()
        if ok not in ("yes", "no") or not (r.get("question") or "").strip():
            raise InputError(f"{path.name} row {n}: question and answerable (yes/no) are required")
        laws = [x.strip() for x in (r.get("law") or "").split("|") if x.strip()]
        arts = [x.strip() for x in (r.get("article") or "").split("|") if x.strip()]
        if ok == "yes" and (len(laws) != len(arts) or not laws or not all(a.isdigit() for a in arts)):
            raise InputError(f"{path.name} row {n}: law and article must pair up (article an Arabic number)")
        out.append(
            LawQuestion(
                r["question"].strip(),
                [(lw, int(a)) for lw, a in zip(laws, arts, strict=False)] if ok == "yes" else [],
                ok == "yes",
                (r.get("split") or "dev").strip(),
                (r.get("note") or "").strip(),
            )
        )
    return out


def law_files(settings: Settings) -> list[Path]:
    """The law texts of the shared data (``cn-ip-law/*.md`` but its README)."""
    folder = settings.shared_data / "cn-ip-law"
    if not folder.is_dir():
        raise InputError(f"law folder not found: {folder}")
    return [f for f in sorted(folder.glob("*.md")) if f.name.lower() != "readme.md"]


def judge(svc: Any, questions: list[LawQuestion]) -> list[dict[str, Any]]:
    """Each question asked (retrieval only, nothing remembered): its citations, score and verdicts."""
    out = []
    for q in questions:
        t0 = time.perf_counter()
        _, ev = svc.qa.qa_retriever.retrieve(q.question, top=3)
        seconds = time.perf_counter() - t0
        cited = [(e.law, e.article) for e in ev]
        right = set(q.expected)
        out.append(
            {
                "question": q.question,
                "split": q.split,
                "answerable": q.answerable,
                "refused": not ev or ev[0].margin < 0,
                "at1": bool(cited) and cited[0] in right,
                "at3": any(c in right for c in cited),
                "score": float(ev[0].score) if ev else 0.0,
                "source": ev[0].source if ev else None,
                "cited": [e.cite or e.title for e in ev],
                "seconds": seconds,
            }
        )
    return out


def summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The measures of one split."""
    pos = [r for r in rows if r["answerable"]]
    neg = [r for r in rows if not r["answerable"]]
    refused = [r for r in rows if r["refused"]]

    def share(n: int, d: int) -> float | None:
        return round(n / d, 4) if d else None

    return {
        "questions": len(rows),
        "answerable": len(pos),
        "not_answerable": len(neg),
        "accuracy_at_1": share(sum(r["at1"] for r in pos), len(pos)),
        "accuracy_at_3": share(sum(r["at3"] for r in pos), len(pos)),
        "answered_right_first": share(sum(r["at1"] and not r["refused"] for r in pos), len(pos)),
        "refused_answerable": share(sum(r["refused"] for r in pos), len(pos)),
        "refusal_precision": share(sum(not r["answerable"] for r in refused), len(refused)),
        "refusal_recall": share(sum(r["refused"] for r in neg), len(neg)),
        "accuracy_at_1_zh": share(
            sum(r["at1"] for r in pos if not r["question"].isascii()),
            sum(not r["question"].isascii() for r in pos),
        ),
        "accuracy_at_1_en": share(
            sum(r["at1"] for r in pos if r["question"].isascii()), sum(r["question"].isascii() for r in pos)
        ),
        "seconds_per_question": round(sum(r["seconds"] for r in rows) / max(len(rows), 1), 4),
    }


def eval_law_qa(
    path: Path,
    settings: Settings,
    *,
    split: str | None = None,
    store: bool = False,
    calibrate: bool = False,
    details: bool = False,
) -> dict[str, Any]:
    """Accuracy@1/@3 of the cited article and refusal precision/recall per split; JSON summary."""
    from ipai.qa.calibration import best_threshold, calibration, knowledge_threshold, save
    from ipai.service import Service

    questions = read_questions(path)
    if split:
        questions = [q for q in questions if q.split == split] + (
            [q for q in questions if q.split == "dev" and q.split != split] if calibrate else []
        )
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as td:
        if store:
            svc = Service(settings)
        else:
            svc = Service(
                load_settings(
                    home=Path(td) / "home",
                    progress=False,
                    data_dir=settings.shared_data,
                    encoder_cache=settings.encoder_cache_path,
                )
            )
            svc.qa.load_knowledge(law_files(settings))
        try:
            svc.qa.qa_retriever.knowledge()  # vectors read or encoded before the clock of the questions
            svc.qa.qa_retriever.retrieve("warm up 预热", top=1)
            rows = judge(svc, questions)
            out: dict[str, Any] = {
                "task": "law-qa",
                "file": str(path),
                "store": str(settings.store_url) if store else "temporary (cn-ip-law only)",
            }
            if calibrate:
                dev = [r for r in rows if r["split"] == "dev"]
                t, bacc = best_threshold(
                    [r["score"] for r in dev if r["answerable"]],
                    [r["score"] for r in dev if not r["answerable"]],
                )
                for r in rows:
                    r["refused"] = r["score"] < t
                dev_sum = summary(dev)
                save(
                    t,
                    {
                        "file": Path(path).name,
                        "split": "dev",
                        "method": "balanced accuracy of answerable "
                        "(kept) vs not-answerable (refused) top scores",
                        "balanced_accuracy": bacc,
                        "questions": dev_sum["questions"],
                        "refused_answerable": dev_sum["refused_answerable"],
                        "refusal_precision": dev_sum["refusal_precision"],
                        "refusal_recall": dev_sum["refusal_recall"],
                    },
                )
            out["threshold"] = knowledge_threshold()
            out["calibrated_on"] = calibration().get("calibrated_on")
            for name in sorted({r["split"] for r in rows}):
                if split and name != split:
                    continue
                out[name] = summary([r for r in rows if r["split"] == name])
            if not split:
                out["all"] = summary(rows)
            if details:
                out["details"] = [r for r in rows if not split or r["split"] == split]
        finally:
            svc.close()
    out["seconds"] = round(time.perf_counter() - t0, 1)
    return out
