"""``ipai report … --out`` creates the folders it writes into; a place it cannot write is one error
line and a non-zero exit, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from ipai.cli import main


def test_report_creates_its_output_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "reports" / "2025" / "drones.html"
    assert (
        main(
            [
                "--home",
                str(tmp_path / "home"),
                "--no-progress",
                "report",
                "landscape",
                "drone",
                "--out",
                str(out),
                "--lang",
                "zh",
            ]
        )
        == 0
    )
    assert out.is_file() and out.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    assert f'"html": "{out}"' in capsys.readouterr().out


@pytest.mark.parametrize("where", ["under-a-file", "a-folder"])
def test_report_cannot_write_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    out = blocker / "r.html" if where == "under-a-file" else tmp_path
    rc = main(
        ["--home", str(tmp_path / "home"), "--no-progress", "report", "landscape", "drone", "--out", str(out)]
    )
    err = capsys.readouterr().err
    assert rc == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in err
    assert ("cannot create the folder" if where == "under-a-file" else "is a folder") in lines[0]
