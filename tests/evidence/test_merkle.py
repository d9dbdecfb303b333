"""RFC 6962 hashing and proofs against the specification's recursive definitions."""

from __future__ import annotations

import os

from hypothesis import given, settings
from hypothesis import strategies as st

from ipai.evidence.merkle import EMPTY, Tree, leaf_hash, node_hash, root_from_inclusion, verify_consistency


def mth(d: list[bytes]) -> bytes:
    if not d:
        return EMPTY
    if len(d) == 1:
        return leaf_hash(d[0])
    k = 1 << ((len(d) - 1).bit_length() - 1)
    return node_hash(mth(d[:k]), mth(d[k:]))


def test_roots_and_every_proof_up_to_40_leaves() -> None:
    data = [os.urandom(8) for _ in range(40)]
    t = Tree([leaf_hash(x) for x in data])
    for n in range(1, 41):
        assert t.root(n) == mth(data[:n])
        for i in range(n):
            assert root_from_inclusion(i, n, leaf_hash(data[i]), t.inclusion_proof(i, n)) == mth(data[:n])
        for m in range(1, n + 1):
            assert verify_consistency(m, n, mth(data[:m]), mth(data[:n]), t.consistency_proof(m, n))
    assert t.root(0) == EMPTY


@settings(max_examples=60, deadline=None)
@given(n=st.integers(2, 300), data=st.data())
def test_wrong_proofs_fail(n: int, data: st.DataObject) -> None:
    leaves = [leaf_hash(i.to_bytes(4, "big")) for i in range(n)]
    t = Tree(leaves)
    i = data.draw(st.integers(0, n - 1))
    path = t.inclusion_proof(i)
    assert root_from_inclusion(i, n, leaves[i], path) == t.root()
    if path:
        j = data.draw(st.integers(0, len(path) - 1))
        bad = path[:j] + [bytes(32)] + path[j + 1 :]
        assert root_from_inclusion(i, n, leaves[i], bad) != t.root()
    m = data.draw(st.integers(1, n - 1))
    proof = t.consistency_proof(m, n)
    assert verify_consistency(m, n, t.root(m), t.root(n), proof)
    assert not verify_consistency(m, n, leaf_hash(b"other"), t.root(n), proof)
    if proof:
        assert not verify_consistency(m, n, t.root(m), t.root(n), proof[:-1] + [bytes(32)])
