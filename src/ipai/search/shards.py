"""A sharded search index: documents routed to shard ``k`` of ``n`` by a stable hash of their id.

Layout under ``<home>/index/shards/``::

    layout.json   shard count, encoder and its fingerprint
    encoder/      the ONE semantic encoder every shard uses (fitted once on a sample of the store)
    000/ 001/ …   one normal index directory per shard (keyword, vectors, docmap with its seq)

Each shard is a :class:`ShardIndex`: the single-index engine reading the store's change feed
and keeping only its own documents, so it commits its change number as a checkpoint like the
single index does — a shard build that is killed resumes from its last commit, no document lost,
none indexed twice. The shared encoder keeps vectors comparable across shards: its word weights
and common component are fixed when it is fitted; a shard adds the vectors of words the sample
never had (deterministic functions of the word), so a document gets the same vector whichever
shard holds it, and a query vector computed once can be searched in every shard.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ipai.errors import BackendError
from ipai.search.engine import CHUNK, SHARDS_DIR, IndexDamaged, SingleSearchEngine
from ipai.search.protocol import CorpusSource, Notice, Progress
from ipai.search.vector.encoders import Encoder, StaticUseEncoder, make_encoder
from ipai.search.vector.langoffset import center
from ipai.search.vector.use import use_encode
from ipai.settings import Settings
from ipai.store.ports import ChangeFeed

LAYOUT_VERSION = 1
# the shared encoder reads every document of a small store, a share of a large one (its vocabulary
# then holds all but rare words, which each shard adds for itself)
SAMPLE_SHARE = 0.2
SAMPLE_MIN, SAMPLE_MAX = 20_000, 200_000
FIT_DOCS = 5_000  # token lists the common component is fitted on (the single index: its first 2,000)
_ID = re.compile(r'^\{"record_type":"patent","id":"([^"\\]*)"')

# (after, up to, every, keep): documents with change numbers in (after, up to], every n-th of them
# counted, the tokens of every keep-th counted one kept
SeqRange = tuple[int, int, int, int]
Analyse = Callable[[list[SeqRange]], list["Sample"]]  # ranges of the store → their samples
Encode = Callable[[list[str]], np.ndarray]  # words → USE vectors


def shard_of(doc_id: str, n: int) -> int:
    """The shard a document belongs to (stable across processes, machines and versions)."""
    if n <= 1:
        return 0
    digest = hashlib.blake2b(doc_id.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % n


def doc_id_of(text: str) -> str:
    """The id of a document from its canonical JSON (read from the head; parsed when unusual)."""
    m = _ID.match(text)
    return m.group(1) if m else str(json.loads(text)["id"])


def shards_root(settings: Settings) -> Path:
    """Where a sharded index lives."""
    return settings.home / "index" / SHARDS_DIR


def read_layout(root: Path) -> dict[str, Any] | None:
    """The layout of a sharded index, or ``None`` when there is none (or it is unreadable)."""
    try:
        data = json.loads((root / "layout.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if data.get("version") == LAYOUT_VERSION else None


def layout_matches(layout: dict[str, Any] | None, settings: Settings, shards: int) -> bool:
    """Whether an existing layout serves these settings with this many shards."""
    if not layout:
        return False
    return bool(layout["shards"] == shards and layout["encoder"]["name"] == settings.search_encoder)


class FrozenStaticUse(StaticUseEncoder):
    """The shared static encoder as a shard uses it: word weights (corpus counts) and common
    component stay as fitted; words the sample never had are added with their vectors and a
    count of zero (the weight of a rare word), the same in every shard."""

    def observe(self, docs: list[list[str]], encode: Encode | None = None) -> None:
        new = list(dict.fromkeys(w for toks in docs for w in toks if w not in self.index))
        if new:
            self._append(new, center(new, (encode or use_encode)(new)).astype(np.float16))

    def ready_to_fit(self) -> bool:
        return False

    @classmethod
    def from_counts(cls, counts: Counter[str], encode: Encode | None = None) -> FrozenStaticUse:
        """An encoder whose vocabulary and word weights are these corpus counts."""
        enc = cls()
        words = list(counts)
        if words:
            enc._append(words, center(words, (encode or use_encode)(words)).astype(np.float16))
            enc._counts[: enc.n] = [counts[w] for w in words]
            enc.total = int(sum(counts.values()))
        return enc


def vector_tokens_of(texts: list[str]) -> list[list[str]]:
    """What the semantic encoder reads of each document (canonical JSON in)."""
    from ipai.model import load_patent
    from ipai.search.analysis import vector_tokens
    from ipai.search.docfields import VECTOR_WORDS, semantic_text

    return [vector_tokens(semantic_text(load_patent(t)))[:VECTOR_WORDS] for t in texts]


@dataclass
class Sample:
    """What the shared encoder is fitted from: word counts over the sampled documents and the
    token lists of a few of them (for the common component)."""

    counts: Counter[str] = field(default_factory=Counter)
    docs: int = 0
    lists: list[list[str]] = field(default_factory=list)

    def add(self, other: Sample) -> None:
        """Merge another part's sample."""
        self.counts.update(other.counts)
        self.docs += other.docs
        self.lists.extend(other.lists)


def sample_part(store: ChangeFeed, part: SeqRange) -> Sample:
    """Count the vector tokens of one in ``every`` documents with a change number in
    ``(after, upto]`` (chosen by :func:`in_sample`); keep the tokens of every ``keep``-th of those."""
    after, upto, every, keep = part
    out = Sample()
    for seq, text in store.iter_changed_raw(after, batch=CHUNK):
        if seq > upto:
            break
        if not in_sample(doc_id_of(text), every):
            continue
        toks = vector_tokens_of([text])[0]
        out.counts.update(toks)
        if out.docs % keep == 0:
            out.lists.append(toks)
        out.docs += 1
    return out


def in_sample(doc_id: str, every: int) -> bool:
    """Whether a document is one of the ``1/every`` the shared encoder reads: a keyed hash of its id,
    so the sample depends neither on the order of the store nor on the shards."""
    if every <= 1:
        return True
    digest = hashlib.blake2b(doc_id.encode("utf-8"), digest_size=8, person=b"ipai-sample").digest()
    return int.from_bytes(digest, "big") % every == 0


def sample_ranges(store: ChangeFeed, parts: int) -> list[SeqRange]:
    """The store's change numbers in ``parts`` ranges, with the steps that sample
    :func:`sample_size` documents and keep about ``FIT_DOCS`` token lists."""
    total, top = store.count_changed(0), store.max_seq()
    size = sample_size(total)
    every = max(1, round(total / max(size, 1)))
    keep = max(1, size // FIT_DOCS)
    bounds = np.linspace(0, top, max(1, parts) + 1).astype(np.int64)
    return [(int(a), int(b), every, keep) for a, b in itertools.pairwise(bounds) if b > a]


def sample_size(total: int) -> int:
    """Documents the shared encoder is fitted on for a store of ``total``."""
    return min(total, max(SAMPLE_MIN, min(SAMPLE_MAX, int(total * SAMPLE_SHARE))))


def fit_shared_encoder(
    settings: Settings,
    store: CorpusSource,
    path: Path,
    *,
    analyse: Analyse | None = None,
    encode: Encode | None = None,
    parts: int = 1,
) -> dict[str, Any]:
    """Fit the one encoder of a sharded index on a sample of the store and save it in ``path``;
    returns its description for the layout. ``analyse`` (given ``parts`` ranges of the store) and
    ``encode`` may run on a cluster; by default they run here."""
    spec = settings.search_encoder
    if spec != "static-use":  # encoders without corpus state are the same everywhere already
        return {"name": spec, "id": spec, "sample": 0}
    t0 = time.perf_counter()
    ranges = sample_ranges(store, parts)
    sample = Sample()
    for one in analyse(ranges) if analyse else [sample_part(store, r) for r in ranges]:
        sample.add(one)
    t1 = time.perf_counter()
    enc = FrozenStaticUse.from_counts(sample.counts, encode)
    t2 = time.perf_counter()
    enc.fit(sample.lists)
    if path.exists():
        shutil.rmtree(path)
    enc.save(path)
    digest = hashlib.blake2b(digest_size=8)
    for f in sorted(path.iterdir()):
        digest.update(f.read_bytes())
    return {
        "name": spec,
        "id": digest.hexdigest(),
        "sample": sample.docs,
        "vocabulary": enc.n,
        "seconds": {
            "analyse": round(t1 - t0, 2),
            "encode_words": round(t2 - t1, 2),
            "fit": round(time.perf_counter() - t2, 2),
        },
    }


def prepare_layout(
    settings: Settings,
    store: CorpusSource,
    shards: int,
    *,
    rebuild: bool = False,
    analyse: Analyse | None = None,
    encode: Encode | None = None,
    parts: int = 1,
    notice: Notice | None = None,
) -> dict[str, Any]:
    """Make sure a layout for ``shards`` shards with a fitted encoder exists (a different shard
    count or encoder, or ``rebuild``, starts the sharded index over); returns it."""
    root = shards_root(settings)
    layout = read_layout(root)
    if layout is not None and layout_matches(layout, settings, shards) and not rebuild:
        return layout
    if layout and notice and not rebuild:
        notice(
            f"sharded index at {root} has {layout['shards']} shards ({layout['encoder']['name']}); "
            f"settings ask for {shards} ({settings.search_encoder}): building it again"
        )
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    t0 = time.perf_counter()
    encoder = fit_shared_encoder(
        settings, store, root / "encoder", analyse=analyse, encode=encode, parts=parts
    )
    layout = {
        "version": LAYOUT_VERSION,
        "shards": shards,
        "encoder": encoder,
        "fit_seconds": round(time.perf_counter() - t0, 2),
    }
    tmp = root / "layout.json.tmp"
    tmp.write_text(json.dumps(layout), encoding="utf-8")
    tmp.replace(root / "layout.json")
    return layout


class ShardIndex(SingleSearchEngine):
    """One shard: the single-index engine over the documents of the store that hash to ``k``."""

    learns_terms = False

    def __init__(
        self,
        settings: Settings,
        store: CorpusSource,
        layout: dict[str, Any],
        k: int,
        notice: Notice | None = None,
        commit_every: int | None = None,
        chunk: int | None = None,
    ) -> None:
        root = shards_root(settings)
        super().__init__(settings, store, notice, path=root / f"{k:03d}")
        self.k, self.n = k, int(layout["shards"])
        self.shared = root / "encoder"
        self.encoder_id = str(layout["encoder"]["id"])
        self.commit_every = commit_every or self.commit_every
        self.chunk = min(chunk or CHUNK, self.commit_every)
        self._scanned = 0

    def _make_encoder(self, saved: Path | None) -> Encoder:
        if self.settings.search_encoder != "static-use":
            return make_encoder(self.settings.search_encoder)
        src = saved if saved is not None and (saved / "encoder.json").exists() else self.shared
        if not (src / "encoder.json").exists():
            raise BackendError(
                f"the sharded index at {self.shared.parent} has no shared encoder: "
                "build it with 'ipai cluster index' or 'ipai index'"
            )
        return FrozenStaticUse.load(src)

    def _shard_state(self) -> dict[str, Any]:
        return {"k": self.k, "n": self.n, "encoder": self.encoder_id}

    def _load(self) -> None:
        super()._load()
        if self.state.get("shard") != self._shard_state():
            raise IndexDamaged(f"built as {self.state.get('shard')}, the layout needs {self._shard_state()}")

    def _reset(self) -> None:
        super()._reset()
        self.state["shard"] = self._shard_state()
        self.docmap.set_state(**self.state)
        self.docmap.commit()

    def _changes(self, since: int) -> Iterator[tuple[int, str]]:
        for seq, text in self.store.iter_changed_raw(since, batch=self.chunk):
            self._scanned = seq
            if shard_of(doc_id_of(text), self.n) == self.k:
                yield seq, text

    def _pending(self, since: int) -> int:
        """Changes this shard has still to read, estimated (the hash spreads them evenly)."""
        return -(-self.store.count_changed(since) // self.n)

    def refresh(
        self, *, rebuild: bool = False, progress: Progress | None = None, learn: bool = False
    ) -> dict[str, Any]:
        """Index this shard's changes; the checkpoint then moves past other shards' changes too
        (the term space is the sharded engine's, never a shard's)."""
        with self._lock:
            self._scanned = 0
            out = super().refresh(rebuild=rebuild, progress=progress, learn=False)
            if self._scanned > int(self.state.get("seq", 0)):
                self.state["seq"] = self._scanned
                self.docmap.set_state(**self.state)
                self.docmap.commit()
            return out | {"shard": self.k, "seq": int(self.state["seq"])}


def refresh_shard(
    settings: Settings,
    store: CorpusSource,
    k: int,
    *,
    progress: Progress | None = None,
    commit_every: int | None = None,
    chunk: int | None = None,
) -> dict[str, Any]:
    """Open shard ``k`` of the current layout, index what changed, close it: one shard job
    (``commit_every``/``chunk``: checkpoint and batch sizes, smaller in tests)."""
    layout = read_layout(shards_root(settings))
    if layout is None:
        raise BackendError(f"no sharded index layout at {shards_root(settings)}")
    shard = ShardIndex(settings, store, layout, k, commit_every=commit_every, chunk=chunk)
    try:
        return shard.refresh(progress=progress)
    finally:
        shard.close()
