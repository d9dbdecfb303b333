"""Real data files that are NOT office CSV / EUIPO JSON exports: the patentsview-csv,
claims-cpc-csv, cnipa-csv and euipo-tm-json sniffers must leave every one of them alone."""

from __future__ import annotations

from pathlib import Path

FOREIGN_GLOBS = [
    "landscape-lens-patentscope/*.csv",
    "uspto-pppm/train.csv",
    "patentsview-disambiguation/*/*.csv",
    "ipc-scheme/all_ipc.tsv",
    "trademark-vienna-euipo/ViennaCodes.csv",
    "triz/*/*",
    "cn-patents-abstract-cpc/selected_labels.json",
    "covid-patents-lens-biblio/*.jsonl",
]


def foreign_files(shared_data: Path) -> list[Path]:
    """Every existing file matched by :data:`FOREIGN_GLOBS` (the list must not be empty)."""
    files = sorted(f for g in FOREIGN_GLOBS for f in shared_data.glob(g) if f.is_file())
    assert len(files) > 15, files
    return files
