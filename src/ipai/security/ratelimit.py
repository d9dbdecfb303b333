"""Per-key rate limits: a moving one-minute window per API key (or signed-in user), on the
``limits`` library. Counters live in this process (``memory://``); the web workers of one machine
share them in a SQLite file (``sqlite:///path``, :mod:`ipai.security.sharedlimits`: the default
of ``ipai serve --workers N``), several machines through ``redis://`` (setting ``rate_limit_storage``)."""

from __future__ import annotations

from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from ipai.errors import IpaiError


class RateLimited(IpaiError):
    """Too many requests for this key in the last minute (429)."""

    status = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(
            message,
            errors=[{"field": "authorization", "message": "rate limit"}],
            code="rate_limited",
            params={"s": retry_after},
        )
        self.retry_after = retry_after


class RateLimiter:
    """Allows ``per_minute`` requests per key in any moving minute (0 = unlimited)."""

    def __init__(self, per_minute: int, storage: str = "memory://") -> None:
        self.per_minute = per_minute
        if storage.startswith("sqlite://"):
            import ipai.security.sharedlimits  # noqa: F401 - registers the sqlite scheme with limits
        self.limiter = MovingWindowRateLimiter(storage_from_string(storage))
        self._items: dict[int, RateLimitItem] = {}

    def hit(self, key: str, per_minute: int | None = None) -> None:
        """Count one request for ``key``; :class:`RateLimited` when it is over its limit."""
        limit = self.per_minute if per_minute is None else per_minute
        if limit <= 0:
            return
        item = self._items.get(limit)
        if item is None:
            item = self._items[limit] = parse(f"{limit}/minute")
        if not self.limiter.hit(item, key):
            reset, _ = self.limiter.get_window_stats(item, key)
            import time

            wait = max(1, int(reset - time.time()) + 1)
            raise RateLimited(
                f"rate limit of {limit} requests per minute reached for {key.split(':', 1)[0]} "
                f"{key.split(':', 1)[1]!r}; retry in {wait} s",
                wait,
            )
