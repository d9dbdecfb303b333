"""Topic map: clusters of documents with readable labels, and a 2-D map.

Documents are clustered on their semantic vectors (k-means, ``k`` ≈ √(n/2) within 4–16), so
Chinese and English documents on one subject share a cluster. Each cluster is labelled with the
words most over-represented in it (class-based TF-IDF over title and abstract words, Chinese and
English kept apart, so a label has words in both languages when the cluster has both). The map
places clusters by a 2-D PCA of the document vectors (the centroid of each cluster's points).
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

import numpy as np

from ipai.search.analysis import has_han, vector_tokens

GENERIC = frozenset(
    [
        "method",
        "methods",
        "system",
        "systems",
        "device",
        "devices",
        "apparatus",
        "use",
        "using",
        "based",
        "thereof",
        "same",
        "one",
        "two",
        "first",
        "second",
        "provided",
        "includes",
        "including",
        "comprising",
        "comprises",
        "having",
        "wherein",
        "invention",
        "present",
        "disclosed",
        "embodiment",
        "方法",
        "装置",
        "系统",
        "设备",
        "基于",
        "一种",
        "及其",
        "用于",
        "以及",
        "应用",
        "包括",
        "所述",
        "本发明",
        "实用新型",
        "结构",
        "组件",
    ]
)


def _words(text: str) -> list[str]:
    return [w for w in vector_tokens(text) if len(w) > 1 and not w.isdigit()]


def topic_map(
    ids: list[str],
    vecs: np.ndarray,
    texts: dict[str, str],
    years: dict[str, int | None],
    *,
    k: int | None = None,
    labels_per_topic: int = 6,
    seed: int = 0,
) -> dict[str, Any]:
    """Clusters of ``ids`` (rows of ``vecs``) with labels, sizes, years and 2-D positions."""
    from sklearn.cluster import KMeans
    from sklearn.decomposition import PCA

    n = len(ids)
    if n < 8:
        return {"topics": [], "k": 0, "documents": n, "note": "too few documents for a topic map"}
    k = k or max(4, min(16, int(round(math.sqrt(n / 2)))))
    k = min(k, n // 2)
    km = KMeans(n_clusters=k, n_init=3, random_state=seed).fit(vecs)
    xy = PCA(n_components=2, random_state=seed).fit_transform(vecs)
    words = {i: Counter(_words(texts.get(i, ""))) for i in ids}
    df_all: Counter[str] = Counter()
    per: list[Counter[str]] = [Counter() for _ in range(k)]
    for i, lab in zip(ids, km.labels_, strict=False):
        present = set(words[i])
        per[lab].update(present)
        df_all.update(present)
    topics: list[dict[str, Any]] = []
    for c in range(k):
        members = [ids[j] for j in np.flatnonzero(km.labels_ == c)]
        size = len(members)
        # p(w|topic) · log(p(w|topic) / p(w)): frequent in the topic and rarer elsewhere
        scored = {
            w: (cnt / size) * math.log((cnt / size) / (df_all[w] / n))
            for w, cnt in per[c].items()
            if cnt >= 2 and w not in GENERIC
        }
        zh = [w for w in sorted(scored, key=lambda w: -scored[w]) if has_han(w)][:labels_per_topic]
        en = [w for w in sorted(scored, key=lambda w: -scored[w]) if not has_han(w)][:labels_per_topic]
        ys = Counter(years.get(i) for i in members if years.get(i))
        pts = xy[km.labels_ == c]
        topics.append(
            {
                "id": c,
                "size": size,
                "label_en": ", ".join(en[:4]),
                "label_zh": "、".join(zh[:4]),
                "terms": {"en": en, "zh": zh},
                "x": round(float(pts[:, 0].mean()), 4),
                "y": round(float(pts[:, 1].mean()), 4),
                "by_year": dict(sorted(ys.items())),
                "sample": members[:5],
            }
        )
    topics.sort(key=lambda t: -t["size"])
    points = [
        {"id": i, "topic": int(lab), "x": round(float(p[0]), 4), "y": round(float(p[1]), 4)}
        for i, lab, p in list(zip(ids, km.labels_, xy, strict=False))[:3000]
    ]
    return {
        "k": k,
        "documents": n,
        "topics": topics,
        "points": points,
        "method": "k-means on semantic vectors; labels by class-based TF-IDF; 2-D PCA",
    }


def translate_terms(topics: list[dict[str, Any]], concepts: Any, per_topic: int = 6, min_df: int = 3) -> None:
    """Add ``translated`` to each topic: its English words in Chinese and its Chinese words in
    English, by the dictionary translations search uses (``concepts(text, phrase=…)`` → the query
    concepts of :class:`ipai.search.concepts.ConceptBuilder`). Two or three English words that
    are one dictionary sense in some order are translated together (``network neural`` →
    神经网络); of a word's translations the one most documents carry is kept, and one fewer than
    ``min_df`` documents carry is dropped (rare senses: landing → 楼梯台)."""
    from itertools import permutations

    cache: dict[tuple[str, bool], str | None] = {}

    def best(text: str, phrase: bool = False) -> str | None:
        if (text, phrase) not in cache:
            try:
                forms = [
                    f
                    for c in concepts(text, phrase=phrase)
                    for f in c.translations()
                    if f.source == "cedict" and f.df >= min_df
                ]
            except Exception:  # the dictionary is an optional extra: no translation then
                forms = []
            cache[(text, phrase)] = max(forms, key=lambda f: f.df).text if forms else None
        return cache[(text, phrase)]

    for tp in topics:
        terms = tp.get("terms") or {}
        out: dict[str, list[str]] = {}
        for src, dst in (("en", "zh"), ("zh", "en")):
            todo = list((terms.get(src) or [])[:per_topic])
            found: list[tuple[int, str]] = []  # (position of the first word, translation)
            if src == "en":
                for n in (3, 2):
                    for combo in permutations([w for w in todo if w], n):
                        if not all(w in todo for w in combo):
                            continue
                        t = best(" ".join(combo), phrase=True)
                        if t:
                            found.append((min(todo.index(w) for w in combo), t))
                            todo = [w if w not in combo else "" for w in todo]
            found += [(i, t) for i, w in enumerate(todo) if w and (t := best(w))]
            words: list[str] = []
            for _, t in sorted(found):
                if t not in words and t not in (terms.get(dst) or []):
                    words.append(t)
            out[dst] = words
        tp["translated"] = out
