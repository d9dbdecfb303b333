"""Checks on text people give ipai (a pasted disclosure, a title to classify, a text file), with
errors that name the field and say what to do."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from ipai.errors import InputError

MAX_CHARS = 100_000
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")


def _bad(field: str, message: str, detail: str, code: str | None = None, **params: Any) -> InputError:
    return InputError(message, errors=[{"field": field, "message": detail}], code=code, params=params)


def check_text(
    text: Any, *, field: str = "text", what: str = "the text", limit: int = MAX_CHARS, hint: str = ""
) -> str:
    """``text`` stripped, with stray control characters (a form feed from a PDF export) blanked;
    :class:`InputError` when it is not a string, empty, over ``limit`` characters or binary."""
    if not isinstance(text, str):
        raise _bad(field, f"{what} must be a string, not {type(text).__name__}", "not a string")
    if len(text) > limit:
        raise _bad(field, f"{what} has {len(text):,} characters; the limit is {limit:,}{hint}", "too long")
    head = text[:10_000]
    if (
        "\x00" in head
        or len(_CONTROL.findall(head)) > max(3, len(head) // 100)
        or head.count("\ufffd") > max(8, len(head) // 50)
    ):
        raise _bad(
            field,
            f"{what} does not look like text (control characters or undecodable bytes); give UTF-8 text",
            "not text",
        )
    text = _CONTROL.sub(" ", text).strip()
    if not text:
        raise _bad(field, f"{what} is empty{hint}", "empty")
    return text


def read_text_file(path: Any, *, limit: int = MAX_CHARS) -> str:
    """A UTF-8 (or GB18030) text file's contents, checked by :func:`check_text`."""
    p = Path(path)
    if not p.is_file():
        raise _bad("file", f"file not found: {p}", "not found", "file_not_found", file=str(p))
    raw = p.read_bytes()
    if len(raw) > limit * 4:
        raise _bad("file", f"{p} has {len(raw):,} bytes; the limit is {limit:,} characters", "too long")
    if b"\x00" in raw[:8192]:
        raise _bad(
            "file",
            f"{p} is not a text file (binary content); give a UTF-8 text file",
            "binary",
            "not_a_text_file",
            file=str(p),
        )
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return check_text(raw.decode(enc), field="file", what=str(p), limit=limit)
        except UnicodeDecodeError:
            continue
    raise _bad("file", f"{p} is neither UTF-8 nor GB18030 text", "encoding", "file_encoding", file=str(p))


def field_error(field: str, message: str) -> InputError:
    """An :class:`InputError` naming ``field`` (message ``"field: message"``)."""
    return InputError(f"{field}: {message}", errors=[{"field": field, "message": message}])


def iso_date(value: Any, field: str) -> dt.date:
    """A date people typed as ISO ``YYYY-MM-DD`` (a ``date`` passes), or an error naming ``field``.
    Strict on purpose: a form date is never guessed the way exported office dates are
    (:func:`ipai.model.dates.parse_date`)."""
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except (TypeError, ValueError):
        raise InputError(
            f"{field}: {value!r} is not a date (YYYY-MM-DD)",
            errors=[{"field": field, "message": "not a date (YYYY-MM-DD)"}],
        ) from None


def split_items(value: Any) -> list[str]:
    """A list given as a list or as text separated by commas or semicolons (ASCII or full-width)."""
    if value is None:
        return []
    items = value if isinstance(value, list | tuple) else re.split(r"[,;，；]", str(value))
    return [str(x).strip() for x in items if str(x).strip()]


def check_transition(
    what: str, current: str, target: str, states: tuple[str, ...], transitions: dict[str, tuple[str, ...]]
) -> None:
    """Raise unless ``current → target`` is an allowed move of ``what`` (a deal, a disclosure): an
    unknown state is an input error, a disallowed move a conflict naming the allowed states."""
    from ipai.errors import Conflict

    if target not in states:
        raise field_error("status", f"unknown state {target!r}; states: {', '.join(states)}")
    allowed = transitions.get(current, ())
    if target not in allowed:
        raise Conflict(
            f"{what} in state {current!r} cannot move to {target!r}; "
            f"allowed: {', '.join(allowed) or 'none (final state)'}",
            errors=[
                {"field": "status", "message": f"allowed from {current}: {', '.join(allowed) or 'none'}"}
            ],
        )
