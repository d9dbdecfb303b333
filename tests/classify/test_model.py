"""The classifier on real Chinese patent titles: accuracy, confidences, persistence, bad input."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from ipai.classify import FORMAT_VERSION, Classifier
from ipai.classify.metrics import multilabel_metrics
from ipai.errors import FormatError, InputError


def test_accuracy_well_above_chance(model: Classifier, split: tuple[list, list]) -> None:
    train, test = split
    sugg = model.predict([r.text for r in test], top=5)
    truth = [set(r.labels) for r in test]
    m = multilabel_metrics(
        truth, [{s.code for s in row if s.predicted} for row in sugg], [[s.code for s in row] for row in sugg]
    )
    # measured: micro-F1 0.34, top-3 recall 0.40; chance (always the most frequent training
    # subclass, G06F): 0.07 and 0.11
    common = Counter(lab for r in train for lab in r.labels).most_common(3)
    chance = multilabel_metrics(truth, [{common[0][0]}] * len(test), [[c for c, _ in common]] * len(test))
    assert len(test) > 400 and len(model.labels) > 250
    assert m["micro_f1"] > 0.28 and m["micro_f1"] > 3 * chance["micro_f1"]
    assert m["top3_recall"] > 0.34 and m["top3_recall"] > 3 * chance["top3_recall"]


def test_suggestions_are_ranked_calibrated_and_decided(model: Classifier) -> None:
    rows = model.predict(["一种锂离子电池的热管理系统", "一种基于深度学习的图像识别方法"], top=5)
    for row in rows:
        assert len(row) == 5
        conf = [s.confidence for s in row]
        assert conf == sorted(conf, reverse=True) and all(0 <= c <= 1 for c in conf)
        assert row[0].predicted  # the best label is always in the decided set
        assert all(s.predicted == (i == 0 or s.confidence >= model.cal.threshold) for i, s in enumerate(row))
    assert "H01M" in {s.code for s in rows[0][:3]}
    assert {s.code for s in rows[1][:3]} & {"G06N", "G06V", "G06K", "G06T"}


def test_english_text_gets_classes_learned_from_chinese_titles(model: Classifier) -> None:
    row = model.predict(["Wastewater treatment tank with a sludge sedimentation device"], top=3)[0]
    assert "C02F" in {s.code for s in row}


def test_save_and_load_give_identical_predictions(
    model: Classifier, split: tuple[list, list], tmp_path: Path
) -> None:
    texts = [r.text for r in split[1][:50]]
    path = model.save(tmp_path / "m.npz")
    with np.load(path, allow_pickle=False) as f:  # plain arrays: no pickle in the file
        meta = json.loads(str(f["meta"]))
    assert meta["format_version"] == FORMAT_VERSION and meta["documents"] == len(split[0])
    again = Classifier.load(path)
    assert [[s.to_json() for s in row] for row in again.predict(texts)] == [
        [s.to_json() for s in row] for row in model.predict(texts)
    ]


def test_other_format_version_is_refused(model: Classifier, tmp_path: Path) -> None:
    path = model.save(tmp_path / "m.npz")
    with np.load(path, allow_pickle=False) as f:
        arrays = {k: f[k] for k in f.files}
    meta = json.loads(str(arrays["meta"]))
    arrays["meta"] = np.array(json.dumps({**meta, "format_version": FORMAT_VERSION + 1}))
    np.savez(tmp_path / "future.npz", **arrays)
    with pytest.raises(FormatError, match="format version 2.*run `ipai classify train`"):
        Classifier.load(tmp_path / "future.npz")
    (tmp_path / "junk.npz").write_bytes(b"not a model")
    with pytest.raises(FormatError, match="not a readable ipai classifier model"):
        Classifier.load(tmp_path / "junk.npz")


def test_bad_input(model: Classifier, tmp_path: Path) -> None:
    from ipai.text.inputs import read_text_file

    with pytest.raises(InputError, match="empty"):
        model.predict(["   "])
    with pytest.raises(InputError, match="limit is 100,000"):
        model.predict(["电池" * 50_001])
    with pytest.raises(InputError, match="must be a string"):
        model.predict([b"bytes"])  # type: ignore[list-item]
    with pytest.raises(InputError, match="top must be"):
        model.predict(["电池"], top=0)
    binary = tmp_path / "x.bin"
    binary.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(InputError, match="binary"):
        read_text_file(binary)
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes("一种污水处理装置".encode("gb18030"))
    assert read_text_file(gbk) == "一种污水处理装置"
    with pytest.raises(InputError, match="too little labelled text"):
        Classifier().fit(["一种电池"] * 3, [["H01M"]] * 3)
