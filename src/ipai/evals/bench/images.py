"""``ipai bench images``: query latency over a large mark gallery.

The gallery is every readable image of the given folders plus augmented copies of them until it
holds ``marks`` images: each copy is a real mark rotated (±20°), rescaled on its canvas (60-100 %),
hue-shifted, sometimes mirrored and sometimes greyed, so the copies are distinct descriptors, not
duplicates. Timed queries are real files (rasterise + describe + rank, and rank alone).
"""

from __future__ import annotations

import random
import time
from pathlib import Path
from typing import Any

import numpy as np

from ipai.errors import InputError
from ipai.images import features as F
from ipai.images.extract import image_files
from ipai.images.index import Entry, ImageIndex
from ipai.images.rasterise import Raster, load_image
from ipai.images.search import rank


def augment(r: Raster, rng: random.Random) -> Raster:
    """A transformed copy of a raster (rotation, scale, hue shift, mirror, grey)."""
    from PIL import Image, ImageOps

    rgb = Image.fromarray(r.rgb)
    mask = Image.fromarray(r.mask.astype(np.uint8) * 255)
    angle = rng.uniform(-20, 20)
    rgb = rgb.rotate(angle, resample=Image.Resampling.BILINEAR, expand=True, fillcolor=(255, 255, 255))
    mask = mask.rotate(angle, resample=Image.Resampling.BILINEAR, expand=True, fillcolor=0)
    scale = rng.uniform(0.6, 1.0)
    w, h = rgb.size
    sw, sh = max(8, int(w * scale)), max(8, int(h * scale))
    canvas, mcanvas = Image.new("RGB", (w, h), (255, 255, 255)), Image.new("L", (w, h), 0)
    x, y = rng.randint(0, w - sw), rng.randint(0, h - sh)
    canvas.paste(rgb.resize((sw, sh)), (x, y))
    mcanvas.paste(mask.resize((sw, sh)), (x, y))
    hsv = np.asarray(canvas.convert("HSV")).copy()
    hsv[..., 0] = (hsv[..., 0].astype(np.int32) + rng.randint(20, 235)) % 256
    canvas = Image.fromarray(hsv, "HSV").convert("RGB")
    if rng.random() < 0.3:
        canvas, mcanvas = ImageOps.mirror(canvas), ImageOps.mirror(mcanvas)
    if rng.random() < 0.2:
        canvas = canvas.convert("L").convert("RGB")
    return Raster(
        rgb=np.asarray(canvas), mask=np.asarray(mcanvas) > 127, width=w, height=h, format="augmented"
    )


def bench_images(
    dirs: list[Path], *, marks: int = 10_000, queries: int = 200, seed: int = 7
) -> dict[str, Any]:
    """Build a ``marks``-image gallery from ``dirs`` and time ``queries`` image queries against it."""
    t0 = time.perf_counter()
    files = [p for d in dirs for p in image_files(Path(d))[0]]
    if not files:
        raise InputError("no images in the bench folders", errors=[{"field": "dir", "message": "no images"}])
    rasters: list[tuple[Path, Raster]] = []
    unreadable = 0
    for p in files:
        try:
            rasters.append((p, load_image(p)))
        except InputError:
            unreadable += 1
    rng = random.Random(seed)
    entries = [Entry({"id": str(p), "label": p.stem}, F.describe(r), F.phash(r)) for p, r in rasters]
    real = len(entries)
    while len(entries) < marks:
        p, r = rasters[rng.randrange(real)]
        a = augment(r, rng)
        entries.append(Entry({"id": f"{p}#aug{len(entries)}", "label": p.stem}, F.describe(a), F.phash(a)))
    index = ImageIndex.from_entries(entries[:marks] if marks >= real else entries)
    t_build = time.perf_counter()
    _ = index.ann  # build the faiss index before timing
    t_ann = time.perf_counter() - t_build
    total, ranking = [], []
    picks = [rng.randrange(len(files)) for _ in range(queries)]
    for i in picks:
        t_start = time.perf_counter()
        try:
            r = load_image(files[i])
        except InputError:
            continue
        qv = F.describe(r)
        t_described = time.perf_counter()
        rank(index, qv, top=10)
        t_ranked = time.perf_counter()
        total.append((t_ranked - t_start) * 1000)
        ranking.append((t_ranked - t_described) * 1000)

    def stats(xs: list[float]) -> dict[str, float]:
        arr = np.array(xs)
        return {
            "mean": round(float(arr.mean()), 2),
            "p50": round(float(np.percentile(arr, 50)), 2),
            "p95": round(float(np.percentile(arr, 95)), 2),
            "max": round(float(arr.max()), 2),
        }

    return {
        "bench": "images",
        "gallery": len(index),
        "real_marks": real,
        "augmented": len(index) - min(real, len(index)),
        "views": len(index.views),
        "unreadable": unreadable,
        "queries": len(total),
        "query_ms": stats(total),
        "rank_only_ms": stats(ranking),
        "ann_build_seconds": round(t_ann, 3),
        "total_seconds": round(time.perf_counter() - t0, 1),
    }
