"""Option checks shared by the command-line faces (``ipai …`` and ``ipai eval …``)."""

from __future__ import annotations


def check_lang(value: str | None) -> str | None:
    """A ``--lang`` option's value: ``en`` or ``zh`` (None stays None); an error naming the option
    otherwise (typer callback)."""
    if value is None:
        return None
    v = value.strip().lower()
    if v not in ("en", "zh"):
        from ipai.errors import InputError

        raise InputError(
            f"--lang must be en or zh, not {value!r} / --lang 只能是 en 或 zh",
            errors=[{"field": "lang", "message": "en or zh"}],
            code="lang",
            params={"value": value},
        )
    return v
