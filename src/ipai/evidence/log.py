"""The evidence log: deposits as canonical JSON entries, an RFC 6962 Merkle tree over them,
Ed25519-signed tree heads, receipts and a full audit.

An **entry** is ``{"v": 1, "index", "time", "kind", "content_sha256", "meta", "tenant"}``
serialised canonically (sorted keys, no spaces, UTF-8); its leaf hash is SHA-256(0x00 || entry).
The index inside the entry pins it to its place in the log. A **signed tree head** (STH) is
``{"log_id", "tree_size", "root_hash", "timestamp"}`` plus an Ed25519 signature over the same
canonical JSON without the signature. ``log_id`` is the SHA-256 of the raw public key.

The key lives in ``<home>/evidence/log-key.pem`` (PKCS#8, created on first use, mode 0600); the
public key is what a verifier needs (``ipai evidence key``). Deposited content, when kept, goes to
a content-addressed blob store ``<home>/evidence/blobs/ab/abcdef…``. The newest head this home
signed is also kept outside the store, ``<home>/evidence/kept-head.json`` (it never moves back, nor
to a head that does not extend it), so the audit detects a store rolled back to an older state.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import logging
import os
import threading
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Windows: the kept head is then written without a lock
    fcntl = None  # type: ignore[assignment]  # the module or None, checked before each use

from ipai.errors import InputError, NotFound
from ipai.evidence.merkle import Tree, leaf_hash, verify_consistency

VERSION = 1
KINDS = ("file", "hash", "url", "disclosure", "folder", "gi", "deal")
HEAD_KEYS = ("log_id", "tree_size", "root_hash", "timestamp", "signature")
KEPT_HEAD = "kept-head.json"
log = logging.getLogger("ipai.evidence")


def canonical(obj: Any) -> bytes:
    """The one byte form that is hashed and signed."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def signed_head(data: Any) -> dict[str, Any]:
    """The signed tree head inside what a user kept: a bare head, a receipt (``tree_head``), the
    output of ``ipai evidence head`` or ``GET /evidence/head`` (``head``, with ``public_key``) —
    only the signed fields."""
    if isinstance(data, dict):
        for wrapper in ("tree_head", "head"):
            if isinstance(data.get(wrapper), dict):
                data = data[wrapper]
                break
    if not isinstance(data, dict):
        raise InputError(
            "not a signed tree head: give a head, a receipt or the output of ipai evidence head",
            errors=[{"field": "head", "message": "not a JSON object"}],
        )
    return {k: data[k] for k in HEAD_KEYS if k in data}


def now_iso() -> str:
    """The current UTC time, ISO 8601 with microseconds and a Z."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


class Signer:
    """The log's Ed25519 key (created on first use)."""

    def __init__(self, path: Path) -> None:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        if path.exists():
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
            if not isinstance(key, Ed25519PrivateKey):
                raise InputError(f"{path} is not an Ed25519 key")
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            key = Ed25519PrivateKey.generate()
            pem = key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            try:
                os.write(fd, pem)
            except BaseException:
                os.close(fd)
                raise
            os.close(fd)
        self.key = key
        self.public_raw = key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        self.log_id = hashlib.sha256(self.public_raw).hexdigest()

    @property
    def public_b64(self) -> str:
        return base64.b64encode(self.public_raw).decode()

    def sign(self, data: bytes) -> str:
        return base64.b64encode(self.key.sign(data)).decode()


class EvidenceLog:
    """The log over one store; safe for several threads and processes."""

    def __init__(self, store: Any, home: Path, publish: Any = None) -> None:
        self.store = store
        self.publish = publish  # called with each newly signed head (anchoring); must not raise
        self.dir = home / "evidence"
        self.signer = Signer(self.dir / "log-key.pem")
        self.tree = Tree()
        self._lock = threading.Lock()

    # ---- the tree in memory follows the store -------------------------------------------------
    def sync(self) -> int:
        """Read leaves other writers appended; returns the tree size."""
        with self._lock:
            for i, h in self.store.evidence_leaves(self.tree.size):
                if i != self.tree.size:
                    raise RuntimeError(f"evidence log has a gap at index {self.tree.size}")
                self.tree.append(bytes.fromhex(h))
            return self.tree.size

    # ---- deposits ------------------------------------------------------------------------------
    def add(self, items: list[dict[str, Any]], *, sign: bool = True) -> list[dict[str, Any]]:
        """Append entries ``{kind, content_sha256, meta, tenant}``; returns the stored rows and
        signs a new tree head covering them. A tenant's deposits always carry its own tenant (only
        platform principals may deposit for a named tenant)."""
        from ipai.security.context import current

        caller = current()
        if not caller.sees_all_tenants:
            items = [{**it, "tenant": caller.tenant} for it in items]
        for it in items:
            h = it.get("content_sha256") or ""
            if len(h) != 64 or any(c not in "0123456789abcdef" for c in h):
                raise InputError(
                    "content_sha256 must be 64 lower-case hex characters",
                    errors=[{"field": "content_sha256", "message": "not a SHA-256 hex digest"}],
                )
            if it.get("kind") not in KINDS:
                raise InputError(
                    f"kind must be one of {', '.join(KINDS)}",
                    errors=[{"field": "kind", "message": "unknown"}],
                )
        stamp = now_iso()

        def build(first: int) -> list[dict[str, Any]]:
            rows = []
            for k, it in enumerate(items):
                entry = {
                    "v": VERSION,
                    "index": first + k,
                    "time": stamp,
                    "kind": it["kind"],
                    "content_sha256": it["content_sha256"],
                    "meta": it.get("meta") or {},
                    "tenant": it.get("tenant"),
                }
                raw = canonical(entry)
                rows.append(
                    {
                        "idx": first + k,
                        "leaf_hash": leaf_hash(raw).hex(),
                        "content_sha256": it["content_sha256"],
                        "kind": it["kind"],
                        "tenant": it.get("tenant"),
                        "entry": raw.decode("utf-8"),
                    }
                )
            return rows

        rows = self.store.evidence_append(build)
        if sign:
            self.sign_head()
        return rows

    def sign_head(self) -> dict[str, Any]:
        """Sign (and store) the head of the current tree; an existing head of that size is reused."""
        size = self.sync()
        have = self.store.evidence_head(size)
        if have:
            return json.loads(have[1])
        with self._lock:
            root = self.tree.root(size)
        head = {
            "log_id": self.signer.log_id,
            "tree_size": size,
            "root_hash": root.hex(),
            "timestamp": now_iso(),
        }
        head["signature"] = self.signer.sign(canonical(head))
        self.store.evidence_put_head(size, canonical(head).decode())
        stored = json.loads(self.store.evidence_head(size)[1])  # another process may have signed it first
        self.keep_head(stored)
        if self.publish is not None and stored == head:
            self.publish(stored)
        return stored

    def kept_head(self) -> dict[str, Any] | None:
        """The newest head kept outside the store (``None`` before the first, or if unreadable)."""
        try:
            data = json.loads((self.dir / KEPT_HEAD).read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as e:
            log.warning("kept evidence head %s unreadable: %s", self.dir / KEPT_HEAD, e)
            return {"unreadable": str(e)}
        return data if isinstance(data, dict) else {"unreadable": "not a JSON object"}

    def keep_head(self, head: dict[str, Any]) -> None:
        """Keep ``head`` as the newest if it is larger than the kept one and extends it (a log that
        no longer extends the kept head keeps the old one: the audit reports the rollback or fork)."""
        self.dir.mkdir(parents=True, exist_ok=True)
        with open(self.dir / "kept-head.lock", "a+b") as lock:
            if fcntl is not None:
                fcntl.flock(lock, fcntl.LOCK_EX)  # other processes of this home sign heads too
            kept = self.kept_head()
            if kept is not None:
                size = kept.get("tree_size")
                if not isinstance(size, int) or head["tree_size"] <= size:
                    return
                with self._lock:
                    extends = size <= self.tree.size and self.tree.root(size).hex() == kept.get("root_hash")
                if not extends:
                    log.warning(
                        "the evidence log no longer extends the kept head of size %s: kept unchanged", size
                    )
                    return
            tmp = self.dir / f"{KEPT_HEAD}.{os.getpid()}.tmp"
            tmp.write_bytes(canonical(head))
            os.replace(tmp, self.dir / KEPT_HEAD)

    def head(self) -> dict[str, Any]:
        """The newest signed head (signing the current tree if it has none yet)."""
        size = self.sync()
        have = self.store.evidence_head()
        return json.loads(have[1]) if have and have[0] == size else self.sign_head()

    # ---- proofs and receipts -------------------------------------------------------------------
    def receipt(self, index: int) -> dict[str, Any]:
        """Everything needed to verify entry ``index`` offline against the newest signed head."""
        row = self.store.evidence_entry(int(index))
        if row is None:
            raise NotFound(
                f"no evidence entry #{index}",
                code="not_found",
                params={"what": "evidence_entry", "id": f"#{index}"},
            )
        head = self.head()
        with self._lock:
            path = self.tree.inclusion_proof(int(index), head["tree_size"])
        return {
            "receipt_version": VERSION,
            "log_id": self.signer.log_id,
            "public_key": self.signer.public_b64,
            "entry": json.loads(row["entry"]),
            "leaf_hash": row["leaf_hash"],
            "tree_head": head,
            "inclusion_proof": [p.hex() for p in path],
        }

    def consistency(self, old_size: int, new_size: int | None = None) -> dict[str, Any]:
        """Consistency proof between two signed heads (the newest by default)."""
        new = self.head() if new_size is None else self._stored_head(new_size)
        old = self._stored_head(old_size)
        with self._lock:
            proof = self.tree.consistency_proof(old["tree_size"], new["tree_size"])
        return {"old_head": old, "new_head": new, "proof": [p.hex() for p in proof]}

    def _stored_head(self, size: int) -> dict[str, Any]:
        self.sync()
        have = self.store.evidence_head(int(size))
        if have is None:
            raise NotFound(
                f"no signed tree head of size {size}",
                code="not_found",
                params={"what": "tree_head", "id": size},
            )
        return json.loads(have[1])

    def check_head(self, data: dict[str, Any]) -> dict[str, Any]:
        """Is the log now a consistent extension of a head the user kept (a head, a receipt, or the
        output of ``ipai evidence head``)? A different root at that size means the log was forked or
        rewritten; a head larger than the log, that entries were removed (a rollback)."""
        from ipai.evidence.verify import verify_head_signature

        head = signed_head(data)  # an InputError unless a JSON object
        key = (data["head"] if isinstance(data.get("head"), dict) else data).get("public_key")
        if key is not None and key != self.signer.public_b64:
            return {"ok": False, "message": "the head names another public key than this log's"}
        sig_ok, why = verify_head_signature(head, self.signer.public_raw)
        size = self.sync()
        tree_size = head.get("tree_size")
        m = tree_size if isinstance(tree_size, int) else -1
        if not sig_ok:
            return {"ok": False, "message": f"the head's signature is not this log's: {why}"}
        if m > size:
            return {
                "ok": False,
                "message": f"rollback: the log has {size} entries, fewer than the signed head's {m}: "
                "entries were removed or an older copy of the store was restored",
            }
        if m <= 0:
            return {"ok": False, "message": "the head is of an empty log: nothing to compare"}
        with self._lock:
            root_then, root_now = self.tree.root(m), self.tree.root(size)
            proof = self.tree.consistency_proof(m, size)
        if root_then.hex() != head["root_hash"]:
            return {
                "ok": False,
                "message": f"fork detected: the log's first {m} entries hash to {root_then.hex()[:16]}…, "
                f"the signed head says {head['root_hash'][:16]}…",
            }
        ok = verify_consistency(m, size, root_then, root_now, proof)
        return {
            "ok": ok,
            "message": f"the log ({size} entries) is a consistent extension of the head of size {m}"
            if ok
            else "consistency proof failed",
            "proof": [p.hex() for p in proof],
            "tree_size": size,
        }

    # ---- blobs ---------------------------------------------------------------------------------
    def put_blob(self, data: bytes) -> str:
        h = hashlib.sha256(data).hexdigest()
        p = self.dir / "blobs" / h[:2] / h
        if not p.exists():
            p.parent.mkdir(parents=True, exist_ok=True)
            tmp = p.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(data)
            os.replace(tmp, p)
        return h

    def blob_path(self, content_sha256: str) -> Path | None:
        p = self.dir / "blobs" / content_sha256[:2] / content_sha256
        return p if p.exists() else None
