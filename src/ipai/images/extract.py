"""Turn image files into index entries, in parallel, reporting unreadable files instead of stopping."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from ipai.errors import InputError
from ipai.images import features as F
from ipai.images.index import Entry
from ipai.images.rasterise import MAX_BYTES, SUFFIXES, Raster, load_image

Progress = Callable[[int, int], None]


def describe_raster(r: Raster) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(views, phash, colour histogram) of a raster."""
    return F.describe(r), F.phash(r), F.colour_histogram(r)


def _one(task: tuple[str, dict[str, Any]], max_bytes: int = MAX_BYTES) -> tuple[dict[str, Any], Any]:
    path, item = task
    try:
        r = load_image(path, max_bytes=max_bytes)
        views, ph, col = describe_raster(r)
        return item | {"width": r.width, "height": r.height, "format": r.format}, (views, ph, col)
    except InputError as exc:
        return item, exc.message


def extract(
    tasks: Iterable[tuple[str | Path, dict[str, Any]]],
    *,
    workers: int | None = None,
    progress: Progress | None = None,
    with_colour: bool = False,
    max_bytes: int = MAX_BYTES,
) -> tuple[list[Entry], list[dict[str, str]], list[np.ndarray]]:
    """Entries for ``(path, item)`` tasks, in task order, and ``{file, error}`` for those that failed.

    ``with_colour`` also returns the colour histogram of each entry (the evaluation's baseline).
    """
    todo = [(str(p), it) for p, it in tasks]
    workers = workers or min(4, os.cpu_count() or 1)
    entries: list[Entry] = []
    colours: list[np.ndarray] = []
    errors: list[dict[str, str]] = []

    def take(res: tuple[dict[str, Any], Any], path: str) -> None:
        item, out = res
        if isinstance(out, str):
            errors.append({"file": path, "error": out})
            return
        views, ph, col = out
        entries.append(Entry(item=item, views=views, phash=ph))
        if with_colour:
            colours.append(col)

    if workers > 1 and len(todo) > 64:
        import multiprocessing as mp

        ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
        with ProcessPoolExecutor(workers, mp_context=ctx) as ex:
            for n, (res, (path, _)) in enumerate(
                zip(ex.map(partial(_one, max_bytes=max_bytes), todo, chunksize=16), todo, strict=False), 1
            ):
                take(res, path)
                if progress:
                    progress(n, len(todo))
    else:
        for n, task in enumerate(todo, 1):
            take(_one(task, max_bytes), task[0])
            if progress:
                progress(n, len(todo))
    return entries, errors, colours


def image_files(folder: Path) -> tuple[list[Path], list[dict[str, str]]]:
    """Image files under ``folder`` (recursive, sorted) and ``{file, error}`` for the other files."""
    if not folder.is_dir():
        raise InputError(f"not a folder: {folder}", errors=[{"field": "dir", "message": "not a folder"}])
    found, other = [], []
    every = [Path(root) / f for root, _, names in os.walk(folder, followlinks=True) for f in names]
    for p in sorted(every):
        if not p.is_file() or p.name.startswith("."):
            continue
        if p.suffix.lower() in SUFFIXES:
            found.append(p)
        else:
            other.append({"file": str(p), "error": f"not an image ({p.suffix or 'no suffix'}): skipped"})
    return found, other
