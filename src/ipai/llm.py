"""A client for any OpenAI-compatible chat endpoint (a local Ollama / vLLM / llama.cpp server or a
hosted model), configured by the ``llm_url``, ``llm_model``, ``llm_api_key`` and ``llm_timeout``
settings. Nothing is called unless ``llm_url`` is set; callers keep a deterministic path and use
it whenever :func:`configured` is false or a call raises :class:`LlmError` (whose message says
what went wrong: unreachable, timeout, HTTP status, malformed answer).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import httpx

from ipai.errors import BackendError


class LlmError(BackendError):
    """The configured LLM endpoint failed; the deterministic path should take over."""


@dataclass
class Reply:
    text: str
    model: str
    seconds: float
    usage: dict[str, Any]


def configured(settings: Any) -> bool:
    return bool(getattr(settings, "llm_url", None))


def chat(
    settings: Any, messages: list[dict[str, str]], *, temperature: float = 0.2, max_tokens: int = 1500
) -> Reply:
    """One chat completion (``POST {llm_url}/chat/completions``); raises :class:`LlmError`."""
    if not configured(settings):
        raise LlmError("no LLM configured (set llm_url, e.g. http://127.0.0.1:11434/v1 for Ollama)")
    url = settings.llm_url.rstrip("/") + "/chat/completions"
    headers = {"Content-Type": "application/json"}
    if getattr(settings, "llm_api_key", None):
        key = settings.llm_api_key
        headers["Authorization"] = (
            f"Bearer {key.get_secret_value() if hasattr(key, 'get_secret_value') else key}"
        )
    body = {
        "model": settings.llm_model,
        "messages": messages,
        "temperature": temperature,
        "max_tokens": max_tokens,
    }
    t0 = time.perf_counter()
    try:
        r = httpx.post(url, json=body, headers=headers, timeout=settings.llm_timeout)
    except httpx.TimeoutException:
        raise LlmError(
            f"the LLM at {settings.llm_url} did not answer within {settings.llm_timeout:g} s"
        ) from None
    except httpx.HTTPError as e:
        raise LlmError(f"the LLM at {settings.llm_url} is unreachable: {type(e).__name__}: {e}") from None
    if r.status_code != 200:
        raise LlmError(f"the LLM at {settings.llm_url} answered HTTP {r.status_code}: {r.text[:200]}")
    try:
        data = r.json()
        text = data["choices"][0]["message"]["content"]
        if not isinstance(text, str):
            raise TypeError("content is not text")
    except (ValueError, KeyError, IndexError, TypeError) as e:
        raise LlmError(
            f"the LLM at {settings.llm_url} sent an answer ipai cannot read ({type(e).__name__})"
        ) from None
    return Reply(
        text=text.strip(),
        model=str(data.get("model") or settings.llm_model),
        seconds=round(time.perf_counter() - t0, 2),
        usage=data.get("usage") or {},
    )
