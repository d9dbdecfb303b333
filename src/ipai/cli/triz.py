"""Commands of the TRIZ assistant: ``ipai triz [TEXT] [--improving N --worsening M]``,
``ipai triz compare``, ``ipai triz params``."""

from __future__ import annotations

from typing import Any

import typer

from ipai.cli import app, emit, service

ACTIONS = {"compare", "params", "parameters"}


def _print_principles(r: dict[str, Any]) -> None:
    e = typer.echo
    s = r.get("suggestion")
    if s:
        e(f"text: {s['text']}")
        e(
            f"  improving part: {s['improving_text']}   worsening part: {s['worsening_text']}"
            + (f"   (split at '{s['contrast']}')" if s["contrast"] else "   (no contrast word)")
        )
        for side in ("improving", "worsening"):
            e(
                f"  {side} candidates: "
                + "; ".join(f"{c['id']} {c['name']} / {c['name_zh']} ({c['score']:.2f})" for c in s[side][:3])
            )
    imp, wor = r["improving"], r["worsening"]
    e(
        f"improving {imp['id']} {imp['name']} / {imp['name_zh']}  vs  worsening {wor['id']} {wor['name']} / "
        f"{wor['name_zh']}"
    )
    e(
        f"cells: A ({r['sources']['A']}) {r['cells']['A'] or '—'}, B ({r['sources']['B']}) {r['cells']['B'] or '—'}"
        f"  → {r['agreement']}; matrix used: {r['matrix']}; basis: {r['basis']}"
    )
    for q in r["principles"]:
        e(
            f"{q['rank']:>2}. [{q['id']:>2}] {q['name']} / {q['name_zh']}  (score {q['score']:.2f}, given by "
            f"{q['given_by']})"
        )
        desc = next(iter(q["descriptions"].values()), "")
        if desc:
            e(f"      {desc}")
        for p in q.get("patents", []):
            e(f"      · {p['number']}  {(p['title'] or '')[:70]}")
            if p["passage"]:
                e(f"          {p['passage'][:160]}")


def _print_compare(c: dict[str, Any]) -> None:
    e = typer.echo
    for lb, s in c["sources"].items():
        e(
            f"{lb}: {s['source']} ({s['file']}): {s['filled']} filled cells, {len(s['irregular_cells'])} irregularly "
            f"written, {s['extra_parameters']} extra parameters ({s['extra_cells']} cells beyond 39×39 not used)"
        )
    e(
        f"off-diagonal cells {c['cells']}: differ {c['differ']}, identical {c['identical']}, same principles in "
        f"another order {c['same_set_other_order']}, overlapping {c['overlap']}, disjoint {c['disjoint']}, "
        f"only in A {c['only_A']}, only in B {c['only_B']}, empty in both {c['both_empty']}; "
        f"mean Jaccard of cells filled in both {c['mean_jaccard']}"
    )
    e(
        f"{c['B_lists_found_elsewhere_in_A']} differing B cells repeat, exactly, a cell of A at another position "
        f"({c['of_which_in_the_same_row']} in the same row)"
    )
    for x in c["examples"]:
        e(f"  {x['improving']:>2} × {x['worsening']:>2}: A {x['A']}  B {x['B']}  ({x['kind']})")


@app.command("triz")
def triz_cmd(
    text: str | None = typer.Argument(
        None, help="The contradiction in words (zh/en), or 'compare' / 'params'."
    ),
    improving: str | None = typer.Option(
        None, "--improving", "-i", help="Improving parameter: number or name."
    ),
    worsening: str | None = typer.Option(
        None, "--worsening", "-w", help="Worsening parameter: number or name."
    ),
    matrix: str = typer.Option("both", "--matrix", "-m", help="A (pytriz), B (triz-ai) or both."),
    examples: bool = typer.Option(True, "--examples/--no-examples", help="Example patents from the corpus."),
    top: int = typer.Option(3, "--top", help="Example patents per principle."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """TRIZ: inventive principles for a contradiction (parameters or text), with explanations and example patents."""
    svc = service()
    action = (text or "").strip().lower()
    if action == "compare":
        c = svc.triz.triz_compare()
        emit(c) if as_json else _print_compare(c)
        return
    if action in ("params", "parameters"):
        p = svc.triz.triz_parameters()
        if as_json:
            emit(p)
            return
        for x in p["parameters"]:
            typer.echo(f"{x['id']:>2}  {x['name']} / {x['name_zh']}")
        typer.echo(f"(Chinese names: {p['name_zh_source']})")
        return
    r = svc.triz.triz(improving, worsening, text=text, matrix=matrix, examples=examples, top_examples=top)
    emit(r) if as_json else _print_principles(r)
