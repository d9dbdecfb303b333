"""The LLM client against a real OpenAI-compatible server process on loopback (tests/qa/fake_llm.py):
success, timeout, HTTP errors, malformed answers, an unreachable endpoint, and Q&A keeping the
retrieval answer, with the reason shown, whenever the LLM fails."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ipai.llm import LlmError, chat, configured
from ipai.settings import load_settings

SERVER = Path(__file__).with_name("fake_llm.py")
MSGS = [{"role": "user", "content": "Passages:\n[1] (t; abstract)\nA bat.\n\nQuestion: what?"}]


@pytest.fixture(scope="module")
def llm_url() -> Iterator[str]:
    proc = subprocess.Popen([sys.executable, str(SERVER)], stdout=subprocess.PIPE, text=True)
    try:
        port = int(proc.stdout.readline())  # type: ignore[union-attr]
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _settings(tmp_path: Path, url: str | None, model: str = "ok", **kw: object) -> object:
    return load_settings(home=tmp_path / "home", progress=False, llm_url=url, llm_model=model, **kw)


def test_success(llm_url: str, tmp_path: Path) -> None:
    s = _settings(tmp_path, llm_url)
    assert configured(s)
    r = chat(s, MSGS)
    assert r.text == "According to the first passage, this is answered there [1]. (1 passages seen)"
    assert r.model == "fake-ok" and r.usage["completion_tokens"] == 12


def test_api_key_is_sent(llm_url: str, tmp_path: Path) -> None:
    assert chat(_settings(tmp_path, llm_url, "auth", llm_api_key="s3cret"), MSGS).model == "fake-auth"
    with pytest.raises(LlmError, match="answered HTTP 401"):
        chat(_settings(tmp_path, llm_url, "auth", llm_api_key="wrong"), MSGS)


def test_timeout(llm_url: str, tmp_path: Path) -> None:
    with pytest.raises(LlmError, match=r"did not answer within 0\.5 s"):
        chat(_settings(tmp_path, llm_url, "slow", llm_timeout=0.5), MSGS)


@pytest.mark.parametrize(
    "mode, message",
    [
        ("error", r"answered HTTP 500: \{\"error\": \"model crashed\"\}"),
        ("garbage", r"sent an answer ipai cannot read \(JSONDecodeError\)"),
        ("shape", r"sent an answer ipai cannot read \(KeyError\)"),
    ],
)
def test_bad_answers(llm_url: str, tmp_path: Path, mode: str, message: str) -> None:
    with pytest.raises(LlmError, match=message):
        chat(_settings(tmp_path, llm_url, mode), MSGS)


def test_unreachable_and_not_configured(tmp_path: Path) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(LlmError, match=f"127.0.0.1:{port}/v1 is unreachable: ConnectError"):
        chat(_settings(tmp_path, f"http://127.0.0.1:{port}/v1"), MSGS)
    with pytest.raises(LlmError, match="no LLM configured"):
        chat(_settings(tmp_path, None), MSGS)
    assert LlmError("x").status == 503


@pytest.fixture(scope="module")
def kb_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home with one knowledge document (no patents): the fallback tests share it."""
    from ipai.service import Service

    home = tmp_path_factory.mktemp("llm-home")
    doc = home / "fees.md"
    doc.write_text(
        "# Fees\n\n## Annual fees\n\nThe annual fee for the third year of a utility model is 600 yuan.\n",
        encoding="utf-8",
    )
    svc = Service(load_settings(home=home, progress=False))
    svc.qa.load_knowledge([doc])
    svc.close()
    return home


def _ask(home: Path, url: str | None, model: str, **kw: object) -> dict:
    from ipai.service import Service

    svc = Service(load_settings(home=home, progress=False, llm_url=url, llm_model=model, **kw))
    try:
        return svc.qa.ask("What is the annual fee for a utility model?", user=f"u-{model}", session="s")
    finally:
        svc.close()


def test_qa_uses_the_llm_answer(llm_url: str, kb_home: Path) -> None:
    a = _ask(kb_home, llm_url, "ok")
    assert a["mode"] == "llm" and a["reason"] is None and a["answer"].endswith("(1 passages seen)")
    assert (
        a["llm"]["cited"] == [1] and a["citations"][0]["cited"] and "600 yuan" in a["citations"][0]["passage"]
    )


@pytest.mark.parametrize(
    "model, kw, reason",
    [
        ("slow", {"llm_timeout": 0.5}, "LLM not used: the LLM at {url} did not answer within 0.5 s"),
        ("error", {}, "LLM not used: the LLM at {url} answered HTTP 500"),
        ("garbage", {}, "LLM not used: the LLM at {url} sent an answer ipai cannot read"),
        ("nocite", {}, "LLM answer not used: the LLM answer cited no passage"),
        ("badcite", {}, "LLM answer not used: the LLM answer cited passages that do not exist (9)"),
    ],
)
def test_qa_falls_back_to_retrieval(llm_url: str, kb_home: Path, model: str, kw: dict, reason: str) -> None:
    a = _ask(kb_home, llm_url, model, **kw)
    assert a["mode"] == "retrieval" and not a["refused"]
    assert a["reason"].startswith(reason.format(url=llm_url))
    assert "600 yuan" in a["citations"][0]["passage"] and a["answer"].startswith(
        "According to Fees (Annual fees): “The annual fee for the third year"
    )


def test_qa_unreachable_llm_falls_back(kb_home: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    a = _ask(kb_home, f"http://127.0.0.1:{port}/v1", "ok")
    assert a["mode"] == "retrieval" and "is unreachable" in a["reason"]
