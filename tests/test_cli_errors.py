"""Every command-line error is one line on stderr with a non-zero exit code, never a traceback,
in the command's language (``--lang zh`` where the command has it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ipai.cli import main


@pytest.fixture()
def home(tmp_path: Path) -> str:
    return str(tmp_path / "home")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    rc = main(["--no-progress", *argv])
    err = capsys.readouterr().err.strip()
    return rc, err


@pytest.mark.parametrize(
    "argv, code, english",
    [
        (["search", "(battery"], 2, "error: missing ')' for '(' at position 0"),
        (["show", "EP9999999B1"], 1, "error: no document 'EP9999999B1' in the store"),
        (["assess", "--file", "/nonexistent/claim.txt"], 2, "error: file not found: /nonexistent/claim.txt"),
        (["ingest", "/nonexistent/folder"], 2, "error: not found: /nonexistent/folder"),
        (
            ["report", "landscape", "battery", "-o", "x.html", "--lang", "fr"],
            2,
            "error: --lang must be en or zh, not 'fr'",
        ),
        (["search", "battery", "--top", "many"], 2, "error: Invalid value for '--top'"),
        (["search", "battery", "--no-such-option"], 2, "error: No such option: --no-such-option"),
        (["no-such-command"], 2, "error: No such command 'no-such-command'"),
    ],
)
def test_errors_are_one_line(
    capsys: pytest.CaptureFixture[str], home: str, argv: list[str], code: int, english: str
) -> None:
    rc, err = run(capsys, "--home", home, *argv)
    assert rc == code and err.startswith(english), err
    assert "\n" not in err and "Traceback" not in err


@pytest.mark.parametrize(
    "argv, chinese",
    [
        (
            ["assess", "--file", "/nonexistent/claim.txt", "--lang", "zh"],
            "错误：文件不存在：/nonexistent/claim.txt",
        ),
        (
            ["report", "company", "Nobody Ltd", "-o", "c.html", "--lang", "zh"],
            "错误：库中没有申请人为 Nobody Ltd 的文献",
        ),
        (
            ["report", "landscape", "(battery", "-o", "l.html", "--lang", "zh"],
            "错误：位置 0 处的 '(' 缺少对应的 ')'",
        ),
        (["assess", "--no-such-option", "--lang", "zh"], "错误：没有此选项：--no-such-option"),
    ],
)
def test_lang_zh_errors_are_chinese(
    capsys: pytest.CaptureFixture[str], home: str, argv: list[str], chinese: str
) -> None:
    rc, err = run(capsys, "--home", home, *argv)
    assert rc != 0 and err.startswith(chinese), err
    assert "\n" not in err


def test_search_lang_is_a_filter_not_the_message_language(
    capsys: pytest.CaptureFixture[str], home: str
) -> None:
    rc, err = run(capsys, "--home", home, "search", "(battery", "--lang", "zh")
    assert rc == 2 and err.startswith("error: missing ')'")


def test_a_bug_is_one_line(
    capsys: pytest.CaptureFixture[str], home: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unexpected exception names itself in one line; IPAI_DEBUG shows the traceback."""
    import ipai.cli as cli

    def boom() -> None:
        raise RuntimeError("something broke\nsecond line")

    monkeypatch.setattr(cli, "settings", boom)
    monkeypatch.delenv("IPAI_DEBUG", raising=False)
    rc, err = run(capsys, "--home", home, "settings")
    assert (
        rc == 1
        and err == "error: internal error RuntimeError: something broke (set IPAI_DEBUG=1 for the traceback)"
    )
    monkeypatch.setenv("IPAI_DEBUG", "1")
    with pytest.raises(RuntimeError):
        main(["--home", home, "settings"])
