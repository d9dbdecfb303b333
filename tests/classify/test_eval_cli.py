"""``ipai eval ipc`` end to end on small real subsets of the Chinese titles file."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ipai.cli import main
from tests.conftest import subset_csv

KEYS = {"micro_f1", "macro_f1", "exact_match", "top3_recall", "counts", "baseline", "timing_s", "model"}
DOC = Path(__file__).resolve().parents[2] / "docs" / "classify.md"


def _documented_fields() -> set[str]:
    """Field names in the first cell of the docs' eval output table."""
    table = DOC.read_text(encoding="utf-8").split("| field | definition |", 1)[1].split("\n\n", 1)[0]
    return {
        name for line in table.splitlines()[2:] for name in re.findall(r"`([a-z0-9_]+)`", line.split("|")[1])
    }


def _last_json(out: str) -> dict:
    return json.loads(out.strip().splitlines()[-1])


def test_eval_ipc_on_folds_of_one_file(
    titles_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    small = subset_csv(
        titles_csv,
        tmp_path / "small.csv",
        1200,
        broken={7: "CN000X,一种坏行", 40: "CN111A,一种装置,NOTACLASS,2"},
    )
    rc = main(
        [
            "--home",
            str(tmp_path / "home"),
            "eval",
            "ipc",
            "--train",
            str(small),
            "--test",
            str(small),
            "--train-folds",
            "1,2,3",
            "--test-folds",
            "4",
        ]
    )
    out = capsys.readouterr()
    assert rc == 0, out.err
    res = _last_json(out.out)
    assert set(res) >= KEYS and res["task"] == "ipc-subclass"
    assert _documented_fields() == set(res) - {"task", "files", "skipped"}  # docs/classify.md is complete
    assert res["counts"]["train_rows"] + res["counts"]["test_rows"] == 1200
    assert res["counts"]["skipped_rows"]["train"] == 2
    # the broken lines are the 7th and 41st data lines: file rows 8 and 42 (header is row 1)
    assert [s["row"] for s in res["skipped"]["train"]] == [8, 42]
    assert "row 8: 2 cells, the header has 4" in out.err and "row 42: not an IPC/CPC subclass" in out.err
    assert res["baseline"]["method"].startswith("tfidf-linearsvc")
    assert res["micro_f1"] > res["baseline"]["micro_f1"] and 0 < res["top3_recall"] <= 1
    assert res["model"]["cv_folds"] == 3 and len(res["model"]["cv_trials"]) == 9


def test_eval_ipc_on_two_files(titles_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    train = subset_csv(titles_csv, tmp_path / "train.csv", 900)
    lines = titles_csv.read_text(encoding="utf-8").splitlines()
    test = tmp_path / "test.csv"
    test.write_text("\n".join([lines[0], *lines[901:1101]]) + "\n", encoding="utf-8")
    rc = main(["--no-progress", "eval", "ipc", "--train", str(train), "--test", str(test), "--no-baseline"])
    res = _last_json(capsys.readouterr().out)
    assert rc == 0 and res["counts"]["train_rows"] == 900 and res["counts"]["test_rows"] == 200
    assert "baseline" not in res and res["micro_f1"] > 0.2


def test_eval_ipc_refuses_an_unsplit_single_file(
    titles_csv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rc = main(["eval", "ipc", "--train", str(titles_csv), "--test", str(titles_csv)])
    assert rc == 2 and "--train-folds and --test-folds" in capsys.readouterr().err
    rc = main(
        [
            "eval",
            "ipc",
            "--train",
            str(titles_csv),
            "--test",
            str(titles_csv),
            "--train-folds",
            "1,2",
            "--test-folds",
            "2",
        ]
    )
    assert rc == 2 and "overlap" in capsys.readouterr().err


def test_reader_normalises_symbols_and_survives_odd_text(titles_csv: Path, tmp_path: Path) -> None:
    from ipai.evals.ipc import read_labelled_csv

    src = subset_csv(titles_csv, tmp_path / "s.csv", 5)
    lines = src.read_text(encoding="utf-8").splitlines()
    lines[1] = 'CN114081026A,"一种水电站\x0b高压输电线路驱鸟保护装置","a01m|G06F 17/30|H02G0001020000",1'
    (tmp_path / "gbk.csv").write_bytes("\n".join(lines).encode("gb18030"))
    rows, bad = read_labelled_csv(tmp_path / "gbk.csv")
    assert not bad and len(rows) == 5
    assert (
        rows[0].labels == ["A01M", "G06F", "H02G"] and rows[0].text == "一种水电站 高压输电线路驱鸟保护装置"
    )
    assert rows[1].labels == ["B60S", "C02F"] and rows[1].fold == 1  # the real second row, untouched
