"""Image features: two baselines (perceptual hash, colour histogram) and the mark descriptor.

The mark descriptor describes an image by a few *views*: the whole mark and its separable parts (the
emblem left of or above a word element, the largest figurative element). Each view is cropped to its
bounding box, padded square and described by

* shape: the foreground coverage on a 12×12 grid (position-normalised silhouette);
* edges: histograms of gradient orientation on a 4×4 grid of cells, 9 orientations (HOG-like);
* colour: a joint hue/saturation/lightness histogram of the view's foreground pixels.

Each block is L2-normalised, weighted and the whole vector L2-normalised, so the inner product of two
views is a weighted cosine. Two images are as similar as their best-matching pair of views: a
figurative element registered alone finds the combined mark that contains it, and vice versa.
"""

from __future__ import annotations

import numpy as np

from ipai.images.rasterise import Raster

GRID = 12
CELLS = 4
ORIENT = 9
HUES = 12
CANVAS = 64
MAX_VIEWS = 6
GAPS = (0.06, 0.0)  # part separation: gaps of 6% of the mark's height/width, and any gap
WEIGHTS = {"shape": 1.0, "edges": 1.0, "colour": 0.8}


def _resize(arr: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Area-average resize of a 2-D float array to (rows, cols)."""
    from PIL import Image

    img = Image.fromarray(arr.astype(np.float32), mode="F")
    return np.asarray(img.resize((size[1], size[0]), Image.Resampling.BOX), dtype=np.float32)


def _grey(rgb: np.ndarray) -> np.ndarray:
    return rgb.astype(np.float32) @ np.array([0.299, 0.587, 0.114], dtype=np.float32)


# ---- baselines -----------------------------------------------------------------------------------
def phash(r: Raster) -> np.ndarray:
    """64-bit perceptual hash (DCT of a 32×32 grey image, bits above the median), as 64 bools.

    The same algorithm as ``imagehash.phash``; compared by Hamming distance.
    """
    from scipy.fft import dctn

    small = _resize(_grey(r.rgb), (32, 32))
    low = dctn(small, norm="ortho")[:8, :8]
    return (low > np.median(low)).reshape(-1)


def colour_histogram(r: Raster) -> np.ndarray:
    """Joint RGB histogram (8×8×8 bins) of the foreground pixels, square-rooted and L2-normalised
    (cosine of square roots = the Bhattacharyya coefficient of the histograms)."""
    px = r.rgb[r.mask] if r.mask.any() else r.rgb.reshape(-1, 3)
    q = (px // 32).astype(np.int32)
    hist = np.bincount(q[:, 0] * 64 + q[:, 1] * 8 + q[:, 2], minlength=512).astype(np.float32)
    return _unit(np.sqrt(hist))


# ---- the mark descriptor ---------------------------------------------------------------------------
def _unit(v: np.ndarray) -> np.ndarray:
    n = float(np.linalg.norm(v))
    return (v / n).astype(np.float32) if n > 0 else v.astype(np.float32)


def _segments(profile: np.ndarray, gap: int) -> list[tuple[int, int]]:
    """Runs of non-empty positions in ``profile`` separated by at least ``gap`` empty ones."""
    idx = np.flatnonzero(profile > 0)
    if idx.size == 0:
        return []
    out: list[tuple[int, int]] = []
    start = prev = int(idx[0])
    for i in idx[1:]:
        i = int(i)
        if i - prev > gap:
            out.append((start, prev + 1))
            start = i
        prev = i
    out.append((start, prev + 1))
    return out


def _part_box(sub: np.ndarray, axis: int, seg: tuple[int, int]) -> tuple[int, int, int, int]:
    """Box (in ``sub``) of segment ``seg`` along ``axis`` (0: columns, 1: rows), tight on both sides."""
    a, e = seg
    part = sub[:, a:e] if axis == 0 else sub[a:e]
    pr = np.flatnonzero(part.any(axis=1 if axis == 0 else 0))
    lo, hi = (int(pr[0]), int(pr[-1]) + 1) if pr.size else (0, part.shape[0 if axis == 0 else 1])
    return (lo, hi, a, e) if axis == 0 else (a, e, lo, hi)


def views(mask: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Boxes (top, bottom, left, right) of the whole mark and of its separable parts: at a coarse
    gap (emblem beside or above a word element) and a fine one (the first character of a word),
    the first part and the largest part along each axis."""
    rows = np.flatnonzero(mask.any(axis=1))
    cols = np.flatnonzero(mask.any(axis=0))
    if rows.size == 0:
        h, w = mask.shape
        return [(0, h, 0, w)]
    t, left = int(rows[0]), int(cols[0])
    sub = mask[t : int(rows[-1]) + 1, left : int(cols[-1]) + 1]
    h, w = sub.shape
    boxes = [(0, h, 0, w)]
    for frac in GAPS:
        for axis, span in ((0, h), (1, w)):
            prof = sub.sum(axis=axis)
            segs = _segments(prof, max(1, int(frac * span)))
            if len(segs) < 2:
                continue
            sizes = [int(prof[a:e].sum()) for a, e in segs]
            for k in dict.fromkeys((0, int(np.argmax(sizes)))):
                box = _part_box(sub, axis, segs[k])
                bh, bw = box[1] - box[0], box[3] - box[2]
                if bh * bw < 0.02 * h * w or min(bh, bw) < 6:
                    continue
                if all(max(abs(box[i] - o[i]) for i in range(4)) > 3 for o in boxes):
                    boxes.append(box)
    return [(t + a, t + b, left + c, left + d) for a, b, c, d in boxes[:MAX_VIEWS]]


def _square(arr: np.ndarray, fill: float) -> np.ndarray:
    h, w = arr.shape[:2]
    s = max(h, w)
    out = np.full((s, s) + arr.shape[2:], fill, dtype=np.float32)
    y, x = (s - h) // 2, (s - w) // 2
    out[y : y + h, x : x + w] = arr
    return out


def _hog(grey: np.ndarray) -> np.ndarray:
    gy, gx = np.gradient(grey)
    mag = np.hypot(gx, gy)
    ang = (np.arctan2(gy, gx) % np.pi) / np.pi * ORIENT
    b0 = np.floor(ang).astype(np.int32) % ORIENT
    frac = ang - np.floor(ang)
    n = grey.shape[0] // CELLS
    cell = (np.arange(grey.shape[0]) // n).clip(0, CELLS - 1)
    ci = cell[:, None] * CELLS + cell[None, :]
    size = CELLS * CELLS * ORIENT
    hist = np.bincount((ci * ORIENT + b0).ravel(), (mag * (1 - frac)).ravel(), minlength=size)
    hist += np.bincount((ci * ORIENT + (b0 + 1) % ORIENT).ravel(), (mag * frac).ravel(), minlength=size)
    return np.sqrt(hist).astype(np.float32)


def _colour(rgb: np.ndarray) -> np.ndarray:
    """Hue (12 bins) × saturation (2) for chromatic pixels plus 4 lightness bins for grey ones."""
    px = rgb.reshape(-1, 3).astype(np.float32) / 255.0
    mx, mn = px.max(axis=1), px.min(axis=1)
    chroma = mx - mn
    size = HUES * 2 + 4
    grey = chroma < 0.15
    light = ((mx[grey] + mn[grey]) / 2 * 4).astype(np.int32).clip(0, 3)
    hist = np.bincount(HUES * 2 + light, minlength=size).astype(np.float32)
    c = ~grey
    if c.any():
        r, g, b = px[c].T
        d = chroma[c]
        m = mx[c]
        hue = np.where(m == r, ((g - b) / d) % 6, np.where(m == g, (b - r) / d + 2, (r - g) / d + 4)) / 6
        sat = (d / np.maximum(m, 1e-6) > 0.6).astype(np.int32)
        hist += np.bincount((hue * HUES).astype(np.int32).clip(0, HUES - 1) * 2 + sat, minlength=size)
    return np.sqrt(hist / max(hist.sum(), 1.0))


def describe_view(r: Raster, box: tuple[int, int, int, int]) -> np.ndarray:
    """The descriptor of one view (box) of a raster."""
    from PIL import Image

    t, b, lt, rt = box
    h, w = b - t, rt - lt
    scale = min(1.0, CANVAS / max(h, w))
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    rgb = np.asarray(Image.fromarray(r.rgb[t:b, lt:rt]).resize(size, Image.Resampling.BOX), dtype=np.float32)
    m = (
        np.asarray(
            Image.fromarray(r.mask[t:b, lt:rt].astype(np.uint8) * 255).resize(size, Image.Resampling.BOX),
            dtype=np.float32,
        )
        / 255.0
    )
    mask = _square(m, 0.0)
    grey = _square(_grey(rgb) / 255.0, 1.0)
    shape = _resize(mask, (GRID, GRID)).reshape(-1)
    # edges of both the silhouette and the inner drawing
    canvas = _resize(grey + (1.0 - mask), (CANVAS, CANVAS))
    edges = _hog(canvas)
    px = rgb[m > 0.5]
    colour = _colour(px if px.size else rgb)
    parts = [
        WEIGHTS["shape"] * _unit(shape - shape.mean()),
        WEIGHTS["edges"] * _unit(edges),
        WEIGHTS["colour"] * _unit(colour),
    ]
    return _unit(np.concatenate(parts))


DIM = GRID * GRID + CELLS * CELLS * ORIENT + HUES * 2 + 4


def describe(r: Raster) -> np.ndarray:
    """Descriptors of the views of ``r``: a (views × DIM) float32 matrix, first row the whole mark."""
    return np.stack([describe_view(r, box) for box in views(r.mask)])
