"""Multi-label metrics over label sets (a test label never seen in training counts as missed).

- micro-F1: 2·TP / (predicted labels + true labels), summed over all test items.
- macro-F1: mean over every label that is true for some test item or predicted for one, of that
  label's F1 (0 when it has no true positive).
- exact match: share of test items whose predicted set equals the true set.
- top-3 recall: true labels found among each item's three best-ranked suggestions, over all
  true labels (micro-averaged; independent of the decision threshold).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence


def multilabel_metrics(
    truth: Sequence[set[str]], predicted: Sequence[set[str]], ranked: Sequence[Sequence[str]] | None = None
) -> dict[str, float]:
    """micro/macro-F1, precision, recall, exact match and (given rankings) top-1 precision and top-3 recall."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    exact = 0
    for t, p in zip(truth, predicted, strict=True):
        for lab in p & t:
            tp[lab] += 1
        for lab in p - t:
            fp[lab] += 1
        for lab in t - p:
            fn[lab] += 1
        exact += t == p
    stp, sfp, sfn = sum(tp.values()), sum(fp.values()), sum(fn.values())
    labels = set(tp) | set(fp) | set(fn)
    macro = [2 * tp[x] / (2 * tp[x] + fp[x] + fn[x]) for x in labels]
    out = {
        "micro_f1": 2 * stp / (2 * stp + sfp + sfn) if stp else 0.0,
        "macro_f1": sum(macro) / len(macro) if macro else 0.0,
        "exact_match": exact / len(truth) if truth else 0.0,
        "precision": stp / (stp + sfp) if stp + sfp else 0.0,
        "recall": stp / (stp + sfn) if stp + sfn else 0.0,
        "labels_per_item": (stp + sfp) / len(truth) if truth else 0.0,
    }
    if ranked is not None:
        total = sum(len(t) for t in truth)
        out["top1_precision"] = sum(bool(r) and r[0] in t for t, r in zip(truth, ranked, strict=False)) / max(
            len(truth), 1
        )
        out["top3_recall"] = sum(len(t & set(r[:3])) for t, r in zip(truth, ranked, strict=False)) / max(
            total, 1
        )
    return {k: round(v, 4) for k, v in out.items()}
