"""Results of whole-set analyses kept until the data changes.

A topic map (k-means over up to 5,000 document vectors) or the resources list (entity resolution
over the newest 25,000 documents) takes seconds on the 51k demo store and gives the same answer
until a document is added, changed or removed: :func:`kept` remembers the last few answers under
the store's change number and document count (and the search index's, for analyses that read
it), so that a page shown again (the landscape in the other language, the resources list) does
not compute them again. Callers get their own copy.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

SIZE = 16  # answers kept per service


def _state(svc: Any, index: bool) -> tuple[int, ...] | None:
    """The data's change numbers; None when the index tells none (a sharded or unopened index)."""
    state = (int(svc.store.max_seq()), int(svc.store.count_documents()))
    if index:  # the search index may lag behind the store until it is refreshed
        seen = getattr(svc.search_engine, "state", None)
        if not isinstance(seen, dict) or "seq" not in seen:
            return None
        state += (int(seen["seq"]),)
    return state


def forget(svc: Any) -> None:
    """Drop every kept answer of ``svc`` (benchmarks timing the computation itself)."""
    memo = svc.__dict__.get("_memo")
    if memo is not None:
        with memo[0]:
            memo[1].clear()


def kept(svc: Any, key: Hashable, compute: Callable[[], Any], *, index: bool = False) -> Any:
    """``compute()``, or a copy of its answer for ``key`` while the store (and, with ``index``, the
    search index) is unchanged since it was computed."""
    memo = svc.__dict__.get("_memo")
    if memo is None:
        memo = svc.__dict__.setdefault("_memo", (threading.Lock(), OrderedDict()))
    lock, answers = memo
    state = _state(svc, index)
    if state is None:
        return compute()
    full = (key, state)
    with lock:
        if full in answers:
            answers.move_to_end(full)
            return copy.deepcopy(answers[full])
    value = compute()
    if _state(svc, index) != full[1]:  # the data changed while computing: keep nothing
        return value
    with lock:
        answers[full] = copy.deepcopy(value)
        while len(answers) > SIZE:
            answers.popitem(last=False)
    return value
