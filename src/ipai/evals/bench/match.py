"""``ipai bench match``: seconds per demand matched against the current store (nothing stored).

Demands are a fixed set of real-sounding needs in Chinese and English plus pseudo-demands made
from the first independent claims of stored documents (see :mod:`ipai.evals.match`)."""

from __future__ import annotations

import statistics
import time
from typing import Any

NEEDS = (
    "我们需要一种无人机自动降落与充电的技术",
    "需要一种低温环境下锂电池的热管理方案",
    "寻求披萨外卖保温包装的改进方法",
    "需要用于图像识别的神经网络模型压缩技术",
    "我们希望获得可降解食品包装材料的制备方法",
    "We need a battery management system that keeps drones flying in cold weather",
    "Looking for a low-cost method to keep pizza crust crisp during delivery",
    "We need a neural network accelerator for image recognition on mobile devices",
    "Seeking antiviral compounds against coronavirus infection",
    "We need a baseball bat with better vibration damping",
)


def bench_match(svc: Any, *, claims: int = 20, repeat: int = 2) -> dict[str, Any]:
    """p50/p95/max milliseconds per demand (after one warm-up), hybrid and keyword-only search."""
    from ipai.evals.match import pseudo_demand

    svc.warm()
    texts = list(NEEDS)
    for d in svc.store.iter_documents():
        c = next((c for c in d.claims if c.independent and len(c.text) > 80), None)
        if c:
            texts.append(pseudo_demand(c.text)[:3000])
        if len(texts) >= len(NEEDS) + claims:
            break
    svc.transfer.match_demand(texts[0])  # warm-up: the word space and the classifier load once
    out: dict[str, Any] = {"documents": svc.store.count_documents(), "demands": len(texts), "repeat": repeat}
    for name, mode in (("hybrid", "hybrid"), ("keyword", "keyword")):
        ms = []
        for _ in range(repeat):
            for t in texts:
                t0 = time.perf_counter()
                svc.transfer.match_demand(t, mode=mode, save=False)
                ms.append((time.perf_counter() - t0) * 1000)
        ms.sort()
        out[name] = {
            "p50_ms": round(statistics.median(ms), 1),
            "p95_ms": round(ms[int(0.95 * (len(ms) - 1))], 1),
            "max_ms": round(ms[-1], 1),
        }
    out["target_ms"] = 300
    return out
