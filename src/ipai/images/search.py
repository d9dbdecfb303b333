"""Ranking an index against a query image: best-matching view pairs, optional class filters."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ipai.images.index import ImageIndex

CANDIDATE_FACTOR = 8  # view neighbours fetched per wanted result (several views per item)


def item_scores(index: ImageIndex, qviews: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
    """Exact score of every item (max over query-view × item-view inner products); -inf for items
    without a view in ``rows`` (when given)."""
    scores = np.full(len(index), -np.inf, dtype=np.float32)
    if rows is None:
        sims, owners = (index.views @ qviews.T).max(axis=1), index.owner
    else:
        sims, owners = (index.views[rows] @ qviews.T).max(axis=1), index.owner[rows]
    np.maximum.at(scores, owners, sims)
    return scores


def class_match(codes: Sequence[str], wanted: Sequence[str]) -> bool:
    """Whether any code starts with any wanted prefix (``03`` matches ``03.01.02``; ``14-01`` likewise)."""
    return any(c.startswith(w) for c in codes for w in wanted)


def rank(
    index: ImageIndex,
    qviews: np.ndarray,
    *,
    top: int = 10,
    classes: Sequence[str] = (),
    class_field: str = "vienna",
    exclude: set[int] | None = None,
) -> list[tuple[int, float]]:
    """The ``top`` items most like the query views, best first, as ``(item number, score)``.

    Without a filter the ANN index proposes candidate views; with ``classes`` (prefixes of Vienna or
    Locarno codes, in ``class_field`` of the items) the filtered items are scored exactly.
    """
    if not len(index):
        return []
    exclude = exclude or set()
    if classes:
        allowed = np.array([class_match(it.get(class_field) or [], classes) for it in index.items])
        rows = np.flatnonzero(allowed[index.owner])
        scores = item_scores(index, qviews, rows)
        order = [i for i in np.argsort(-scores, kind="stable") if np.isfinite(scores[i]) and i not in exclude]
        return [(int(i), float(scores[i])) for i in order[:top]]
    k = min(len(index.views), (top + len(exclude)) * CANDIDATE_FACTOR + 32)
    sims, nearest = index.view_search(qviews, k)
    best: dict[int, float] = {}
    for s_row, r_row in zip(sims, nearest, strict=False):
        for s, r in zip(s_row, r_row, strict=False):
            if r < 0:
                continue
            o = int(index.owner[r])
            if o not in exclude and s > best.get(o, -np.inf):
                best[o] = float(s)
    return sorted(best.items(), key=lambda kv: -kv[1])[:top]


def hits(index: ImageIndex, ranked: list[tuple[int, float]]) -> list[dict[str, Any]]:
    """Ranked items as JSON-ready hits (metadata plus score and rank)."""
    return [index.items[i] | {"rank": n, "score": round(s, 4)} for n, (i, s) in enumerate(ranked, 1)]
