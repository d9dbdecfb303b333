"""``ipai bench evidence``: deposit throughput and proof times on a temporary log.

- single deposits: one transaction and one signed head each (what `ipai evidence add` does);
- batched hash-only deposits: ``batch`` entries per transaction, one signed head per batch (the
  API's bulk path), up to ``entries``;
- at that size: inclusion and consistency proof generation (in memory), a full receipt (entry
  read + proof + head), offline verification of it, and the time to load the tree cold.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any


def bench_evidence(
    *,
    entries: int = 1_000_000,
    batch: int = 10_000,
    singles: int = 500,
    proofs: int = 2000,
    progress: Any = None,
) -> dict[str, Any]:
    from ipai.evidence.log import EvidenceLog, canonical
    from ipai.evidence.verify import verify_receipt
    from ipai.service import Service
    from ipai.settings import load_settings

    out: dict[str, Any] = {"entries": entries, "batch": batch}
    with tempfile.TemporaryDirectory() as td:
        svc = Service(load_settings(home=Path(td) / "home", progress=False))
        try:
            log = svc.evidence.evidence_log
            t0 = time.perf_counter()
            for i in range(singles):
                log.add([{"kind": "hash", "content_sha256": f"{i:064x}", "meta": {"n": i}}])
            out["single_deposits_per_s"] = round(singles / (time.perf_counter() - t0), 1)
            t0 = time.perf_counter()
            n = singles
            while n < entries:
                k = min(batch, entries - n)
                log.add(
                    [
                        {"kind": "hash", "content_sha256": f"{n + j:064x}", "meta": {"n": n + j}}
                        for j in range(k)
                    ]
                )
                n += k
                if progress:
                    progress(n)
            dt = time.perf_counter() - t0
            out["batched_deposits_per_s"] = round((entries - singles) / dt, 1) if entries > singles else None
            tree = log.tree
            idx = [random.randrange(tree.size) for _ in range(proofs)]
            t0 = time.perf_counter()
            for i in idx:
                tree.inclusion_proof(i)
            out["inclusion_proof_ms"] = round((time.perf_counter() - t0) * 1000 / proofs, 4)
            t0 = time.perf_counter()
            for i in idx:
                tree.consistency_proof(max(1, i))
            out["consistency_proof_ms"] = round((time.perf_counter() - t0) * 1000 / proofs, 4)
            rec_ms, ver_ms = [], []
            for i in idx[:200]:
                t0 = time.perf_counter()
                r = log.receipt(i)
                rec_ms.append((time.perf_counter() - t0) * 1000)
                raw = canonical(r)
                t0 = time.perf_counter()
                assert verify_receipt(raw)["ok"]
                ver_ms.append((time.perf_counter() - t0) * 1000)
            out["receipt_ms_p50"] = round(statistics.median(rec_ms), 3)
            out["verify_ms_p50"] = round(statistics.median(ver_ms), 3)
            t0 = time.perf_counter()
            cold = EvidenceLog(svc.store, svc.settings.home)
            cold.sync()
            out["cold_load_s"] = round(time.perf_counter() - t0, 2)
            out["log_size"] = cold.tree.size
        finally:
            svc.close()
    out["targets"] = {"deposits_per_s": 2000, "proof_ms": 1.0}
    return out
