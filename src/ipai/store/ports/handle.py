"""What every store is besides its features: where it is, and how to let it go."""

from __future__ import annotations

from typing import Protocol, runtime_checkable


@runtime_checkable
class StoreHandle(Protocol):
    """A store's URL and its release."""

    url: str  # sqlite:///PATH or postgresql+driver://…

    def close(self) -> None:
        """Release connections."""
