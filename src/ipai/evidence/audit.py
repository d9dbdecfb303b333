"""``ipai evidence audit``: replay the whole log from the stored entries and check everything.

1. every entry is valid canonical JSON whose ``index`` is its position, and it hashes to its
   stored leaf hash (a changed byte names the entry);
2. every stored column agrees with the signed entry (``COLUMNS``: the index, content hash, kind
   and tenant — the tenant decides who sees the entry, so an edited tenant column is reported);
3. kept content (blob store) still hashes to the entry's content hash;
4. the tree rebuilt from the recomputed leaves gives, for every signed head, that head's root
   (so all heads are consistent with one another), and every signature verifies;
5. consecutive heads are checked with consistency proofs as a client would;
6. rollback: the heads kept outside the store — ``<home>/evidence/kept-head.json``, the heads
   published to ``evidence_publish_dir`` and any the caller gives (``ipai evidence audit --head``)
   — must be this log's and the log must extend each of them; a head larger than the log means
   its newest entries and heads were removed (an older copy of the store restored).
"""

from __future__ import annotations

import hashlib
import json
import time
from typing import Any

from ipai.errors import InputError
from ipai.evidence.log import KEPT_HEAD, EvidenceLog, canonical, signed_head
from ipai.evidence.merkle import Tree, leaf_hash, verify_consistency
from ipai.evidence.verify import verify_head_signature

MAX_PROBLEMS = 50
# stored column of evidence_entries → the field of the signed entry it must equal; ``entry`` is
# the signed bytes themselves and ``leaf_hash`` is recomputed from them
COLUMNS = {"idx": "index", "content_sha256": "content_sha256", "kind": "kind", "tenant": "tenant"}
DERIVED = ("entry", "leaf_hash")


def audit(
    log: EvidenceLog,
    *,
    check_blobs: bool = True,
    progress: Any = None,
    references: list[tuple[str, Any]] | None = None,
) -> dict[str, Any]:
    """The audit report: ``ok``, counts and the problems found (at most MAX_PROBLEMS listed).
    ``references``: (where, head) kept outside the store besides the kept head (rollback check)."""
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
            for column, field in COLUMNS.items():
                if row[column] != entry.get(field):
                    bad(
                        f"entry #{i}: the {column} column is {row[column]!r}, the signed entry says "
                        f"{entry.get(field)!r} (column changed)"
                    )
        except json.JSONDecodeError:
            bad(f"entry #{i}: not valid JSON (edited)")
            entry = {}
        leaf = leaf_hash(raw)
        if leaf.hex() != row["leaf_hash"]:
            bad(
                f"entry #{i}: hashes to {leaf.hex()[:16]}…, stored leaf hash {row['leaf_hash'][:16]}… (entry changed)"
            )
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
            bad(
                f"head of size {size}: the entries give root {tree.root(size).hex()[:16]}…, the head says "
                f"{str(head.get('root_hash'))[:16]}… (fork or rewritten entries)"
            )
        if prev is not None and 0 < prev["tree_size"] < size:  # the empty tree is a prefix of every tree
            proof = tree.consistency_proof(prev["tree_size"], size)
            if not verify_consistency(
                prev["tree_size"],
                size,
                bytes.fromhex(prev["root_hash"]),
                bytes.fromhex(head["root_hash"]),
                proof,
            ):
                bad(f"heads {prev['tree_size']} → {size}: not consistent")
        prev = head
    kept = log.kept_head()
    refs = ([(f"the kept head ({log.dir / KEPT_HEAD})", kept)] if kept is not None else []) + list(
        references or []
    )
    for where, data in refs:
        problem = _reference_problem(tree, log.signer.public_raw, data)
        if problem:
            bad(f"{where}: {problem}")
    return {
        "ok": not problems,
        "entries": tree.size,
        "heads": len(heads),
        "blobs_checked": blobs,
        "reference_heads": len(refs),
        "kept_head_size": (kept or {}).get("tree_size"),
        "root_hash": tree.root().hex() if tree.size else None,
        "problems": problems,
        "seconds": round(time.perf_counter() - t0, 2),
    }


def _reference_problem(tree: Tree, public_raw: bytes, data: Any) -> str | None:
    """Why the log does not extend a head kept outside the store (``None`` if it does)."""
    if isinstance(data, dict) and "unreadable" in data:
        return f"unreadable ({data['unreadable']})"
    try:
        head = signed_head(data)
    except InputError as e:
        return e.message
    ok, why = verify_head_signature(head, public_raw)
    if not ok:
        return f"not a head of this log: {why}"
    size = head.get("tree_size")
    if not isinstance(size, int) or size < 0:
        return "not a head of this log: no tree size"
    if size > tree.size:
        return (
            f"rollback: a signed head of {size} entries, but the log has {tree.size}: its newest entries and "
            "heads were removed, or an older copy of the store was restored"
        )
    if tree.root(size).hex() != head.get("root_hash"):
        return (
            f"fork: the log's first {size} entries give root {tree.root(size).hex()[:16]}…, the signed head "
            f"says {str(head.get('root_hash'))[:16]}… (entries rewritten)"
        )
    return None
