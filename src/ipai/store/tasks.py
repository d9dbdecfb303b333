"""SQL for background tasks (mixed into :class:`ipai.store.sql.SqlStore`): one row per task, JSON
fields decoded; every read is limited to the caller's tenant."""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa

from ipai.store import schema as S
from ipai.store.common import now as _now
from ipai.store.ports import TaskStore
from ipai.store.security import tenant_where


class TasksSql(TaskStore):
    """Background tasks of ``ipai.service.tasks``."""

    engine: Any

    _TASK_JSON = ("params", "progress", "result", "error")

    def save_task(self, task: dict[str, Any]) -> None:
        t = S.tasks
        row: dict[str, Any] = {c.name: task.get(c.name) for c in t.c}  # keyed by column name
        for k in self._TASK_JSON:
            row[k] = None if row[k] is None else json.dumps(row[k], ensure_ascii=False)
        row["created_at"] = row["created_at"] or _now()
        with self.engine.begin() as conn:
            done = conn.execute(t.update().where(t.c.id == row["id"]).values(**row)).rowcount
            if not done:
                conn.execute(t.insert().values(**row))

    def get_task(self, task_id: str) -> dict[str, Any] | None:
        t = S.tasks
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(t).where(t.c.id == task_id, *tenant_where(t))).mappings().first()
        return self._task(row) if row else None

    def list_tasks(
        self, *, limit: int = 50, offset: int = 0, states: tuple[str, ...] | None = None
    ) -> list[dict[str, Any]]:
        q = (
            sa.select(S.tasks)
            .where(*tenant_where(S.tasks))
            .order_by(S.tasks.c.created_at.desc(), S.tasks.c.id.desc())
        )
        if states:
            q = q.where(S.tasks.c.state.in_(states))
        with self.engine.connect() as conn:
            rows = conn.execute(q.limit(limit).offset(offset)).mappings().all()
        return [self._task(r) for r in rows]

    def _task(self, row: Any) -> dict[str, Any]:
        out = dict(row)
        for k in self._TASK_JSON:
            out[k] = json.loads(out[k]) if out[k] else None
        return out
