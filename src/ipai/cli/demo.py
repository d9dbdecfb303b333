"""``ipai demo``: load the shared real data and show what the platform does with it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from ipai.cli.progress import ingest_progress
from ipai.errors import InputError


def run_demo(svc: Any, data: Path) -> None:
    """Ingest the real sample data, then print corpus statistics and a sample document."""
    if not data.is_dir():
        raise InputError(f"real-data folder not found: {data} (set --data or IPAI_DATA_DIR)")
    e = typer.echo
    e(f"ipai demo: store {svc.settings.store_url}", err=True)
    e(f"loading real data from {data} …", err=True)
    with ingest_progress(svc.settings.progress) as progress:
        s = svc.ingest([data], progress=progress)
    e(f"ingest: loaded {s.loaded:,}, updated {s.updated:,}, unchanged {s.unchanged:,}, "
      f"rejected {s.rejected:,}, skipped {s.skipped:,} non-record files ({s.seconds:.1f}s)")
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
