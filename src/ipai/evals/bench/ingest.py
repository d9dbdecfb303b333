"""``ipai bench ingest``: ingest speed and memory on the real samples, scaled up by repetition.

Each real sample document (USPTO full-text XML grants, applications and designs; CNIPA full-text
XML; PatentsView CSV rows) is repeated with a rewritten publication number so every copy is a
distinct document, written in a bulk layout (concatenated XML documents; one CSV). CNIPA XML is
also measured as a zip of one XML per document, as CNIPA packages its full texts: there every
document is its own file, with its own checkpoint transaction. Each run
is a fresh subprocess with its own store, so peak memory (max RSS) is per run; running two
sizes shows whether memory stays flat as the file grows.
"""

from __future__ import annotations

import csv
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lxml import etree

_XML_SAMPLES = (
    "uspto-xml-samples/xml2004",
    "uspto-xml-samples/xml2006",
    "uspto-xml-samples/xml2014",
    "uspto-xml-samples/xmlApp2004",
    "us-design-patents",
)
_CSV_SAMPLES = (
    "us-abstracts-patentsview/neural_network_patent_query.csv",
    "us-abstracts-patentsview/baseball_patent_query.csv",
)


def _xml_docs(data: Path) -> list[bytes]:
    """The real v4 XML sample documents (bytes, declaration included)."""
    docs = []
    for sub in _XML_SAMPLES:
        for f in sorted((data / sub).rglob("*")):
            if f.suffix.lower() == ".xml" and f.is_file():
                docs.append(f.read_bytes())
    return docs


def build_uspto_bulk(data: Path, out: Path, copies: int) -> int:
    """Write a concatenated USPTO bulk file holding ``copies`` renumbered copies of each sample."""
    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True)
    samples = []
    for raw in _xml_docs(data):
        header, _, _ = raw.partition(b"<us-patent")
        root = etree.fromstring(raw, parser)
        samples.append((header, root))
    n = 0
    with open(out, "wb") as fh:
        for c in range(copies):
            for i, (header, root) in enumerate(samples):
                num = root.find("./*/publication-reference/document-id/doc-number")
                if num is None:
                    continue
                orig = num.text or ""
                prefix = "D" if orig.startswith("D") else ""
                num.text = f"{prefix}9{c:05d}{i:02d}" if len(orig) <= 9 else f"2099{c:05d}{i:02d}"
                fh.write(header + etree.tostring(root) + b"\n")
                num.text = orig
                n += 1
    return n


_CNIPA_SAMPLES = "office-xml-samples/cnipa-xml"
_CN_NUMBER = re.compile(rb'docNumber="(\d+)"|<doc-number>(\d{9})</doc-number>')


def _cnipa_copies(data: Path, copies: int) -> Iterator[tuple[str, bytes]]:
    """``(member name, document)`` for ``copies`` renumbered copies of each real CNIPA XML sample."""
    samples = []
    for f in sorted((data / _CNIPA_SAMPLES).iterdir()):
        raw = f.read_bytes()
        m = _CN_NUMBER.search(raw)
        if m:
            samples.append((raw, m.group(1) or m.group(2)))
    for c in range(copies):
        for i, (raw, num) in enumerate(samples):
            new = f"9{c:06d}{i:02d}".encode()[: len(num)].rjust(len(num), b"9")
            yield f"CN{new.decode()}A/CN{new.decode()}A.XML", raw.replace(num, new)


def build_cnipa_bulk(data: Path, out: Path, copies: int) -> int:
    """Write the CNIPA XML samples, renumbered ``copies`` times, as one file of concatenated documents."""
    n = 0
    with open(out, "wb") as fh:
        for _, doc in _cnipa_copies(data, copies):
            fh.write(doc + b"\n")
            n += 1
    return n


def build_cnipa_zip(data: Path, out: Path, copies: int) -> int:
    """Write a zip of the renumbered CNIPA XML samples, one document per member (the layout of
    CNIPA's full-text packages: every document is its own small file)."""
    n = 0
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name, doc in _cnipa_copies(data, copies):
            zf.writestr(name, doc)
            n += 1
    return n


def build_csv(data: Path, out: Path, copies: int) -> int:
    """Write one PatentsView CSV with ``copies`` renumbered copies of every real row."""
    rows: list[dict[str, str]] = []
    for rel in _CSV_SAMPLES:
        with open(data / rel, encoding="utf-8", newline="") as fh:
            rows.extend(csv.DictReader(fh))
    n = 0
    with open(out, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["patent_abstract", "patent_date", "patent_number", "patent_title"])
        w.writeheader()
        for c in range(copies):
            for i, r in enumerate(rows):
                w.writerow(r | {"patent_number": str(20_000_000 + c * 100_000 + i)})
                n += 1
    return n


def _worker(path: str, home: str) -> dict[str, Any]:
    """Ingest one file into a fresh store (runs in its own process). The store is created and
    migrated before the clock starts: the figures are the ingest's, not the set-up's."""
    from ipai.service import Service
    from ipai.settings import load_settings

    svc = Service(load_settings(home=home, progress=False))
    svc.store  # noqa: B018  (open and migrate now)
    r0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    s = svc.corpus.ingest([Path(path)])
    dt = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    return {
        "records": s.loaded + s.updated + s.unchanged,
        "rejected": s.rejected,
        "seconds": round(dt, 3),
        "cpu_seconds": round(cpu, 3),
        "peak_rss_mb": round(r1.ru_maxrss / 1024, 1),
    }


def _run(path: Path, tmp: Path, tag: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-m", "ipai.evals.bench.ingest", str(path), str(tmp / f"home-{tag}")],
        capture_output=True,
        text=True,
        check=True,
    )
    res = json.loads(out.stdout.strip().splitlines()[-1])
    res["records_per_s"] = round(res["records"] / res["seconds"], 1) if res["seconds"] else None
    res["records_per_cpu_s"] = round(res["records"] / res["cpu_seconds"], 1) if res["cpu_seconds"] else None
    res["file_mb"] = round(path.stat().st_size / 1e6, 1)
    return res


def bench_ingest(
    data: Path,
    *,
    xml_copies: int = 40,
    csv_copies: int = 4,
    cnipa_copies: int = 600,
    workdir: Path | None = None,
) -> dict[str, Any]:
    """Measure ingest (records/s, records per CPU-second, peak RSS) at two file sizes each: USPTO
    XML and CNIPA XML bulk files, CNIPA XML as a zip of one document per member, PatentsView CSV."""
    runs_of = (
        ("uspto_xml", build_uspto_bulk, xml_copies, "xml"),
        ("cnipa_xml", build_cnipa_bulk, cnipa_copies, "xml"),
        ("cnipa_zip", build_cnipa_zip, max(1, cnipa_copies // 4), "zip"),
        ("csv", build_csv, csv_copies, "csv"),
    )
    with tempfile.TemporaryDirectory(dir=workdir) as td:
        tmp = Path(td)
        result: dict[str, Any] = {"machine": {"cpus": _cpus(), "python": sys.version.split()[0]}}
        for label, builder, copies, ext in runs_of:
            runs = {}
            for size, k in (("small", max(1, copies // 4)), ("large", copies)):
                f = tmp / f"{label}-{size}.{ext}"
                builder(data, f, k)
                runs[size] = _run(f, tmp, f"{label}-{size}")
                f.unlink()
            runs["memory_growth"] = round(runs["large"]["peak_rss_mb"] / runs["small"]["peak_rss_mb"], 2)
            result[label] = runs
        result["targets"] = {
            "uspto_xml_docs_per_core_s": 300,
            "cnipa_xml_docs_per_core_s": 300,
            "csv_records_per_s": 5000,
        }
        result["ok"] = (
            result["uspto_xml"]["large"]["records_per_cpu_s"] >= 300
            and result["cnipa_xml"]["large"]["records_per_cpu_s"] >= 300
            and result["csv"]["large"]["records_per_s"] >= 5000
        )
        return result


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


if __name__ == "__main__":  # the per-run worker process
    print(json.dumps(_worker(sys.argv[1], sys.argv[2])))
