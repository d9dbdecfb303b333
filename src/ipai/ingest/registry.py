"""Reader discovery, format detection and input expansion (folders, zips)."""

from __future__ import annotations

import importlib
import pkgutil
import zipfile
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from ipai.ingest.base import CHAIN, Archive, Reader, Source
from ipai.ingest.limits import ZipLimits
from ipai.ingest.messages import say

AUX_SUFFIXES = {
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".tif",
    ".tiff",
    ".bmp",
    ".svg",
    ".webp",
    ".pdf",
    ".md",
    ".dtd",
    ".ent",
    ".xsl",
    ".xsd",
    ".css",
    ".js",
    ".html",
    ".htm",
    ".mako",
    ".py",
    ".ico",
}


@lru_cache(maxsize=1)
def readers() -> tuple[Reader, ...]:
    """Every reader in ``ipai.ingest.readers`` (one module per source format)."""
    from ipai.ingest import readers as pkg

    for mod in pkgutil.iter_modules(pkg.__path__):
        importlib.import_module(f"{pkg.__name__}.{mod.name}")
    found: list[Reader] = []
    seen: set[str] = set()
    stack = list(Reader.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if cls.name and cls.name not in seen and not getattr(cls, "__abstractmethods__", None):
            seen.add(cls.name)
            found.append(cls())
    return tuple(sorted(found, key=lambda r: r.name))


def reader_by_name(name: str) -> Reader | None:
    """The reader registered under a format name."""
    return next((r for r in readers() if r.name == name), None)


def detect(source: Source) -> Reader | None:
    """The reader most confident it can read the source, or ``None``."""
    best: tuple[int, str, Reader | None] = (0, "", None)
    for r in readers():
        score = r.sniff(source)
        if score > best[0]:
            best = (score, r.name, r)
            if score >= 100:  # nothing scores higher, and a tie goes to the first by name: done
                break
    return best[2]


def expand(paths: list[Path], limits: ZipLimits | None = None) -> Iterator[Source]:
    """Sources under the given paths: files, folders (recursively, sorted) and zip members. A zip
    is opened once for all its members; one over ``limits`` is one source carrying the refusal."""
    for p in paths:
        if p.is_dir():
            for f in sorted(x for x in p.rglob("*") if x.is_file()):
                rel = f.relative_to(p).parts
                if any(part.startswith(".") or part == "__MACOSX" for part in rel):
                    continue
                yield from _file_sources(f, explicit=False, limits=limits or ZipLimits())
        else:
            yield from _file_sources(p, explicit=True, limits=limits or ZipLimits())


MAX_ZIP_DEPTH = 8  # zips inside zips deeper than this are not opened (a zip quine never ends)


def _file_sources(f: Path, *, explicit: bool, limits: ZipLimits) -> Iterator[Source]:
    """One source per file, or one per member of a zip (all sharing one open archive); a zip
    inside the zip is opened in turn, at any depth up to :data:`MAX_ZIP_DEPTH`."""
    if not (f.suffix.lower() == ".zip" and f.exists() and zipfile.is_zipfile(f)):
        yield Source(f, explicit=explicit)
        return
    yield from _zip_sources(f, Archive(f), limits, 0)


def _zip_sources(f: Path, archive: Archive, limits: ZipLimits, depth: int) -> Iterator[Source]:
    """The members of one (possibly nested) zip; one over ``limits`` is one refused source."""
    here = archive.chain.rstrip(CHAIN) or None  # the nested zip itself, as a member name
    try:
        try:
            infos = archive.zip().infolist()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            reason = say("zip.nested_unreadable", detail=exc) if here else f"unreadable zip: {exc}"
            yield Source(f, here, explicit=True, refused=reason)
            return
        refused = limits.check(infos)
        if refused:
            yield Source(f, here, explicit=True, refused=refused)
            return
        for m in sorted(i.filename for i in infos if not i.is_dir()):
            parts = Path(m).parts
            if "__MACOSX" in parts or Path(m).name.startswith("._"):
                continue
            if m.lower().endswith(".zip") and depth < MAX_ZIP_DEPTH:
                yield from _zip_sources(f, Archive(f, parent=archive, inner=m), limits, depth + 1)
                continue
            # members are found, not named: unknown ones are skipped
            yield Source(f, archive.chain + m, explicit=False, archive=archive)
    finally:
        archive.close()


def is_auxiliary(source: Source) -> bool:
    """Images, documentation and schema files that are not records (skipped quietly)."""
    name = source.basename.lower()
    if name.endswith((".gz", ".gzip")):
        name = name.rsplit(".", 1)[0]
    return Path(name).suffix.lower() in AUX_SUFFIXES
