"""Fixtures: real Chinese patent titles with IPC subclasses, and one model trained on a part of them."""

from __future__ import annotations

from pathlib import Path

import pytest

SUBSET = 2000  # first rows of titles_ipc.csv used by the fast tests


@pytest.fixture(scope="session")
def titles_csv(shared_data: Path) -> Path:
    """The shared Chinese titles with all IPC subclasses and folds 1-4."""
    return shared_data / "cn-patent-titles-ipc" / "titles_ipc.csv"


@pytest.fixture(scope="session")
def split(titles_csv: Path) -> tuple[list, list]:
    """(train, test) rows: folds 1-3 and fold 4 of the first rows of the real file."""
    from ipai.evals.ipc import read_labelled_csv

    rows, bad = read_labelled_csv(titles_csv)
    assert not bad and len(rows) == 7798
    rows = rows[:SUBSET]
    return [r for r in rows if r.fold != 4], [r for r in rows if r.fold == 4]


@pytest.fixture(scope="session")
def model(split: tuple[list, list]):
    """A classifier trained on the subset's folds 1-3."""
    from ipai.classify import Classifier

    train, _ = split
    return Classifier().fit([r.text for r in train], [r.labels for r in train])
