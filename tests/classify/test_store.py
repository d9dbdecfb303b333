"""Training from the loaded corpus and classifying through the model file, API and CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ipai.classify import list_models, load_latest, train_from_store
from ipai.cli import main
from ipai.errors import InputError, NotFound
from tests.conftest import subset_csv


def test_train_from_store_then_classify(
    service, titles_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(NotFound, match="run `ipai classify train`"):
        load_latest(service.settings)
    with pytest.raises(InputError, match="no document in the store"):
        train_from_store(service.store, service.settings)
    service.corpus.ingest([subset_csv(titles_csv, tmp_path / "titles.csv", 600)])
    seen: list[tuple[str, int, int]] = []
    res = train_from_store(service.store, service.settings, "ipc", lambda s, d, t: seen.append((s, d, t)))
    assert res["store_documents"] == 600 and res["labelled_documents"] == 600
    assert Path(res["path"]).name == "classify-ipc-v1.npz" and res["labels"] > 40
    # the titles file has subclasses only: no main groups to suggest
    assert res["groups"] == 0 and res["group_suggestions"] is False
    assert ("reading documents", 600, 600) in seen and any(s.startswith("cv 3-fold") for s, _, _ in seen)

    model = load_latest(service.settings)
    assert model is load_latest(service.settings)  # cached while the file is unchanged
    assert model.meta["scheme"] == "ipc" and model.meta["documents"] <= 600
    zh, en = model.predict(["一种光伏组件的清洗装置", "Cleaning robot for photovoltaic solar panels"], top=3)
    assert "H02S" in {s.code for s in zh} and "H02S" in {s.code for s in en}
    assert zh[0].title  # subclass titles from the shared IPC scheme

    res2 = train_from_store(service.store, service.settings, "ipc")
    assert Path(res2["path"]).name == "classify-ipc-v2.npz"
    assert [Path(r["path"]).name for r in list_models(service.settings)][-1] == "classify-ipc-v2.npz"

    home = str(service.settings.home)
    assert main(["--home", home, "classify", "--json", "--top", "3", "一种光伏组件的清洗装置"]) == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    newest = load_latest(service.settings)
    assert out["lang"] == "zh" and out["suggestions"] == [
        s.to_json() for s in newest.predict(["一种光伏组件的清洗装置"], top=3)[0]
    ]
    assert {"code", "title", "confidence", "predicted", "groups"} <= set(out["suggestions"][0])
    assert out["model"]["scheme"] == "ipc" and out["model"]["format_version"] == 1
    txt = tmp_path / "q.txt"
    txt.write_text("A photovoltaic panel cleaning device", encoding="utf-8")
    assert main(["--home", home, "classify", "--file", str(txt), "--top", "2"]) == 0
    assert "H02S" in capsys.readouterr().out
    assert main(["--home", home, "classify", ""]) == 2
    assert "empty" in capsys.readouterr().err


def test_groups_are_offered_when_documents_carry_them(service, shared_data: Path) -> None:
    service.corpus.ingest([shared_data / "covid-patents-lens-biblio" / "Coronavirus-CPC-based-patents.jsonl"])
    res = train_from_store(service.store, service.settings, "cpc")
    assert res["group_suggestions"] and res["groups"] > 50
    row = load_latest(service.settings, "cpc").predict(
        ["Vaccine against coronavirus comprising an inactivated virus antigen and an adjuvant"], top=3
    )[0]
    assert row[0].code in {"A61K", "C12N"} and row[0].predicted
    assert all(g.code.startswith(row[0].code) and "/" in g.code for g in row[0].groups)
    assert row[0].groups and 0 < row[0].groups[0].score <= 1


def test_large_store_trains_on_a_class_preserving_sample(service, titles_csv: Path, tmp_path: Path) -> None:
    service.corpus.ingest([subset_csv(titles_csv, tmp_path / "titles.csv", 500)])
    # more than twice max_docs labelled documents: texts are fetched again for the sample only
    res = train_from_store(service.store, service.settings, "any", min_docs=1, max_docs=150)
    assert res["labelled_documents"] == 500 and res["sampled"] and res["trained_documents"] == 150
    model = load_latest(service.settings)
    every = {
        lab for doc in service.store.iter_documents() for lab in {c.subclass for c in doc.classifications}
    }
    # the sample keeps classes first (rarest first), so it covers far more than a random 150 rows would
    assert len(model.labels) > 0.5 * len(every)
