"""``ipai evidence audit``: replay the whole log from the stored entries and check everything.

1. every entry is valid canonical JSON whose ``index`` is its position, and it hashes to its
   stored leaf hash (a changed byte names the entry);
2. kept content (blob store) still hashes to the entry's content hash;
3. the tree rebuilt from the recomputed leaves gives, for every signed head, that head's root
   (so all heads are consistent with one another), and every signature verifies;
4. consecutive heads are checked with consistency proofs as a client would.
"""

from __future__ import annotations

import hashlib
import json
import time
from typing import Any

from ipai.evidence.log import EvidenceLog, canonical
from ipai.evidence.merkle import Tree, leaf_hash, verify_consistency
from ipai.evidence.verify import verify_head_signature

MAX_PROBLEMS = 50


def audit(log: EvidenceLog, *, check_blobs: bool = True, progress: Any = None) -> dict[str, Any]:
    """The audit report: ``ok``, counts and the problems found (at most MAX_PROBLEMS listed)."""
    t0 = time.perf_counter()
    problems: list[str] = []

    def bad(msg: str) -> None:
        if len(problems) < MAX_PROBLEMS:
            problems.append(msg)

    tree = Tree()
    blobs = 0
    for row in log.store.evidence_entries():
        i = int(row["idx"])
        if i != tree.size:
            bad(f"gap: entry #{tree.size} is missing")
            break
        raw = row["entry"].encode("utf-8")
        try:
            entry = json.loads(raw)
            if canonical(entry) != raw:
                bad(f"entry #{i}: not in canonical form (edited)")
            if entry.get("index") != i:
                bad(f"entry #{i}: says it is #{entry.get('index')}")
            if entry.get("content_sha256") != row["content_sha256"]:
                bad(f"entry #{i}: content hash column differs from the entry")
        except json.JSONDecodeError:
            bad(f"entry #{i}: not valid JSON (edited)")
            entry = {}
        leaf = leaf_hash(raw)
        if leaf.hex() != row["leaf_hash"]:
            bad(f"entry #{i}: hashes to {leaf.hex()[:16]}…, stored leaf hash {row['leaf_hash'][:16]}… (entry changed)")
        tree.append(leaf)
        if check_blobs and entry.get("content_sha256"):
            p = log.blob_path(entry["content_sha256"])
            if p is not None:
                blobs += 1
                if hashlib.sha256(p.read_bytes()).hexdigest() != entry["content_sha256"]:
                    bad(f"entry #{i}: the kept content {p.name[:16]}… no longer has that hash (blob changed)")
        if progress and i % 100_000 == 0:
            progress(i)
    heads = log.store.evidence_heads()
    prev: dict[str, Any] | None = None
    for size, text in heads:
        try:
            head = json.loads(text)
        except json.JSONDecodeError:
            bad(f"head of size {size}: not valid JSON")
            continue
        ok, why = verify_head_signature(head, log.signer.public_raw)
        if not ok:
            bad(f"head of size {size}: {why}")
        if head.get("tree_size") != size or size > tree.size:
            bad(f"head of size {size}: covers more entries than the log has ({tree.size})")
            continue
        if tree.root(size).hex() != head.get("root_hash"):
            bad(f"head of size {size}: the entries give root {tree.root(size).hex()[:16]}…, the head says "
                f"{str(head.get('root_hash'))[:16]}… (fork or rewritten entries)")
        if prev is not None and 0 < prev["tree_size"] < size:  # the empty tree is a prefix of every tree
            proof = tree.consistency_proof(prev["tree_size"], size)
            if not verify_consistency(prev["tree_size"], size, bytes.fromhex(prev["root_hash"]),
                                      bytes.fromhex(head["root_hash"]), proof):
                bad(f"heads {prev['tree_size']} → {size}: not consistent")
        prev = head
    return {"ok": not problems, "entries": tree.size, "heads": len(heads), "blobs_checked": blobs,
            "root_hash": tree.root().hex() if tree.size else None, "problems": problems,
            "seconds": round(time.perf_counter() - t0, 2)}
