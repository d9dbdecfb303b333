"""The four search evaluations end to end on a tiny store built from real shared-data files:
each prints one JSON object with the documented keys (the values measure an engine under
rewrite, so only the measurement is asserted, not its quality)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from ipai.cli import main
from ipai.settings import load_settings
from tests.conftest import subset_csv


def _last_json(out: str) -> dict:
    return json.loads(out.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Iterator[Path]:
    """A home with 120 neural-network and 80 baseball US abstracts and 150 Chinese titles, indexed."""
    from ipai.service import Service

    src = tmp_path_factory.mktemp("evals-corpus")
    subset_csv(shared_data / "us-abstracts-patentsview/neural_network_patent_query.csv", src / "nn.csv", 120)
    subset_csv(shared_data / "us-abstracts-patentsview/baseball_patent_query.csv", src / "baseball.csv", 80)
    subset_csv(shared_data / "cn-patent-titles-ipc/titles_ipc.csv", src / "titles.csv", 150)
    h = tmp_path_factory.mktemp("evals-home")
    svc = Service(load_settings(home=h, progress=False))
    svc.corpus.ingest([src])
    svc.corpus.index()
    svc.close()
    yield h


def _tsv(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_topical(home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    q = _tsv(
        tmp_path / "t.tsv",
        [
            "query\tlang\ton_topic\tsplit\tnote",
            "神经网络\ten\tneural|neuron\tdev\tzh->en",
            "baseball\t\tbaseball|\\bbat\\b\ttest\t",
            "neural network\tzh\t神经网络\ttest\ten->zh",
        ],
    )
    assert main(["eval", "topical", str(q), "--home", str(home), "--top", "5"]) == 0
    res = _last_json(capsys.readouterr().out)
    assert res["eval"] == "topical" and res["k"] == 5 and res["queries"] == 3 and res["documents"] == 350
    for key in ("p@5", "precision_returned", "empty_results", "errors", "attainable@5", "p@5_of_attainable"):
        assert key in res
    assert 0 <= res["p@5"] <= 1
    assert set(res["by_query_lang"]) == {"zh", "en"} and set(res["by_filter_lang"]) == {"en", "none", "zh"}
    assert set(res["by_split"]) == {"dev", "test"} and res["by_split"]["test"]["queries"] == 2
    row = res["rows"][0]
    assert row["query"] == "神经网络" and row["filters"] == "lang=en" and row["query_lang"] == "zh"
    assert row["returned"] <= 5 and row["on_topic"] == round(row["p@5"] * 5)
    assert row["relevant_in_store"] > 0  # the neural-network abstracts are there
    assert main(["eval", "topical", str(q), "--home", str(home), "--split", "dev", "--no-count"]) == 0
    dev = _last_json(capsys.readouterr().out)
    assert dev["queries"] == 1 and dev["rows"][0]["relevant_in_store"] is None


def test_filters(home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    q = _tsv(
        tmp_path / "f.tsv",
        [
            "query\tfilters\texpect",
            "xyzzyqq\t\tnone",
            "xyzzyqq\tcc=US\tnone",
            "鑫淼焱垚\tlang=zh\tnone",
            "neural network\tcc=US;year_from=1990\tsome",
            "棒球\tlang=en\tsome",
        ],
    )
    assert main(["eval", "filters", str(q), "--home", str(home)]) == 0
    res = _last_json(capsys.readouterr().out)
    for key in (
        "nonsense_with_results",
        "nonsense_reported_matches",
        "filter_violations",
        "queries",
        "rows",
        "total_over_filter_matches",
        "real_without_results",
        "passed",
        "violations_by_filter",
    ):
        assert key in res
    assert res["queries"] == 5 and res["nonsense"] == 3 and res["real"] == 2
    assert res["rows"][1]["filter_matches"] == 200 and res["rows"][2]["filter_matches"] == 150
    assert res["hits_checked"] == sum(r["returned"] for r in res["rows"])
    assert res["filter_violations"] == sum(len(r["violations"]) for r in res["rows"])


def test_multi_concept(home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    q = _tsv(
        tmp_path / "m.tsv",
        [
            "query\tfilters\tconcepts\tsplit",
            "baseball bat\tcc=US\tbaseball;\\bbat(s|ting)?\\b\tdev",
            "神经网络 语音识别\tlang=en\tneural;speech|voice;recogni\ttest",
        ],
    )
    assert main(["eval", "multi-concept", str(q), "--home", str(home)]) == 0
    res = _last_json(capsys.readouterr().out)
    assert res["eval"] == "multi-concept" and res["queries"] == 2
    for key in ("p@10", "p@5", "partial@10", "mrr@10", "precision_returned", "attainable@10", "by_concepts"):
        assert key in res
    assert set(res["by_concepts"]) == {"2", "3"}
    assert [len(r["concept_coverage"]) for r in res["rows"]] == [2, 3]


def test_bad_query_file_is_refused(home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    q = _tsv(tmp_path / "bad.tsv", ["query\tlang\ton_topic", "drone\ten\tdrone("])
    assert main(["eval", "topical", str(q), "--home", str(home)]) == 2
    assert "bad.tsv:2: bad regular expression" in capsys.readouterr().err
    q = _tsv(tmp_path / "bad2.tsv", ["query\tfilters\texpect", "drone\tlang=xx\tsome"])
    assert main(["eval", "filters", str(q), "--home", str(home)]) == 2
    assert "bad2.tsv:2" in capsys.readouterr().err


def test_same_invention(shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    grants = sorted((shared_data / "epo-xml-samples/grant").glob("*-B1.xml"))[:3]
    application = shared_data / "epo-xml-samples/application/v1-2-A2.xml"  # German claims only: a distractor
    distractors = subset_csv(shared_data / "us-claims-cpc/df_claim_cpc_train.csv", tmp_path / "d.csv", 30)
    args = [
        "--home",
        str(tmp_path / "unused"),
        "eval",
        "same-invention",
        *map(str, grants),
        str(application),
        "--distractors",
        str(distractors),
        "--limit",
        "1",
        "--modes",
        "hybrid,keyword",
    ]
    assert main(args) == 0
    res = _last_json(capsys.readouterr().out)
    assert res["eval"] == "same-invention" and res["inventions"] == 1 and len(res["documents"]) == 1
    # the two other grants are left out by --limit; the German application is a distractor
    assert res["single_language_distractors"] == 1 and res["candidates"] == {"en": 31, "de": 2, "fr": 1}
    assert res["store_documents"] == 3 + 1 + 30
    for mode in ("hybrid", "keyword"):
        assert res[mode]["overall"]["queries"] == 6
        assert set(res[mode]["pairs"]) == {"en->de", "en->fr", "de->en", "de->fr", "fr->en", "fr->de"}
        for pair in res[mode]["pairs"].values():
            assert pair["queries"] == 1
            assert {"acc@1", "mrr", "recall@10", "candidates", "random_acc@1"} <= set(pair)
    assert "semantic" not in res
    assert not (tmp_path / "unused").exists()  # the configured home is not touched
