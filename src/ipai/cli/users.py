"""Users, API keys, roles and the audit log: ``ipai users …``, ``ipai keys …``, ``ipai audit …``."""

from __future__ import annotations
