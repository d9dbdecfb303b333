"""From kernel-ridge scores to calibrated label probabilities and a label set.

The ten best-scoring labels of a text are candidates. A logistic regression, shared by all
labels and fitted on out-of-fold candidates of the training data, turns each candidate's
features (its score, its gap to the best score, the best and second scores, its rank, the
label's prior and its co-occurrence with the text's other strong labels) into the probability
that the label is right. The prediction is the best label plus every candidate whose
probability reaches a threshold chosen on the same out-of-fold candidates for micro-F1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

N_CAND = 10
N_COOC = 5
MAX_LABELS = 5
FEATURES = ("score", "gap_to_best", "best", "second", "log_rank", "log_prior", "cooccurrence")


def label_stats(y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Label priors and P(label l | label m) from the training label matrix."""
    y = y.astype(np.float32)
    counts = y.sum(axis=0)
    prior = counts / max(len(y), 1)
    co = (y.T @ y) / np.maximum(counts[:, None], 1.0)
    np.fill_diagonal(co, 0.0)
    return prior.astype(np.float32), co.astype(np.float32)


def candidates(
    scores: np.ndarray, prior: np.ndarray, co: np.ndarray, n_cand: int = N_CAND
) -> tuple[np.ndarray, np.ndarray]:
    """Candidate label ids (rows × n_cand, best first) and their feature tensor (rows × n_cand × F)."""
    n, n_labels = scores.shape
    n_cand = min(n_cand, n_labels)
    order = np.argsort(-scores, axis=1, kind="stable")[:, :n_cand]
    s = np.take_along_axis(scores, order, axis=1)
    best = s[:, :1]
    second = s[:, 1:2] if n_cand > 1 else s[:, :1]
    m = min(N_COOC, n_cand)
    # co-occurrence: max over the text's top-m labels k ≠ l of score_k · P(l | k)
    cond = co[order[:, :m, None], order[:, None, :]]  # rows × m × n_cand
    cooc = (np.clip(s[:, :m, None], 0, None) * cond).max(axis=1)
    rank = np.broadcast_to(np.log1p(np.arange(n_cand, dtype=np.float32)), (n, n_cand))
    feats = np.stack(
        [
            s,
            s - best,
            np.broadcast_to(best, s.shape),
            np.broadcast_to(second, s.shape),
            rank,
            np.log(prior[order] + 1e-4),
            cooc,
        ],
        axis=-1,
    )
    return order, feats.astype(np.float32)


@dataclass
class Calibrator:
    """Logistic regression over candidate features, plus the decision threshold."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    threshold: float

    def proba(self, feats: np.ndarray) -> np.ndarray:
        """P(candidate label is right), same shape as the candidate grid."""
        z = ((feats - self.mean) / self.scale) @ self.coef + self.intercept
        return (1.0 / (1.0 + np.exp(-z))).astype(np.float32)

    def to_arrays(self) -> dict[str, np.ndarray | np.float32]:
        """State as arrays for the model file."""
        return {
            "cal_mean": self.mean,
            "cal_scale": self.scale,
            "cal_coef": self.coef,
            "cal_intercept": np.float32(self.intercept),
            "cal_threshold": np.float32(self.threshold),
        }

    @classmethod
    def from_arrays(cls, a: dict[str, np.ndarray]) -> Calibrator:
        """Rebuild from :meth:`to_arrays`."""
        return cls(
            a["cal_mean"], a["cal_scale"], a["cal_coef"], float(a["cal_intercept"]), float(a["cal_threshold"])
        )


def decide(proba: np.ndarray, threshold: float, max_labels: int = MAX_LABELS) -> np.ndarray:
    """Boolean grid: the best candidate always, others when their probability ≥ threshold."""
    pred = proba >= threshold
    pred[:, 0] = True
    pred[:, max_labels:] = False
    return pred


def fit_calibrator(
    oof_scores: np.ndarray, y: np.ndarray, prior: np.ndarray, co: np.ndarray
) -> tuple[Calibrator, dict]:
    """Fit the calibrator on out-of-fold scores; choose the threshold for micro-F1."""
    from sklearn.linear_model import LogisticRegression

    order, feats = candidates(oof_scores, prior, co)
    hit = np.take_along_axis(y, order, axis=1).astype(bool)
    x = feats.reshape(-1, feats.shape[-1])
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    lr = LogisticRegression(C=1.0, max_iter=2000).fit((x - mean) / scale, hit.ravel())
    cal = Calibrator(
        mean.astype(np.float32),
        scale.astype(np.float32),
        lr.coef_[0].astype(np.float32),
        float(lr.intercept_[0]),
        0.5,
    )
    proba = cal.proba(feats)
    by_p = np.argsort(-proba, axis=1, kind="stable")  # predictions rank candidates by probability
    proba, hit = np.take_along_axis(proba, by_p, axis=1), np.take_along_axis(hit, by_p, axis=1)
    total = int(y.sum())
    best = (-1.0, 0.5)
    for t in np.linspace(0.05, 0.8, 76):
        pred = decide(proba, float(t))
        tp = int((pred & hit).sum())
        f1 = 2 * tp / (pred.sum() + total) if total else 0.0
        best = max(best, (f1, round(float(t), 3)))
    cal.threshold = best[1]
    info = {
        "threshold": best[1],
        "cv_micro_f1": round(best[0], 4),
        "candidate_recall": round(float(hit.sum()) / max(total, 1), 4),
        "coef": dict(zip(FEATURES, (round(float(c), 3) for c in cal.coef), strict=False)),
    }
    return cal, info
