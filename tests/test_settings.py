"""Settings precedence, documentation and the error shape."""

from __future__ import annotations

from pathlib import Path

import pytest

from ipai.errors import InputError, IpaiError, MissingExtra, NotFound, QueryError
from ipai.settings import Settings, describe_settings, load_settings


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in Settings.model_fields:
        monkeypatch.delenv("IPAI_" + name.upper(), raising=False)


def test_precedence_defaults_file_env_flags(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "h"
    home.mkdir()
    assert load_settings(home=home).ingest_batch_size == 500
    (home / "ipai.toml").write_text("ingest_batch_size = 100\ndefault_language = 'zh'\n")
    assert load_settings(home=home).ingest_batch_size == 100
    monkeypatch.setenv("IPAI_INGEST_BATCH_SIZE", "200")
    s = load_settings(home=home)
    assert (s.ingest_batch_size, s.default_language) == (200, "zh")
    assert load_settings(home=home, ingest_batch_size=300).ingest_batch_size == 300


def test_home_from_env_and_store_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IPAI_HOME", str(tmp_path))
    s = load_settings()
    assert s.home == tmp_path and s.store_url == f"sqlite:///{tmp_path / 'ipai.sqlite'}"


def test_bad_settings_name_the_field(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IPAI_INGEST_BATCH_SIZE", "zero")
    with pytest.raises(InputError, match="ingest_batch_size"):
        load_settings(home=tmp_path)
    monkeypatch.delenv("IPAI_INGEST_BATCH_SIZE")
    (tmp_path / "ipai.toml").write_text("no_such_setting = 1\n")
    with pytest.raises(InputError, match="no_such_setting"):
        load_settings(home=tmp_path)


def test_every_setting_is_documented() -> None:
    rows = describe_settings()
    assert {r["name"] for r in rows} == set(Settings.model_fields)
    assert all(r["help"] for r in rows), [r["name"] for r in rows if not r["help"]]


def test_one_error_shape() -> None:
    for exc, status in (
        (InputError("bad"), 400),
        (NotFound("gone"), 404),
        (QueryError("oops", query="a AND", position=5), 400),
        (MissingExtra("web", "fastapi", "The web UI"), 503),
    ):
        body = exc.to_json()
        assert set(body) == {"ok", "error", "errors", "status"}
        assert body["ok"] is False and body["status"] == status and isinstance(exc, IpaiError)
    assert QueryError("oops", query="a AND", position=5).to_json()["errors"] == [
        {"query": "a AND", "position": 5}
    ]
    assert "ipai[web]" in MissingExtra("web", "fastapi", "The web UI").message
