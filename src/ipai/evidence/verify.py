"""Offline verification of a receipt: needs only the receipt, optionally the original file, and the
log's public key. Nothing here reads the store or the network.

Checks, each reported with what did not match:
1. the receipt file is exactly the canonical JSON ipai writes (any edited byte shows);
2. the entry's leaf hash is SHA-256(0x00 || canonical entry) and equals the receipt's leaf hash;
3. the inclusion proof leads from that leaf to the signed head's root;
4. the head's Ed25519 signature is valid for the public key (given, or the receipt's own, which
   must then be compared with the published one — the result says which was used);
5. with the original file: its SHA-256 equals the entry's content hash.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from typing import Any

from ipai.evidence.log import VERSION, canonical
from ipai.evidence.merkle import leaf_hash, root_from_inclusion
from ipai.evidence.texts import message

RECEIPT_KEYS = {
    "receipt_version",
    "log_id",
    "public_key",
    "entry",
    "leaf_hash",
    "tree_head",
    "inclusion_proof",
}
ENTRY_KEYS = {"v", "index", "time", "kind", "content_sha256", "meta", "tenant"}
HEAD_KEYS = {"log_id", "tree_size", "root_hash", "timestamp", "signature"}
HEX64 = re.compile(r"[0-9a-f]{64}")


def verify_head_signature(head: dict[str, Any], public_raw: bytes) -> tuple[bool, str]:
    """Ed25519 signature of a tree head over its canonical JSON without the signature."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        body = {k: v for k, v in head.items() if k != "signature"}
        Ed25519PublicKey.from_public_bytes(public_raw).verify(
            base64.b64decode(head["signature"], validate=True), canonical(body)
        )
        return True, "signature valid"
    except (InvalidSignature, ValueError, KeyError, TypeError) as e:
        return False, f"signature does not verify ({type(e).__name__})"


def _check(out: list[dict[str, Any]], name: str, ok: bool, code: str, **params: Any) -> bool:
    """Record one check: its English message and its code and values (ipai.evidence.texts writes it
    in either language)."""
    out.append(
        {"check": name, "ok": ok, "message": message(code, "en", **params), "code": code, "params": params}
    )
    return ok


def verify_receipt(
    receipt_bytes: bytes, *, file_bytes: bytes | None = None, public_key: bytes | None = None
) -> dict[str, Any]:
    """Verify a receipt file's bytes; ``{"ok", "checks": [...], "entry", "tree_head"}``."""
    checks: list[dict[str, Any]] = []
    res: dict[str, Any] = {"ok": False, "checks": checks}
    try:
        r = json.loads(receipt_bytes.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        _check(checks, "format", False, "not_json", error=str(exc))
        return res
    if not isinstance(r, dict) or set(r) != RECEIPT_KEYS:
        _check(checks, "format", False, "fields", fields=", ".join(sorted(RECEIPT_KEYS)))
        return res
    if canonical(r) != receipt_bytes:
        _check(checks, "format", False, "edited")
        return res
    e, h = r["entry"], r["tree_head"]
    if (
        r["receipt_version"] != VERSION
        or not isinstance(e, dict)
        or set(e) != ENTRY_KEYS
        or e.get("v") != VERSION
        or not isinstance(h, dict)
        or set(h) != HEAD_KEYS
    ):
        _check(checks, "format", False, "layout", version=repr(r.get("receipt_version")))
        return res
    _check(checks, "format", True, "canonical")
    res["entry"], res["tree_head"] = e, h
    ok = True
    leaf = leaf_hash(canonical(e))
    ok &= _check(
        checks,
        "entry",
        leaf.hex() == r["leaf_hash"],
        "leaf_ok" if leaf.hex() == r["leaf_hash"] else "leaf_bad",
        got=leaf.hex()[:16],
        want=str(r["leaf_hash"])[:16],
    )
    try:
        # hashes are written as lowercase hex: an upper-case digit is the same bytes but not the
        # receipt the log issued, so it is refused like any other edit
        if not all(isinstance(p, str) and HEX64.fullmatch(p) for p in r["inclusion_proof"]):
            raise ValueError("inclusion proof hashes must be 64 lowercase hex digits")
        path = [bytes.fromhex(p) for p in r["inclusion_proof"]]
        root = root_from_inclusion(int(e["index"]), int(h["tree_size"]), leaf, path)
        same = root.hex() == h["root_hash"]
        ok &= _check(
            checks,
            "inclusion",
            same,
            "included" if same else "proof_bad",
            index=e["index"],
            size=h["tree_size"],
            got=root.hex()[:16],
            want=str(h["root_hash"])[:16],
        )
    except (ValueError, TypeError) as err:
        ok &= _check(checks, "inclusion", False, "proof_malformed", error=str(err))
    key_from = "key_given"
    if public_key is None:
        try:
            public_key = base64.b64decode(r["public_key"], validate=True)
        except (ValueError, TypeError):
            public_key = b""
        key_from = "key_own"
    elif base64.b64encode(public_key).decode() != r["public_key"]:
        _check(checks, "key", False, "other_key")
        ok = False
    log_id = hashlib.sha256(public_key).hexdigest()
    ok &= _check(
        checks,
        "log",
        log_id == h["log_id"] == r["log_id"],
        "log_ok" if log_id == h["log_id"] == r["log_id"] else "log_bad",
    )
    sig_ok, why = verify_head_signature(h, public_key)
    ok &= _check(
        checks,
        "signature",
        sig_ok,
        "sig_ok" if sig_ok else "sig_bad",
        why=why,
        key_from=message(key_from, "en"),
        key_from_zh=message(key_from, "zh"),
    )
    if file_bytes is not None:
        got = hashlib.sha256(file_bytes).hexdigest()
        same = got == e["content_sha256"]
        ok &= _check(
            checks,
            "file",
            same,
            "file_ok" if same else "file_bad",
            got=got[:16],
            want=str(e["content_sha256"])[:16],
        )
    res["ok"] = bool(ok)
    res["public_key_fingerprint"] = log_id
    return res
