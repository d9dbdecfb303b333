"""Files ipai derives once from what its packages ship — a compiled dictionary, a parsed model —
so that a new process reads them instead of working them out again (a command line that starts
at once). They live in :func:`cache_dir`, each named by a hash of the files it was derived from
and of the code that derives it: a new wheel or new code makes a new file, never a stale answer.
Every file is written beside its final name and renamed into place (processes starting together
never read half a file); where nothing can be written, the work is simply done in memory.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import pickle
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


def cache_dir() -> Path:
    """Where the derived files live: ``$IPAI_CACHE_DIR``, else ``$XDG_CACHE_HOME/ipai``, else
    ``~/.cache/ipai``."""
    own = os.environ.get("IPAI_CACHE_DIR")
    if own:
        return Path(own).expanduser()
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "ipai"


def cache_file(prefix: str, sources: Iterable[Path], suffix: str) -> Path:
    """``<cache_dir>/<prefix>-<hash>.<suffix>``: the hash covers each source's path, size and
    modification time (a data file, or code whose bytes are hashed when it is a ``.py``)."""
    h = hashlib.sha1(prefix.encode())
    for src in sources:
        st = src.stat()
        h.update(f"|{src}|{st.st_size}|{st.st_mtime_ns}".encode())
        if src.suffix == ".py":
            h.update(src.read_bytes())
    return cache_dir() / f"{prefix}-{h.hexdigest()[:16]}.{suffix}"


def written(target: Path, write: Callable[[Path], None]) -> bool:
    """Run ``write(tmp)`` and rename ``tmp`` to ``target``; False (nothing left behind) when the
    folder cannot be written."""
    tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp.unlink(missing_ok=True)
        write(tmp)
        os.replace(tmp, target)
        return True
    except OSError:
        return False
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


def kept(prefix: str, sources: Iterable[Path], build: Callable[[], T]) -> T:
    """``build()``, pickled into the cache the first time and read from it afterwards (a file
    that cannot be read is built again)."""
    target = cache_file(prefix, sources, "pickle")
    if target.is_file():
        with contextlib.suppress(Exception):  # damaged or from another Python: built again
            return unpickled(target.read_bytes())
    value = build()

    def dump(tmp: Path) -> None:
        tmp.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    written(target, dump)
    return value


def unpickled(data: bytes) -> Any:
    """``pickle.loads`` without collector passes over the many objects it makes (twice as fast)."""
    was = gc.isenabled()
    gc.disable()
    try:
        return pickle.loads(data)
    finally:
        if was:
            gc.enable()
