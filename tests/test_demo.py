"""``ipai demo`` runs end to end on a real data folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from ipai.cli import main


def test_demo_on_real_folder(shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(
            [
                "--home",
                str(tmp_path),
                "--no-progress",
                "demo",
                "--no-serve",
                "--data",
                str(shared_data / "epo-xml-samples"),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "corpus: 33 patent documents" in out
    assert "EP 3404678 B1" in out and "HIGH VOLTAGE ASSEMBLY" in out
    assert "index: 33 documents searchable" in out
    assert "search 'neural network image recognition'" in out


def test_demo_needs_the_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--home", str(tmp_path), "demo", "--data", str(tmp_path / "missing")]) == 2
    assert "real-data folder not found" in capsys.readouterr().err


def test_demo_builds_the_image_indexes(
    shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The image search works after ``ipai demo``: brand logos become the mark index, the design
    patents' drawing sheets (copied into the store at ingest) the design index."""
    import json
    import shutil

    data = tmp_path / "data"
    logos = sorted((shared_data / "logos-svg" / "logos").glob("*.svg"))[:12]
    (data / "logos-svg" / "logos").mkdir(parents=True)
    for p in logos:
        shutil.copy(p, data / "logos-svg" / "logos" / p.name)
    shutil.copy(shared_data / "logos-svg" / "logos.json", data / "logos-svg" / "logos.json")
    shutil.copytree(
        shared_data / "us-design-patents" / "USD0908314-20210126",
        data / "us-design-patents" / "USD0908314-20210126",
    )
    home = tmp_path / "home"
    assert main(["--home", str(home), "--no-progress", "demo", "--no-serve", "--data", str(data)]) == 0
    out = capsys.readouterr().out
    assert "images (mark): 12 indexed, 0 unreadable" in out
    sheets = len(list((data / "us-design-patents" / "USD0908314-20210126").glob("*.TIF")))
    assert f"images (design): {sheets} indexed, 0 unreadable" in out
    meta = json.loads((home / "images" / "design" / "meta.json").read_text(encoding="utf-8"))
    assert meta["items"] == sheets
    # the mark index names each logo by its brand (logos.json), not by its file name
    assert main(["--home", str(home), "images", "search", str(logos[0]), "--top", "1"]) == 0
    hit = json.loads(capsys.readouterr().out)["hits"][0]
    names = {
        f: b["name"]
        for b in json.loads((shared_data / "logos-svg" / "logos.json").read_text(encoding="utf-8"))
        for f in b.get("files") or []
    }
    assert hit["label"] == names[logos[0].name] and hit["score"] > 0.99
