"""Server paths out of user-facing messages."""

from __future__ import annotations

import re

_DIRS = re.compile(r"(?<![\w.:/\\])(?:[A-Za-z]:)?[/\\](?:[^/\\\s'\"<>]+[/\\])+")


def strip_dirs(text: str) -> str:
    """A message with the folders of every absolute path taken out (``/srv/x/up/a.csv`` → ``a.csv``)."""
    return _DIRS.sub("", text)
