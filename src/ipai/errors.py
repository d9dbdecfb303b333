"""The one exception tree of ipai, and the one JSON error shape.

    IpaiError                 base; never raised directly
    ├── InputError (400)      bad file, record, query, setting or request
    │   ├── FormatError       a file whose format is unknown or whose structure is broken
    │   ├── RecordError       one record inside a readable file is broken
    │   ├── QueryError        a query that does not parse (carries the position)
    │   └── TooLarge (413)    an upload or request body over the configured limit
    ├── NotFound (404)        a document, job or other object that does not exist
    ├── Forbidden (403)       the caller may not do this
    ├── Conflict (409)        the request collides with stored state
    └── BackendError (503)    a store, index or optional engine is unavailable
        └── MissingExtra      an optional dependency is not installed ("install ipai[x]")

Every error renders to the same JSON shape, used by the CLI (``--json``) and the API:
``{"ok": false, "error": "...", "errors": [...], "status": 400}``.

An error may carry a ``code`` and its ``params`` (the values the message names): the message is
then also written in the reader's language (:meth:`IpaiError.text`, texts in
:mod:`ipai.error_text`); English stays the raised message. An error without its own code takes its
class's (``QueryError`` → ``query_syntax``) or, for a bad field, the kind its ``errors`` name.
"""

from __future__ import annotations

from typing import Any


class IpaiError(Exception):
    """Base class of every error ipai raises on purpose."""

    status: int = 500
    code: str = ""  # the class's message code (ipai.error_text) when the raise gives none

    def __init__(
        self,
        message: str,
        *,
        errors: list[dict[str, Any]] | None = None,
        code: str | None = None,
        params: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or []
        self.code = code or type(self).code
        self.params = dict(params or {})

    def text(self, lang: str | None = "en") -> str:
        """The message in ``lang``: the raised (English) message, or its code's text in another
        language (:mod:`ipai.error_text`; the English message when no text fits)."""
        if not lang or lang == "en":
            return self.message
        from ipai.error_text import localize

        return localize(self, lang) or self.message

    def to_json(self, lang: str | None = "en") -> dict[str, Any]:
        """The one JSON error shape shared by CLI and API (``error`` in ``lang``)."""
        return {"ok": False, "error": self.text(lang), "errors": self.errors, "status": self.status}


class InputError(IpaiError):
    """Bad input: a file, record, query, setting or request that cannot be used."""

    status = 400


class FormatError(InputError):
    """A file whose format is not recognised or whose structure cannot be read."""

    def __init__(
        self, message: str, *, file: str | None = None, errors: list[dict[str, Any]] | None = None, **kw: Any
    ):
        super().__init__(message, errors=errors, **kw)
        self.file = file


class RecordError(InputError):
    """One record inside a file is broken; the rest of the file can still be read."""

    def __init__(
        self, message: str, *, file: str | None = None, record: str | None = None, **kw: Any
    ) -> None:
        super().__init__(message, **kw)
        self.file = file
        self.record = record


class QueryError(InputError):
    """A query string that does not parse; ``position`` is the 0-based character offset. The
    message's first line says what is wrong; the lines after it show the query and a caret."""

    code = "query_syntax"

    def __init__(self, message: str, *, query: str = "", position: int | None = None, **kw: Any) -> None:
        errs = [{"query": query, "position": position}] if position is not None else []
        super().__init__(message, errors=errs, **kw)
        self.params.setdefault("pos", position if position is not None else 0)
        self.query = query
        self.position = position

    def text(self, lang: str | None = "en") -> str:
        """The message in ``lang``, with the query and its caret under it as in English."""
        if not lang or lang == "en":
            return self.message
        from ipai.error_text import localize

        head = localize(self, lang)
        _, sep, caret = self.message.partition("\n")
        return head + sep + caret if head else self.message


class TooLarge(InputError):
    """An upload or request body over the configured size limit."""

    status = 413
    code = "too_large"


class NotFound(IpaiError):
    """The requested object does not exist."""

    status = 404


class Forbidden(IpaiError):
    """The caller is not allowed to perform this action."""

    status = 403
    code = "forbidden"


class Conflict(IpaiError):
    """The request collides with the current stored state."""

    status = 409


class BackendError(IpaiError):
    """A store, index, or engine is unavailable or failed."""

    status = 503


class MissingExtra(BackendError):
    """An optional dependency is missing; the message names the extra to install."""

    def __init__(self, extra: str, package: str, purpose: str) -> None:
        super().__init__(
            f"{purpose} needs the optional package '{package}': install it with pip install 'ipai[{extra}]'",
            code="missing_extra",
            params={"package": package, "extra": extra},
        )
        self.extra = extra
        self.package = package


def require(module: str, extra: str, purpose: str) -> Any:
    """Import an optional module or raise :class:`MissingExtra` naming the extra."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise MissingExtra(extra, module, purpose) from exc
