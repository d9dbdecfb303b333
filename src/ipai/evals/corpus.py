"""The evaluation corpus of ``ipai eval patentability`` and ``ipai eval claim-charts``: real
documents from the shared data, loaded into a temporary (or kept) home.

- the EPO XML samples, the granted ones kept in the language of their description only (an EP B
  publication carries its claims in English, German and French; a translation case must find the
  document through its original-language text, not through the translation printed beside it);
- the USPTO full-text samples (XML 2004-2014, SGML, Greenbook, pre-grant XML);
- the 57 Chinese abstracts with CPC, the US claims with CPC, the PatentsView abstracts (neural
  networks, baseball) and the 7,798 Chinese titles with IPC, as competing documents.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ipai.errors import InputError
from ipai.settings import Settings, load_settings

USPTO_DIRS = ("xml2004", "xml2006", "xml2014", "sgml", "greenbook", "pap", "xmlApp2004")
FILES = (
    "cn-patents-abstract-cpc/sample_train.csv",
    "cn-patents-abstract-cpc/sample_val.csv",
    "cn-patents-abstract-cpc/sample_test.csv",
    "us-claims-cpc/df_claim_cpc_train.csv",
    "us-abstracts-patentsview/neural_network_patent_query.csv",
    "us-abstracts-patentsview/baseball_patent_query.csv",
    "cn-patent-titles-ipc/titles_ipc.csv",
)


def records(path: Path) -> list[Any]:
    """The documents one file holds, read by the reader format detection picks."""
    from ipai.ingest.base import Source
    from ipai.ingest.registry import detect

    reader = detect(Source(path, None, explicit=True))
    if reader is None:
        raise InputError(
            f"no reader recognises {path}", errors=[{"field": "file", "message": "unknown format"}]
        )
    out = []
    for item in reader.read(Source(path, None, explicit=True)):
        rec = getattr(item, "record", item)
        if rec is not None and hasattr(rec, "claims"):
            out.append(rec)
    return out


def monolingual(doc: Any) -> Any:
    """An EP grant with only its description's language kept (claims, title, abstract)."""
    if doc.doc_type != "patent" or not doc.description:
        return doc
    lang = doc.description.lang
    doc.claims = [c for c in doc.claims if c.lang == lang]
    doc.titles = {k: v for k, v in doc.titles.items() if k == lang} or doc.titles
    doc.abstracts = {k: v for k, v in doc.abstracts.items() if k == lang}
    return doc


def prepare(data: Path, target: Path, files: list[Path] | None = None) -> Path:
    """Copy (or convert) the corpus files from the shared data folder ``data`` into ``target``;
    ``files`` (files or folders) replace the default list (their EP grants kept monolingual too)."""
    from ipai.model import dump_record

    if files:
        target.mkdir(parents=True, exist_ok=True)
        paths = [q for f in files for q in (sorted(Path(f).rglob("*")) if Path(f).is_dir() else [Path(f)])]
        with (target / "given-epo.jsonl").open("w", encoding="utf-8") as out:
            for q in paths:
                if not q.is_file():
                    raise InputError(
                        f"corpus file not found: {q}", errors=[{"field": "corpus", "message": "not found"}]
                    )
                if q.suffix.lower() == ".xml" and b"ep-patent-document" in q.read_bytes()[:4000]:
                    for doc in records(q):
                        out.write(dump_record(monolingual(doc)) + "\n")
                else:
                    shutil.copy(q, target / f"{len(list(target.iterdir()))}-{q.name}")
        return target
    if not (data / "epo-xml-samples").is_dir():
        raise InputError(
            f"the shared data folder {data} has no epo-xml-samples (set IPAI_DATA_DIR)",
            errors=[{"field": "data_dir", "message": "not found"}],
        )
    target.mkdir(parents=True, exist_ok=True)
    with (target / "epo-monolingual.jsonl").open("w", encoding="utf-8") as out:
        for p in sorted((data / "epo-xml-samples").rglob("*.xml")):
            for doc in records(p):
                out.write(dump_record(monolingual(doc)) + "\n")
    for sub in USPTO_DIRS:
        if (data / "uspto-xml-samples" / sub).is_dir():
            shutil.copytree(data / "uspto-xml-samples" / sub, target / sub, dirs_exist_ok=True)
    for rel in FILES:
        if (data / rel).is_file():
            shutil.copy(data / rel, target / rel.replace("/", "__"))
    return target


@contextmanager
def corpus_service(
    settings: Settings, workdir: Path | None = None, files: list[Path] | None = None
) -> Iterator[Any]:
    """A service on the evaluation corpus: built in a temporary home, or in ``workdir`` (kept, and
    reused when it is already there). e5 vectors go to the configured cache, so a second run
    encodes nothing again."""
    from ipai.service import Service

    with tempfile.TemporaryDirectory() as td:
        root = Path(workdir) if workdir else Path(td)
        home = root / "home"
        fresh = not (home / "index").exists()
        svc = Service(
            load_settings(
                home=home,
                progress=False,
                search_encoder=settings.search_encoder,
                encoder_cache=settings.encoder_cache_path,
                data_dir=settings.shared_data,
            )
        )
        try:
            if fresh:
                svc.corpus.ingest([prepare(settings.shared_data, root / "files", files)])
                svc.corpus.index()
            print(f"evaluation corpus: {svc.store.count_documents():,} documents", file=sys.stderr)
            yield svc
        finally:
            svc.close()
