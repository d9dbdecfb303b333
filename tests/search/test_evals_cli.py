"""The eval and bench commands run end to end on small real subsets and print one JSON object."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from ipai.cli import main

pytestmark = pytest.mark.slow  # scheduled first on the workers (tests/conftest.py)


def _rows(path: Path) -> list[list[str]]:
    csv.field_size_limit(1 << 30)
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def _last_json(out: str) -> dict:
    return json.loads(out.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def claims(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    rows = _rows(shared_data / "us-claims-cpc/df_claim_cpc_train.csv")
    d = tmp_path_factory.mktemp("claims")
    return _write(d / "corpus.csv", rows[0], rows[41:341]), _write(d / "queries.csv", rows[0], rows[1:41])


def test_eval_cpc_retrieval(
    claims: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus, queries = claims
    assert (
        main(
            [
                "--home",
                str(tmp_path),
                "eval",
                "cpc-retrieval",
                "--corpus",
                str(corpus),
                "--queries",
                str(queries),
            ]
        )
        == 0
    )
    res = _last_json(capsys.readouterr().out)
    assert res["corpus"] == 300 and res["queries"] == 40
    for k in ("ipai_hybrid", "ipai_keyword", "ipai_semantic", "lucene_bm25"):
        assert 0 < res[k]["MAP"] <= 1 and res[k]["queries"] > 30
    assert res["hybrid_vs_lucene_map"] > 1.0  # a small sample: the full-file figure is in the README


def test_eval_cross_lingual(
    claims: tuple[Path, Path], shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = _rows(shared_data / "cn-patent-titles-ipc/titles_ipc.csv")
    q = _write(tmp_path / "titles.csv", rows[0], [r for r in rows[1:] if r[3] == "2"][:80])
    assert (
        main(
            [
                "--home",
                str(tmp_path),
                "eval",
                "cross-lingual",
                "--queries",
                str(q),
                "--corpus",
                str(claims[0]),
            ]
        )
        == 0
    )
    res = _last_json(capsys.readouterr().out)
    assert res["queries"] == 80 and res["random_MAP"] > 0
    assert res["hybrid_vs_random_map"] > 1.5


def test_eval_pppm(shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = _rows(shared_data / "uspto-pppm/train.csv")
    anchors = sorted({r[1] for r in rows[1:]})[:15]
    pairs = _write(tmp_path / "pairs.csv", rows[0], [r for r in rows[1:] if r[1] in anchors])
    assert main(["--home", str(tmp_path), "eval", "pppm", "--pairs", str(pairs)]) == 0
    res = _last_json(capsys.readouterr().out)
    assert res["mode"] == "anchor-disjoint" and res["pearson"] > res["zero_shot_pearson"]


def test_bench_search_small(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # the term space (e5 over the vocabulary) and the e5 rate are measured by the real run; here only the
    # shape of the report on a small build (they cost a minute of encoding on 2 cores)
    monkeypatch.setenv("IPAI_SEARCH_TERMSPACE", "false")
    assert (
        main(
            [
                "--home",
                str(tmp_path),
                "bench",
                "search",
                "--docs",
                "400",
                "--no-lucene",
                "--queries",
                "6",
                "--e5-sample",
                "4",
            ]
        )
        == 0
    )
    res = _last_json(capsys.readouterr().out)
    assert res["docs"] == 400 and all(0 < n <= 6 for n in res["queries_per_kind"].values())
    assert res["build"]["termspace_seconds"] is None and res["e5_encode"]["passages"] == 4
    assert set(res["ipai"]) >= {
        "keyword",
        "semantic",
        "hybrid",
    }  # latencies are the bench's figures, not asserted
