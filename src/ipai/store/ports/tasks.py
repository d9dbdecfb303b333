"""Background tasks (:mod:`ipai.service.tasks`): saved as they run, read back by their tenant."""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class TaskStore(Protocol):
    """Background tasks, each a row of the ``tasks`` table."""

    def save_task(self, task: dict[str, Any]) -> None:
        """Insert or update a background task (keys of the ``tasks`` table; JSON values as dicts)."""

    def get_task(self, task_id: str) -> dict[str, Any] | None:
        """One background task of the caller's tenant (platform roles: any)."""

    def list_tasks(
        self, *, limit: int = 50, offset: int = 0, states: tuple[str, ...] | None = None
    ) -> list[dict[str, Any]]:
        """Background tasks of the caller's tenant (platform roles: all), newest first."""
