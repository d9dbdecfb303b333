"""The multi-label metrics on a hand-checked example."""

from __future__ import annotations

from ipai.classify.metrics import multilabel_metrics


def test_metrics_by_hand() -> None:
    truth = [{"A61K", "A61P"}, {"G06F"}, {"H01M"}]
    pred = [{"A61K"}, {"G06F", "G06N"}, {"B60L"}]
    ranked = [["A61K", "C07D", "A61P"], ["G06F", "G06N", "H04L"], ["B60L", "H02J", "G01R"]]
    m = multilabel_metrics(truth, pred, ranked)
    # TP = 2 (A61K, G06F), FP = 2 (G06N, B60L), FN = 2 (A61P, H01M)
    assert m["micro_f1"] == 0.5 and m["precision"] == 0.5 and m["recall"] == 0.5
    # per-label F1: A61K 1, G06F 1, A61P 0, G06N 0, H01M 0, B60L 0 → 2/6
    assert m["macro_f1"] == round(2 / 6, 4)
    assert m["exact_match"] == 0.0
    assert m["top1_precision"] == round(2 / 3, 4)
    assert m["top3_recall"] == 0.75  # A61K, A61P, G06F of 4 true labels
    assert multilabel_metrics([{"A"}], [{"A"}], [["A"]])["exact_match"] == 1.0
