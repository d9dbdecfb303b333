"""``ipai demo``: load the shared real data and show what the platform does with it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from ipai.cli.progress import index_progress, ingest_progress
from ipai.errors import InputError


def run_demo(svc: Any, data: Path) -> None:
    """Ingest the real sample data, build the search index, then print corpus statistics, a
    sample document and two searches (Chinese and English)."""
    if not data.is_dir():
        raise InputError(f"real-data folder not found: {data} (set --data or IPAI_DATA_DIR)")
    e = typer.echo
    e(f"ipai demo: store {svc.settings.store_url}", err=True)
    e(f"loading real data from {data} …", err=True)
    with ingest_progress(svc.settings.progress) as progress:
        s = svc.ingest([data], progress=progress)
    e(f"ingest: loaded {s.loaded:,}, updated {s.updated:,}, unchanged {s.unchanged:,}, "
      f"rejected {s.rejected:,}, skipped {s.skipped:,} non-record files ({s.seconds:.1f}s)")
    e("building the search index (incremental after the first run) …", err=True)
    with index_progress(svc.settings.progress) as iprog:
        ix = svc.index(progress=iprog)
    e(f"index: {ix['documents']:,} documents searchable ({ix['indexed']:,} indexed now, {ix['seconds']:.1f}s)")
    laws = data / "cn-ip-law"
    if laws.is_dir():
        e("loading the Chinese IP laws as built-in Q&A knowledge (articles encoded once) …", err=True)
        try:
            k = svc.load_builtin_laws(laws)
            e(f"knowledge: {len(k['documents'])} laws and regulations "
              f"({sum(d['passages'] for d in k['documents']):,} passages, {sum(d['new'] for d in k['documents'])} new); "
              "ask e.g. ipai ask \"实用新型专利能保护多少年？\"")
        except Exception as exc:  # noqa: BLE001 - the demo goes on
            e(f"knowledge: {exc}")
    st = svc.stats()
    e(f"corpus: {st['documents']:,} patent documents, {st['trademarks']:,} trademarks")
    e("  jurisdictions: " + ", ".join(f"{k} {v:,}" for k, v in list(st["by_jurisdiction"].items())[:10]))
    e("  languages:     " + ", ".join(f"{k} {v:,}" for k, v in st["by_language"].items()))
    e("  sections:      " + ", ".join(f"{k} {v:,}" for k, v in st["by_section"].items()))
    from ipai.cli.render import print_document

    for number in ("US8926509B2", "EP3404678B1"):
        try:
            doc = svc.resolve(number)
        except Exception:  # the sample may not be in a custom --data folder
            continue
        e("")
        print_document(doc, svc.store.document_sources(doc.id))
    for q in ("无人机 电池", "neural network image recognition"):
        try:
            res = svc.search(q, top=3)
        except Exception as exc:  # noqa: BLE001 - the demo goes on
            e(f"search {q!r}: {exc}")
            continue
        e("")
        e(f"search {q!r}: {res.total_keyword:,} keyword matches, {res.took_ms} ms")
        for h in res.hits:
            e(f"  {h.rank}. {h.pubno:<20} {h.title[:80]}")
