"""The layer contract (``[tool.importlinter]`` in pyproject.toml, run by ``./run check``) holds on
the tree and catches a violation: a copy of the package where a scenario imports ``ipai.api``
fails ``lint-imports``."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
LINT = Path(sys.executable).with_name("lint-imports")

pytestmark = pytest.mark.skipif(
    not LINT.exists(), reason="lint-imports is not installed (pip install 'ipai[check]')"
)


def lint(root: Path) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` with the repository's contracts on the package under ``root/src``."""
    env = {**os.environ, "PYTHONPATH": str(root / "src")}
    return subprocess.run(
        [str(LINT), "--config", str(REPO / "pyproject.toml"), "--no-cache"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def copy_package(target: Path) -> Path:
    """The Python files of ``src/ipai`` copied under ``target/src`` (what import-linter reads)."""
    src = REPO / "src" / "ipai"
    for path in src.rglob("*.py"):
        dest = target / "src" / "ipai" / path.relative_to(src)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, dest)
    return target


def test_the_tree_keeps_the_layers() -> None:
    out = lint(REPO)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "0 broken" in out.stdout


def test_a_scenario_importing_the_api_breaks_the_contract(tmp_path: Path) -> None:
    root = copy_package(tmp_path)
    probe = root / "src" / "ipai" / "assess" / "layer_probe.py"
    probe.write_text('"""A deliberate violation."""\n\nfrom ipai.api import create_app  # noqa: F401\n')
    out = lint(root)
    assert out.returncode != 0
    assert "BROKEN" in out.stdout
    assert "ipai.assess.layer_probe -> ipai.api" in out.stdout


def test_a_face_reaching_the_store_breaks_the_contract(tmp_path: Path) -> None:
    root = copy_package(tmp_path)
    probe = root / "src" / "ipai" / "web" / "layer_probe.py"
    probe.write_text('"""A deliberate violation."""\n\nfrom ipai.store import open_store  # noqa: F401\n')
    out = lint(root)
    assert out.returncode != 0
    assert "ipai.web.layer_probe -> ipai.store" in out.stdout
