"""Files a refresh grows instead of rewriting: the static encoder's vocabulary and the term space.
Growing them step by step gives what building them at once gives."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from ipai.search.termspace import TermSpace
from ipai.search.vector.encoders import StaticUseEncoder


def _vec(word: str, dim: int) -> np.ndarray:
    seed = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "big")
    v = np.random.default_rng(seed).standard_normal(dim).astype(np.float32)
    return v / np.linalg.norm(v)


class _Cache:
    """Stands in for the e5 cache: a fixed vector per word (a Chinese word of ``PAIRS`` near its
    English word); records what it was asked for."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def vectors(self, words: list[str], kind: str = "query") -> tuple[np.ndarray, int]:
        self.asked += words
        out = []
        for w in words:
            v = _vec(PAIRS[w], 24) + 0.3 * _vec(w, 24) if w in PAIRS else _vec(w, 24)
            out.append(v / np.linalg.norm(v))
        return np.asarray(out, dtype=np.float32), len(words)


PAIRS: dict[str, str] = {}  # Chinese word → the English word it translates


class _Vocab:
    def __init__(self, words: list[str], counts: list[int]) -> None:
        self.w, self.c = words, np.asarray(counts)

    def word_vectors(self) -> tuple[list[str], None, np.ndarray]:
        return self.w, None, self.c


def _vocab(n_en: int, n_zh: int) -> tuple[list[str], list[int]]:
    han = [chr(c) for c in range(0x4E00, 0x4E00 + 200)]
    en = [f"word{chr(97 + i % 26)}{chr(97 + i // 26 % 26)}{chr(97 + i // 676)}" for i in range(n_en)]
    zh = [han[i % 200] + han[(i * 7 + 3) % 200] for i in range(n_zh)]
    words = list(dict.fromkeys(en + zh))
    PAIRS.update({z: e for z, e in zip(zh[::3], en[::3], strict=False)})
    return words, [5] * len(words)


def test_term_space_grown_in_steps_equals_one_built_at_once(tmp_path: Path) -> None:
    words, counts = _vocab(400, 300)
    full = TermSpace(tmp_path / "full")
    full.update(_Vocab(words, counts), _Cache())
    # the same vocabulary, first with a fifth of its words below the threshold
    early = [c if i % 5 else 0 for i, c in enumerate(counts)]
    TermSpace(tmp_path / "steps").update(_Vocab(words, early), _Cache())
    cache = _Cache()
    grown = TermSpace(tmp_path / "steps")  # another process
    grown.update(_Vocab(words, counts), cache)
    assert len(cache.asked) == len([w for i, w in enumerate(words) if i % 5 == 0])  # only new words
    again = TermSpace(tmp_path / "steps")
    assert len(full.table["zh>en"]) > 50 and len(full.table["en>zh"]) > 50
    for key, table in full.table.items():
        assert set(again.table[key]) == set(table)
        for w, found in table.items():
            got = again.table[key][w]
            assert [x for x, _ in got] == [x for x, _ in found]
            assert np.allclose([s for _, s in got], [s for _, s in found], atol=1e-4)
    for script in ("en", "zh"):
        assert sorted(again.words[script]) == sorted(full.words[script])
        rows = [full.index[script][w] for w in again.words[script]]
        assert np.array_equal(again.vectors[script], full.vectors[script][rows])


def test_encoder_appends_new_words_to_its_files(tmp_path: Path) -> None:
    def enc(ws: list[str]) -> np.ndarray:
        return np.asarray([_vec(w, 512) for w in ws])

    e = StaticUseEncoder()
    e.observe([["alpha", "beta", "gamma"]], enc)
    e.save(tmp_path)
    size = (tmp_path / "vectors.npy").stat().st_size
    loaded = StaticUseEncoder.load(tmp_path)
    loaded.observe([["beta", "delta"], ["epsilon"]], enc)
    loaded.save(tmp_path)
    assert (tmp_path / "vectors.npy").stat().st_size == size + 2 * 512 * 2  # two new float16 rows
    back = StaticUseEncoder.load(tmp_path)
    assert back.words == ["alpha", "beta", "gamma", "delta", "epsilon"]
    assert np.array_equal(back.vectors, loaded.vectors)
    assert back.counts.tolist() == [1, 2, 1, 1, 1] and back.total == 6
