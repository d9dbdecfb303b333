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
from collections.abc import Callable, Hashable
from typing import TypeVar

from ipai.service.context import ServiceContext

SIZE = 16  # answers kept per service
T = TypeVar("T")


def _state(ctx: ServiceContext, index: bool) -> tuple[int, ...] | None:
    """The data's change numbers; None when the index tells none (a sharded or unopened index)."""
    state: tuple[int, ...] = (int(ctx.store.max_seq()), int(ctx.store.count_documents()))
    if index:  # the search index may lag behind the store until it is refreshed
        seen = getattr(ctx.search_engine, "state", None)
        if not isinstance(seen, dict) or "seq" not in seen:
            return None
        state += (int(seen["seq"]),)
    return state


def forget(ctx: ServiceContext) -> None:
    """Drop every kept answer of a service's context (benchmarks timing the computation itself)."""
    with ctx.memo[0]:
        ctx.memo[1].clear()


def kept(ctx: ServiceContext, key: Hashable, compute: Callable[[], T], *, index: bool = False) -> T:
    """``compute()``, or a copy of its answer for ``key`` while the store (and, with ``index``, the
    search index) is unchanged since it was computed."""
    lock, answers = ctx.memo
    state = _state(ctx, index)
    if state is None:
        return compute()
    full = (key, state)
    with lock:
        if full in answers:
            answers.move_to_end(full)
            found: T = copy.deepcopy(answers[full])
            return found
    value = compute()
    if _state(ctx, index) != full[1]:  # the data changed while computing: keep nothing
        return value
    with lock:
        answers[full] = copy.deepcopy(value)
        while len(answers) > SIZE:
            answers.popitem(last=False)
    return value
