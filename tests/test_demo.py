"""``ipai demo`` runs end to end on a real data folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from ipai.cli import main


def test_demo_on_real_folder(shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--home", str(tmp_path), "--no-progress", "demo", "--no-serve", "--data", str(shared_data / "epo-xml-samples")]) == 0
    out = capsys.readouterr().out
    assert "corpus: 33 patent documents" in out
    assert "EP 3404678 B1" in out and "HIGH VOLTAGE ASSEMBLY" in out
    assert "index: 33 documents searchable" in out
    assert "search 'neural network image recognition'" in out


def test_demo_needs_the_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--home", str(tmp_path), "demo", "--data", str(tmp_path / "missing")]) == 2
    assert "real-data folder not found" in capsys.readouterr().err
