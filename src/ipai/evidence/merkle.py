"""RFC 6962 / 9162 Merkle tree hashing, inclusion (audit) paths and consistency proofs.

- leaf hash ``SHA-256(0x00 || data)``, node hash ``SHA-256(0x01 || left || right)``;
- MTH of n > 1 leaves splits at k, the largest power of two smaller than n.

:class:`Tree` keeps every *perfect* subtree hash (levels[h][i] covers leaves i·2^h … (i+1)·2^h − 1),
updated in O(log n) per append, so that any MTH(D[a:b]) — and with it any proof — costs
O(log² n) hash operations at most. The verification functions are pure and need nothing but
the hashes: that is what a receipt holder runs offline.
"""

from __future__ import annotations

import hashlib

EMPTY = hashlib.sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """Largest power of two strictly smaller than n (n ≥ 2)."""
    return 1 << ((n - 1).bit_length() - 1)


class Tree:
    """An append-only Merkle tree over leaf hashes."""

    def __init__(self, leaves: list[bytes] | None = None) -> None:
        self.levels: list[list[bytes]] = [[]]
        for h in leaves or []:
            self.append(h)

    @property
    def size(self) -> int:
        return len(self.levels[0])

    def append(self, leaf: bytes) -> None:
        """Add one leaf hash; complete perfect subtrees get their hash."""
        self.levels[0].append(leaf)
        h, i = 0, len(self.levels[0]) - 1
        while i % 2 == 1:  # this node closes a pair: its parent is now complete
            parent = node_hash(self.levels[h][i - 1], self.levels[h][i])
            h, i = h + 1, i // 2
            if len(self.levels) <= h:
                self.levels.append([])
            self.levels[h].append(parent)

    def root(self, n: int | None = None) -> bytes:
        """MTH of the first ``n`` leaves (all by default)."""
        n = self.size if n is None else n
        if not 0 <= n <= self.size:
            raise ValueError(f"tree size {n} not in 0..{self.size}")
        return self._mth(0, n) if n else EMPTY

    def _mth(self, a: int, b: int) -> bytes:
        """MTH of leaves a..b-1 (b > a)."""
        n = b - a
        if n & (n - 1) == 0 and a % n == 0:  # a perfect, aligned subtree: stored
            return self.levels[n.bit_length() - 1][a // n]
        k = _split(n)
        return node_hash(self._mth(a, a + k), self._mth(a + k, b))

    def inclusion_proof(self, index: int, n: int | None = None) -> list[bytes]:
        """Audit path of leaf ``index`` in the tree of the first ``n`` leaves (RFC 6962 PATH)."""
        n = self.size if n is None else n
        if not 0 <= index < n <= self.size:
            raise ValueError(f"leaf {index} not in a tree of size {n}")
        path: list[bytes] = []
        a, b, m = 0, n, index
        while b - a > 1:
            k = _split(b - a)
            if m - a < k:
                path.append(self._mth(a + k, b))
                b = a + k
            else:
                path.append(self._mth(a, a + k))
                a = a + k
        return path[::-1]

    def consistency_proof(self, m: int, n: int | None = None) -> list[bytes]:
        """Proof that the first ``m`` leaves' tree is a prefix of the first ``n`` (RFC 6962 PROOF)."""
        n = self.size if n is None else n
        if not 0 < m <= n <= self.size:
            raise ValueError(f"no consistency proof from {m} to {n} (log size {self.size})")
        return self._subproof(m, 0, n, True) if m < n else []

    def _subproof(self, m: int, a: int, b: int, complete: bool) -> list[bytes]:
        n = b - a
        if m == n:
            return [] if complete else [self._mth(a, b)]
        k = _split(n)
        if m <= k:
            return self._subproof(m, a, a + k, complete) + [self._mth(a + k, b)]
        return self._subproof(m - k, a + k, b, False) + [self._mth(a, a + k)]


def root_from_inclusion(index: int, size: int, leaf: bytes, path: list[bytes]) -> bytes:
    """The root an audit path leads to (RFC 9162 §2.1.3.2); ValueError if the path has the wrong length."""
    if not 0 <= index < size:
        raise ValueError(f"leaf index {index} outside a tree of size {size}")
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            raise ValueError("inclusion proof is longer than the tree allows")
        if fn % 2 == 1 or fn == sn:
            r = node_hash(p, r)
            while fn % 2 == 0 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ValueError("inclusion proof is shorter than the tree needs")
    return r


def verify_consistency(m: int, n: int, old_root: bytes, new_root: bytes, proof: list[bytes]) -> bool:
    """Does ``proof`` show the size-``m`` tree (``old_root``) is a prefix of the size-``n`` tree
    (``new_root``)? (RFC 9162 §2.1.4.2)"""
    if m == n:
        return not proof and old_root == new_root
    if not 0 < m < n or not proof:
        return False
    path = list(proof)
    if m & (m - 1) == 0:  # m a power of two: the old root is the first node of the path
        path.insert(0, old_root)
    fn, sn = m - 1, n - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and fr == old_root and sr == new_root
