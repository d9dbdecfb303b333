"""Technology evolution: the citation main path of a document set.

Knowledge flows from a cited document to the citing one. Inside the set, each citation edge
gets its **search path count** (SPC: the number of source-to-sink paths through it; Hummon &
Doreian 1989, Verspagen 2007). The **main path** starts at the source edge with the highest SPC
and follows, from each node, the outgoing edge with the highest SPC until a sink (forward local
main path). Edges that would point back in time are dropped, so the graph is acyclic.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any


def citation_edges(docs: dict[str, dict[str, Any]]) -> list[tuple[str, str]]:
    """(cited, citing) pairs between documents of ``docs`` (id → fields with ``pubno``, ``citations``,
    year under ``year``), matching cited publications by country and number."""
    by_number = {}
    for i, d in docs.items():
        pn = d.get("pubno") or {}
        by_number[(pn.get("country"), str(pn.get("number", "")).lstrip("0"))] = i
    edges = set()
    for i, d in docs.items():
        for c in d.get("citations") or []:
            pn = c.get("pubno") or {}
            j = by_number.get((pn.get("country"), str(pn.get("number", "")).lstrip("0")))
            if j and j != i:
                yi, yj = d.get("year"), docs[j].get("year")
                if yi is None or yj is None or yj < yi or (yj == yi and j < i):
                    edges.add((j, i))
    return sorted(edges)


def main_path(nodes: list[str], edges: list[tuple[str, str]]) -> dict[str, Any]:
    """SPC weights of ``edges`` (u → v, acyclic) and the forward local main path."""
    out_e: dict[str, list[str]] = defaultdict(list)
    in_deg: dict[str, int] = defaultdict(int)
    for u, v in edges:
        out_e[u].append(v)
        in_deg[v] += 1
    order, indeg = [], dict(in_deg)
    stack = [n for n in nodes if not in_deg.get(n)]
    while stack:  # Kahn's topological order
        n = stack.pop()
        order.append(n)
        for v in out_e.get(n, ()):
            indeg[v] -= 1
            if indeg[v] == 0:
                stack.append(v)
    n_minus = {n: (1 if not in_deg.get(n) else 0) for n in order}
    for n in order:
        for v in out_e.get(n, ()):
            n_minus[v] += n_minus[n]
    n_plus = {n: (1 if not out_e.get(n) else 0) for n in order}
    for n in reversed(order):
        for v in out_e.get(n, ()):
            n_plus[n] += n_plus[v]
    spc = {(u, v): n_minus[u] * n_plus[v] for u, v in edges}
    path: list[str] = []
    starts = [(spc[(u, v)], u, v) for u, v in edges if not in_deg.get(u)]
    if starts:
        _, u, v = max(starts)
        path = [u, v]
        while out_e.get(path[-1]):
            nxt = max(out_e[path[-1]], key=lambda w: (spc[(path[-1], w)], w))
            path.append(nxt)
    return {
        "path": path,
        "edges": len(edges),
        "spc": {f"{u}>{v}": s for (u, v), s in sorted(spc.items(), key=lambda kv: -kv[1])[:50]},
    }
