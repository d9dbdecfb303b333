"""Resolve applicant / inventor name variants into entities (blocking + scored merges)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from rapidfuzz import fuzz, process

from ipai.analytics.entities.keys import PersonName, acronym, org_tokens, person_parts
from ipai.analytics.entities.score import (
    MIN_FUZZY_LEN,
    ORG_THRESHOLD,
    PERSON_THRESHOLD,
    PersonContext,
    first_names_compatible,
    fuzzy_allowed,
    org_score,
    person_score,
    shared_context,
    words_typo_close,
)
from ipai.errors import InputError
from ipai.text.names import normalize_name

Kind = Literal["applicant", "inventor"]
MAX_BLOCK = 2000


@dataclass
class Entity:
    """One resolved entity: id, display label (most frequent variant), variants with counts."""

    id: str
    label: str
    variants: dict[str, int] = field(default_factory=dict)
    kind: str = "applicant"

    @property
    def count(self) -> int:
        """Number of mentions."""
        return sum(self.variants.values())


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        self.parent[max(ra, rb)] = min(ra, rb)
        return True


class Resolver:
    """Group name variants into entities; ``fit`` then ``entity_of`` / ``explain`` / ``labels_``."""

    def __init__(
        self, org_threshold: float = ORG_THRESHOLD, person_threshold: float = PERSON_THRESHOLD
    ) -> None:
        self.org_threshold = org_threshold
        self.person_threshold = person_threshold
        self.kind: Kind = "applicant"
        self.entities: list[Entity] = []
        self.labels_: list[int] = []  # entity index per input position
        self._by_name: dict[str, int] = {}
        self._ctx: dict[str, PersonContext] = {}

    # ------------------------------------------------------------------ fit
    def fit(
        self, names: Sequence[str], kind: Kind = "applicant", context: Sequence[dict | None] | None = None
    ) -> Resolver:
        """Resolve ``names`` (duplicates allowed, one per mention); ``context`` is per mention
        (inventors: ``coinventors``, ``location``, ``assignees``, ``classes``)."""
        if kind not in ("applicant", "inventor"):
            raise InputError(f"kind must be 'applicant' or 'inventor', not {kind!r}")
        if context is not None and len(context) != len(names):
            raise InputError("context must have one entry per name")
        self.kind = kind
        names = [" ".join((n or "").split()) for n in names]
        node_of, node_count = (
            self._fit_orgs(names) if kind == "applicant" else self._fit_persons(names, context)
        )
        self._build(names, node_of, node_count)
        return self

    def _fit_orgs(self, names: list[str]) -> tuple[list[int], int]:
        uniq = list(dict.fromkeys(names))
        core_index: dict[str, int] = {}
        tokens: list[list[str]] = []
        node_of_name: dict[str, int] = {}
        for n in uniq:
            toks = org_tokens(n) if n else [""]
            core = "".join(toks)
            if core not in core_index:
                core_index[core] = len(tokens)
                tokens.append(toks)
            node_of_name[n] = core_index[core]
        uf = _UnionFind(len(tokens))
        cores = ["".join(t) for t in tokens]
        # character similarity inside blocks (first word, and last word for typos in the first)
        blocks: dict[str, list[int]] = defaultdict(list)
        for i, t in enumerate(tokens):
            if len(cores[i]) >= MIN_FUZZY_LEN:
                blocks["F" + t[0]].append(i)
                blocks["L" + t[-1] + str(len(t))].append(i)
        cutoff = self.org_threshold * 100
        for members in blocks.values():
            for sub in _split_block(members, tokens):
                if len(sub) < 2:
                    continue
                strs = [cores[i] for i in sub]
                mat = process.cdist(strs, strs, scorer=fuzz.ratio, score_cutoff=cutoff, workers=1)
                rows, cols = mat.nonzero()
                for r, c in zip(rows.tolist(), cols.tolist(), strict=False):
                    if (
                        r < c
                        and fuzzy_allowed(strs[r], strs[c])
                        and words_typo_close(tokens[sub[r]], tokens[sub[c]])
                    ):
                        uf.union(sub[r], sub[c])
        # initials: a one-word key equal to the initials of exactly one (already merged) longer name
        by_acr: dict[str, set[int]] = defaultdict(set)
        for i, t in enumerate(tokens):
            ac = acronym(t)
            if ac:
                by_acr[ac].add(i)
        for i, t in enumerate(tokens):
            roots = (
                Counter(uf.find(j) for j in by_acr.get(t[0], ()))
                if len(t) == 1 and len(t[0]) >= 2
                else Counter()
            )
            if roots:  # after typo merges; the initials must point (80 %+) at one entity
                root, hits = roots.most_common(1)[0]
                if hits >= 0.8 * sum(roots.values()):
                    uf.union(i, root)
        self._org_tokens = tokens
        self._org_node_of_name = node_of_name
        return [uf.find(node_of_name[n]) for n in names], len(tokens)

    def _fit_persons(self, names: list[str], context: Sequence[dict | None] | None) -> tuple[list[int], int]:
        parts: dict[str, PersonName] = {}
        node_index: dict[str, int] = {}
        node_parts: list[PersonName] = []
        mentions: list[list[int]] = []  # positions of each node's mentions
        pos_node: list[int] = []
        for k, n in enumerate(names):
            p = parts.get(n)
            if p is None:
                p = parts[n] = person_parts(n)
            key = p.full or f"\x00{n}"
            i = node_index.get(key)
            if i is None:
                i = node_index[key] = len(node_parts)
                node_parts.append(p)
                mentions.append([])
            mentions[i].append(k)
            pos_node.append(i)
        # a node's context (its mentions' contexts together) is gathered when a comparison needs
        # it: most names are alone in their block and never compared
        ctxs: list[PersonContext | None] = [None] * len(node_parts)

        def ctx_of(i: int) -> PersonContext:
            c = ctxs[i]
            if c is None:
                c = ctxs[i] = PersonContext()
                if context is not None:
                    for k in mentions[i]:
                        c.update(context[k])
            return c

        uf = _UnionFind(len(node_parts))
        # names held by each cluster: a merge may not bring two incompatible given names together
        firsts: dict[int, set[tuple[str, str]]] = {
            i: {(p.first, p.initials)} for i, p in enumerate(node_parts)
        }
        blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
        for i, p in enumerate(node_parts):
            if p.last:
                blocks[(p.last, p.first[:1])].append(i)
        for members in blocks.values():
            if len(members) < 2:
                continue
            pairs = []
            for x in range(len(members)):
                for y in range(x + 1, len(members)):
                    a, b = members[x], members[y]
                    s, _ = person_score(node_parts[a], node_parts[b], ctx_of(a), ctx_of(b))
                    if s >= self.person_threshold:
                        pairs.append((s, a, b))
                if len(pairs) > 200000:
                    break
            for _score, a, b in sorted(pairs, reverse=True):
                ra, rb = uf.find(a), uf.find(b)
                if ra == rb:
                    continue
                merged = firsts[ra] | firsts[rb]
                if len(merged) > 50 or all(_given_compatible(f, g) for f in merged for g in merged):
                    uf.union(ra, rb)
                    firsts[uf.find(ra)] = merged
        # one person written in two orders ("Raghu Vemula" / "Vemula Raghu", "Commons Michael Lamport" /
        # "Michael Lamport Commons"): the same words, merged only when their documents, co-inventors
        # or assignees say so (two people can have mirrored names)
        by_words: dict[tuple[str, ...], list[int]] = defaultdict(list)
        for n in dict.fromkeys(names):
            p = parts[n]
            words = _person_words(n)
            if len(words) >= 2 and p.full:
                i = node_index[p.full]
                if i not in by_words[words]:
                    by_words[words].append(i)
        for members in by_words.values():
            for a, b in zip(members, members[1:], strict=False):
                if uf.find(a) != uf.find(b) and shared_context(ctx_of(a), ctx_of(b)):
                    uf.union(a, b)
        self._person_parts = parts
        self._person_ctx_of = lambda full: ctx_of(node_index[full]) if full in node_index else None
        return [uf.find(i) for i in pos_node], len(node_parts)

    def _build(self, names: list[str], node_of: list[int], n_nodes: int) -> None:
        pairs = Counter(zip(node_of, names, strict=False))  # (root, name) → mentions
        variants: dict[int, dict[str, int]] = defaultdict(dict)
        size: Counter[int] = Counter()
        for (root, n), c in pairs.items():
            variants[root][n] = c
            size[root] += c
        order = sorted(variants, key=lambda r: (-size[r], r))
        index = {r: i for i, r in enumerate(order)}
        prefix = "A" if self.kind == "applicant" else "I"
        self.entities = []
        for i, r in enumerate(order):
            v = variants[r]
            label = max(v.items(), key=lambda kv: (kv[1], len(kv[0]), kv[0]))[0]
            ranked = dict(sorted(v.items(), key=lambda kv: -kv[1])) if len(v) > 1 else v
            self.entities.append(Entity(id=f"{prefix}{i + 1}", label=label, variants=ranked, kind=self.kind))
        self.labels_ = [index[r] for r in node_of]
        # a name mentioned under several entities (persons only) goes to the one holding most mentions
        best: dict[str, tuple[int, int]] = {}
        for (root, n), c in pairs.items():
            cur = best.get(n)
            if cur is None or c > cur[0] or (c == cur[0] and index[root] < cur[1]):
                best[n] = (c, index[root])
        self._by_name = {n: lab for n, (_, lab) in best.items()}

    # ------------------------------------------------------------ queries
    def entity_of(self, name: str) -> Entity | None:
        """The entity holding most mentions of ``name`` (``None`` if the name was not fitted)."""
        i = self._by_name.get(" ".join((name or "").split()))
        return self.entities[i] if i is not None else None

    def explain(self, name_a: str, name_b: str) -> dict:
        """Pairwise score with human-readable reasons, and whether the fit put both in one entity."""
        a, b = " ".join(name_a.split()), " ".join(name_b.split())
        if self.kind == "applicant":
            score, reasons = org_score(org_tokens(a), org_tokens(b))
            threshold = self.org_threshold
        else:
            pa, pb = person_parts(a), person_parts(b)
            ctx_of = getattr(self, "_person_ctx_of", lambda full: None)
            score, reasons = person_score(pa, pb, ctx_of(pa.full), ctx_of(pb.full))
            threshold = self.person_threshold
        ea, eb = self.entity_of(a), self.entity_of(b)
        same = ea is not None and eb is not None and ea.id == eb.id
        if same and score < threshold:
            reasons.append("linked through other variants of the same entity")
        return {
            "score": round(score, 3),
            "threshold": threshold,
            "same_entity": same,
            "reasons": reasons,
            "entity_a": ea.id if ea else None,
            "entity_b": eb.id if eb else None,
        }


@lru_cache(maxsize=1 << 18)
def _person_words(name: str) -> tuple[str, ...]:
    """The words of a person's name in a fixed order (the same for both orders of writing it)."""
    return tuple(sorted(normalize_name(name.replace(",", " ").replace(";", " "), kind="person").split()))


def _given_compatible(a: tuple[str, str], b: tuple[str, str]) -> bool:
    """Given names and middle initials that can belong to one person (``DAVID F`` vs ``DAVID E``: no)."""
    if not first_names_compatible(a[0], b[0]):
        return False
    return not a[1] or not b[1] or a[1].startswith(b[1]) or b[1].startswith(a[1])


def _split_block(members: list[int], tokens: list[list[str]], depth: int = 1) -> list[list[int]]:
    """Split an over-large block by further leading words so that cdist stays affordable."""
    if len(members) <= MAX_BLOCK:
        return [members]
    if depth > 3:
        return [members[i : i + MAX_BLOCK] for i in range(0, len(members), MAX_BLOCK)]
    sub: dict[str, list[int]] = defaultdict(list)
    for i in members:
        sub[" ".join(tokens[i][: depth + 1])].append(i)
    out: list[list[int]] = []
    for s in sub.values():
        out.extend(_split_block(s, tokens, depth + 1))
    return out


def resolve_names(names: Sequence[str], kind: Kind = "applicant") -> dict[str, str]:
    """Map every distinct name to its entity label (the label :meth:`Resolver.fit` would give,
    without building the entities: landscapes call this on every query)."""
    if kind != "applicant":
        r = Resolver().fit(list(names), kind=kind)
        return {n: r.entities[r._by_name[" ".join((n or "").split())]].label for n in dict.fromkeys(names)}
    counts = Counter(names)
    clean = {n: " ".join((n or "").split()) for n in counts}
    mentions: Counter[str] = Counter()
    for n, c in counts.items():
        mentions[clean[n]] += c
    order = list(mentions)
    roots, _ = Resolver()._fit_orgs(order)
    folded: Counter[str] = Counter()
    for n in order:
        folded[n.upper()] += mentions[n]
    best: dict[int, tuple[int, int, int, str]] = {}
    for n, root in zip(order, roots, strict=False):
        # the most used spelling (any letter case), not a permuted-index rotation ("… OF THE")
        rotated = n.upper().rstrip(" .").endswith((" THE", " OF"))
        key = (folded[n.upper()], not rotated, mentions[n], n)
        if root not in best or key > best[root]:
            best[root] = key
    label = dict(zip(order, (best[r][3] for r in roots), strict=False))
    return {n: label[clean[n]] for n in counts}
