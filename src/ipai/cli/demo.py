"""``ipai demo``: load the shared real data and show what the platform does with it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from ipai.errors import InputError
from ipai.faces.progress import index_progress, ingest_progress


def run_demo(svc: Any, data: Path) -> None:
    """Ingest the real sample data, build the search index, then print corpus statistics, a
    sample document and two searches (Chinese and English); last, build the image indexes of the
    trademark and design image search."""
    if not data.is_dir():
        raise InputError(f"real-data folder not found: {data} (set --data or IPAI_DATA_DIR)")
    e = typer.echo
    e(f"ipai demo: store {svc.settings.store_url}", err=True)
    e(f"loading real data from {data} …", err=True)
    with ingest_progress(svc.settings.progress) as progress:
        s = svc.corpus.ingest([data], progress=progress)
    e(
        f"ingest: loaded {s.loaded:,}, updated {s.updated:,}, unchanged {s.unchanged:,}, "
        f"rejected {s.rejected:,}, skipped {s.skipped:,} non-record files ({s.seconds:.1f}s)"
    )
    e("building the search index (incremental after the first run) …", err=True)
    with index_progress(svc.settings.progress) as iprog:
        ix = svc.corpus.index(progress=iprog)
    e(
        f"index: {ix['documents']:,} documents searchable ({ix['indexed']:,} indexed now, {ix['seconds']:.1f}s)"
    )
    laws = data / "cn-ip-law"
    if laws.is_dir():
        e("loading the Chinese IP laws as built-in Q&A knowledge (articles encoded once) …", err=True)
        try:
            k = svc.qa.load_builtin_laws(laws)
            e(
                f"knowledge: {len(k['documents'])} laws and regulations "
                f"({sum(d['passages'] for d in k['documents']):,} passages, {sum(d['new'] for d in k['documents'])} new); "
                'ask e.g. ipai ask "实用新型专利能保护多少年？"'
            )
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
    e("")
    build_image_indexes(svc, data)


# folders of the shared data whose images the image search of the demo finds (marks: brand logos
# and car-logo thumbnails; designs: the drawing sheets of the US design patents, when the store has none)
MARK_DIRS = ("logos-svg", "car-logos-thumb")
DESIGN_DIRS = ("us-design-patents",)


def build_image_indexes(svc: Any, data: Path) -> dict[str, Any]:
    """Build the trademark and design image indexes (stored images and the demo's image folders) so
    that the image search page works out of the box; a kind with no images is said and skipped.
    Returns each kind's summary (or its error message)."""
    from ipai.faces.progress import index_progress

    e = typer.echo
    out: dict[str, Any] = {}
    for kind, names in (("mark", MARK_DIRS), ("design", DESIGN_DIRS)):
        dirs = [data / n for n in names if (data / n).is_dir()]
        e(
            f"building the {kind} image index ({', '.join(n for n in names if (data / n).is_dir()) or 'store'}) …",
            err=True,
        )
        try:
            with index_progress(svc.settings.progress, verb=f"image index ({kind}):") as prog:
                r = _index_kind(svc, kind, dirs, prog)
        except InputError as exc:
            out[kind] = exc.message
            e(f"images ({kind}): {exc.message}")
            continue
        out[kind] = r
        e(
            f"images ({kind}): {r['items']:,} indexed, {r['unreadable']:,} unreadable ({r['seconds']:.1f}s); "
            f"search them on the web page /images or with ipai images search"
        )
    return out


def _index_kind(svc: Any, kind: str, dirs: list[Path], prog: Any) -> dict[str, Any]:
    """Marks: the store's trademark images and the logo folders. Designs: the store's design drawings,
    or the design folders when the store has none (the same sheets must not be indexed twice)."""
    if kind == "mark":
        return dict(svc.images.index_images(kind, dirs=dirs, from_store=True, progress=prog))
    try:
        return dict(svc.images.index_images(kind, dirs=[], from_store=True, progress=prog))
    except InputError:
        if not dirs:
            raise
        return dict(svc.images.index_images(kind, dirs=dirs, from_store=False, progress=prog))
