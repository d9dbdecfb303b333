"""Reading the TRIZ data sets: two contradiction matrices, the parameters and the principles.

The data is never copied into ipai: it is read from ``Settings.triz_path`` (``triz_dir``, default
``<shared data>/triz``). Each sub-folder holding a matrix is one data set; the matrix may be

* a CSV grid (``matrix_values.csv`` of pytriz: ``;``-separated, row = improving parameter,
  column = worsening parameter, a cell = principle numbers separated by commas), or
* a JSON object ``{"i,j": [principles]}`` (``matrix.json`` of triz-ai, i = improving, j = worsening)
  or a JSON list of rows.

``parameters.json`` and ``principles.json`` (a list, or an object with a ``parameters`` /
``principles`` list) give names and explanations. Both sets are English only; the Chinese names
come from ipai's own translation table ``triz_zh.json`` and are marked as such.

A cell that cannot be read (a word, a principle outside 1-40, a row or column too many or too few)
is an :class:`~ipai.errors.InputError` naming the file, row and column; a cell that can be read
but is not written the usual way (a missing comma, a trailing comma, a repeated principle) is
read and listed in :attr:`Matrix.irregular`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ipai.errors import InputError

N_PARAMETERS = 39
N_PRINCIPLES = 40
MATRIX_FILES = ("matrix_values.csv", "matrix.csv", "matrix.json")
ZH_TABLE = Path(__file__).with_name("triz_zh.json")
_CANONICAL = re.compile(r"\d+(, \d+)*")
Cell = tuple[int, int]


@dataclass
class Parameter:
    """One of the 39 engineering parameters, with what each data set says about it."""

    id: int
    name: str
    name_zh: str
    names: dict[str, str] = field(default_factory=dict)  # data set label → name
    descriptions: dict[str, str] = field(default_factory=dict)
    aliases: list[str] = field(default_factory=list)  # "Can be related to: …" words (pytriz)
    cues_zh: list[str] = field(default_factory=list)  # ipai translation table


@dataclass
class Principle:
    """One of the 40 inventive principles."""

    id: int
    name: str
    name_zh: str
    names: dict[str, str] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    rules: dict[str, list[str]] = field(default_factory=dict)  # data set label → rules / sub-principles
    examples: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)


@dataclass
class Matrix:
    """One contradiction matrix restricted to the 39 classic parameters."""

    label: str  # "A" or "B"
    source: str  # folder name, e.g. pytriz-0.4.0
    file: str
    cells: dict[Cell, tuple[int, ...]]
    irregular: list[dict[str, Any]] = field(default_factory=list)
    extra_parameters: int = 0  # parameters beyond the classic 39 in this data set
    extra_cells: int = 0  # cells naming such a parameter (not used by ipai)


@dataclass
class TrizData:
    """Both matrices with the merged parameter and principle lists."""

    folder: Path
    matrices: dict[str, Matrix]
    parameters: dict[int, Parameter]
    principles: dict[int, Principle]


def _bad(message: str, file: Path | str, **where: Any) -> InputError:
    err = {"field": "triz_dir", "file": str(file), "message": message, **where}
    return InputError(f"{file}: {message}" + "".join(f", {k} {v}" for k, v in where.items()), errors=[err])


def parse_cell(
    raw: str, file: Path | str, row: int, column: int, irregular: list[dict[str, Any]]
) -> tuple[int, ...]:
    """Principle numbers of one cell written as text (``"15, 8, 29, 34"``); () when empty."""
    text = raw.strip()
    if not text or text in {"-", "—", "+"}:
        return ()
    tokens = [t for t in re.split(r"[,\s]+", text) if t]
    nums: list[int] = []
    for tok in tokens:
        if not tok.isdigit() or not 1 <= int(tok) <= N_PRINCIPLES:
            raise _bad(
                f"cell {raw!r} is not a list of principle numbers 1-{N_PRINCIPLES}",
                file,
                row=row,
                column=column,
            )
        nums.append(int(tok))
    return _clean(nums, raw if not _CANONICAL.fullmatch(text) else None, file, row, column, irregular)


def _clean(
    nums: list[int],
    odd_text: str | None,
    file: Path | str,
    row: int,
    column: int,
    irregular: list[dict[str, Any]],
) -> tuple[int, ...]:
    uniq = tuple(dict.fromkeys(nums))
    notes = []
    if odd_text is not None:
        notes.append("unusual separators")
    if len(uniq) != len(nums):
        notes.append("repeated principle")
    if row == column:
        notes.append("diagonal cell filled")
    if notes:
        irregular.append(
            {
                "row": row,
                "column": column,
                "raw": odd_text if odd_text is not None else list(nums),
                "read": list(uniq),
                "note": ", ".join(notes),
            }
        )
    return uniq


def _read_csv(path: Path, irregular: list[dict[str, Any]]) -> tuple[dict[Cell, tuple[int, ...]], int, int]:
    text = path.read_text(encoding="utf-8-sig")
    lines = [ln for ln in text.splitlines() if ln.strip()]
    sep = ";" if any(";" in ln for ln in lines) else "\t"
    if len(lines) != N_PARAMETERS:
        raise _bad(f"{len(lines)} rows, expected {N_PARAMETERS}", path, row=len(lines))
    cells: dict[Cell, tuple[int, ...]] = {}
    for i, line in enumerate(lines, 1):
        parts = line.split(sep)
        if len(parts) != N_PARAMETERS:
            raise _bad(f"{len(parts)} columns, expected {N_PARAMETERS}", path, row=i, column=len(parts))
        for j, raw in enumerate(parts, 1):
            nums = parse_cell(raw, path, i, j, irregular)
            if nums:
                cells[(i, j)] = nums
    return cells, 0, 0


def _read_json(path: Path, irregular: list[dict[str, Any]]) -> tuple[dict[Cell, tuple[int, ...]], int, int]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        raise _bad(f"not valid JSON: {exc.msg}", path, row=exc.lineno, column=exc.colno) from exc
    items: list[tuple[int, int, Any]] = []
    if isinstance(data, dict):
        for key, val in data.items():
            m = re.fullmatch(r"\s*(\d+)\s*[,;:x×]\s*(\d+)\s*", key)
            if not m:
                raise _bad(f"key {key!r} is not 'improving,worsening'", path)
            items.append((int(m.group(1)), int(m.group(2)), val))
    elif isinstance(data, list):
        for i, row in enumerate(data, 1):
            if not isinstance(row, list):
                raise _bad("a row is not a list", path, row=i)
            items.extend((i, j, val) for j, val in enumerate(row, 1))
    else:
        raise _bad("neither an object of cells nor a list of rows", path)
    cells: dict[Cell, tuple[int, ...]] = {}
    extra_params = max((max(i, j) for i, j, _ in items), default=0) - N_PARAMETERS
    extra_cells = 0
    for i, j, val in items:
        if i < 1 or j < 1:
            raise _bad("parameter numbers start at 1", path, row=i, column=j)
        if isinstance(val, str):
            nums = list(parse_cell(val, path, i, j, []))
        elif isinstance(val, list) and all(isinstance(x, int) and not isinstance(x, bool) for x in val):
            nums = list(val)
        elif val is None:
            nums = []
        else:
            raise _bad(f"cell {val!r} is not a list of principle numbers", path, row=i, column=j)
        if any(not 1 <= x <= N_PRINCIPLES for x in nums):
            raise _bad(f"cell {val!r} names a principle outside 1-{N_PRINCIPLES}", path, row=i, column=j)
        if i > N_PARAMETERS or j > N_PARAMETERS:
            extra_cells += bool(nums)
            continue
        uniq = _clean(nums, None, path, i, j, irregular)
        if uniq:
            cells[(i, j)] = uniq
    return cells, max(extra_params, 0), extra_cells


def _items(path: Path, key: str) -> list[dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError as exc:
        raise _bad(f"missing {path.name}", path) from exc
    except json.JSONDecodeError as exc:
        raise _bad(f"not valid JSON: {exc.msg}", path, row=exc.lineno, column=exc.colno) from exc
    rows = data.get(key) if isinstance(data, dict) else data
    if not isinstance(rows, list) or not all(isinstance(r, dict) and "id" in r and "name" in r for r in rows):
        raise _bad(f"expected a list of {key} with id and name", path)
    return rows


def _strs(v: Any) -> list[str]:
    return [str(x) for x in v] if isinstance(v, list) else []


def _aliases(description: str) -> list[str]:
    m = re.search(r"Can be related to:\s*(.+)$", description)
    return [a.strip() for a in m.group(1).split(",") if a.strip()] if m else []


def _dataset_folders(folder: Path) -> list[tuple[Path, Path]]:
    if not folder.is_dir():
        raise InputError(
            f"TRIZ data folder not found: {folder}",
            errors=[{"field": "triz_dir", "message": f"not a folder: {folder}"}],
        )
    found = []
    for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
        for name in MATRIX_FILES:
            if (sub / name).is_file():
                found.append((sub, sub / name))
                break
    if len(found) != 2:
        raise InputError(
            f"{folder} holds {len(found)} TRIZ matrices, expected 2 (sub-folders with one of "
            f"{', '.join(MATRIX_FILES)})",
            errors=[{"field": "triz_dir", "message": f"{len(found)} matrices found"}],
        )
    return found


def _load(folder: Path) -> TrizData:
    zh = json.loads(ZH_TABLE.read_text(encoding="utf-8"))
    matrices: dict[str, Matrix] = {}
    params: dict[int, Parameter] = {}
    princ: dict[int, Principle] = {}
    for label, (sub, mfile) in zip("AB", _dataset_folders(folder), strict=False):
        irregular: list[dict[str, Any]] = []
        reader = _read_csv if mfile.suffix == ".csv" else _read_json
        cells, extra_p, extra_c = reader(mfile, irregular)
        matrices[label] = Matrix(label, sub.name, str(mfile), cells, irregular, extra_p, extra_c)
        for r in _items(sub / "parameters.json", "parameters"):
            pid = int(r["id"])
            if not 1 <= pid <= N_PARAMETERS:
                continue  # the extended parameters of one set have no cells ipai uses
            z = zh["parameters"][str(pid)]
            p = params.setdefault(pid, Parameter(pid, str(r["name"]), z["name"], cues_zh=list(z["cues"])))
            p.names[label] = str(r["name"])
            p.descriptions[label] = str(r.get("description") or "")
            p.aliases += [a for a in _aliases(p.descriptions[label]) if a not in p.aliases]
        for r in _items(sub / "principles.json", "principles"):
            pid = int(str(r["id"]))
            if not 1 <= pid <= N_PRINCIPLES:
                raise _bad(f"principle id {r['id']!r} outside 1-{N_PRINCIPLES}", sub / "principles.json")
            q = princ.setdefault(pid, Principle(pid, str(r["name"]), zh["principles"][str(pid)]))
            q.names[label] = str(r["name"])
            q.descriptions[label] = str(r.get("description") or "")
            q.rules[label] = _strs(r.get("rules")) or _strs(r.get("sub_principles"))
            q.examples += [e for e in _strs(r.get("examples")) if e not in q.examples]
            q.keywords += [k for k in _strs(r.get("keywords")) if k not in q.keywords]
    for what, got, n in (("parameters", params, N_PARAMETERS), ("principles", princ, N_PRINCIPLES)):
        missing = sorted(set(range(1, n + 1)) - set(got))
        if missing:
            raise InputError(
                f"TRIZ {what} missing from {folder}: {missing}",
                errors=[{"field": "triz_dir", "message": f"{what} {missing} missing"}],
            )
    return TrizData(folder, matrices, params, princ)


@lru_cache(maxsize=4)
def _load_cached(folder: str, stamp: tuple[float, ...]) -> TrizData:
    return _load(Path(folder))


def load(folder: Path) -> TrizData:
    """Both data sets under ``folder`` (cached until a file there changes)."""
    folder = Path(folder)
    files = sorted(folder.glob("*/*.json")) + sorted(folder.glob("*/*.csv")) if folder.is_dir() else []
    return _load_cached(
        str(folder.resolve()) if folder.exists() else str(folder),
        tuple(f.stat().st_mtime for f in files) + (ZH_TABLE.stat().st_mtime,),
    )
