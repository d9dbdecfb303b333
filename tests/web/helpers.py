"""Reading rendered pages in tests: elements by ``data-testid``, their text."""

from __future__ import annotations

import re
import time
from typing import Any

import lxml.html


def parse(text: str) -> Any:
    """The page as an lxml tree."""
    return lxml.html.fromstring(text)


def all_of(doc: Any, testid: str) -> list[Any]:
    """Every element with ``data-testid=testid``."""
    return doc.xpath(f'descendant-or-self::*[@data-testid="{testid}"]')


def one(doc: Any, testid: str) -> Any:
    """The single element with ``data-testid=testid`` (fails when absent or repeated)."""
    found = all_of(doc, testid)
    assert len(found) == 1, f"expected one [data-testid={testid}], found {len(found)}"
    return found[0]


def text(el: Any) -> str:
    """An element's visible text with whitespace collapsed."""
    return " ".join(el.text_content().split())


def hit_ids(doc: Any) -> list[str]:
    """Document ids of the result list, in order."""
    return [el.get("data-id") for el in all_of(doc, "hit")]


def wait_task(client: Any, task_id: str, timeout: float = 90.0) -> Any:
    """Poll a task's progress block (as the page does) until it stops running; its tree."""
    end = time.monotonic() + timeout
    while True:
        r = client.get(f"/tasks/{task_id}/progress")
        assert r.status_code == 200, r.text
        doc = parse(r.text)
        state = one(doc, "task-progress").get("data-state")
        if state not in ("queued", "running") or time.monotonic() > end:
            return doc
        time.sleep(0.2)


def task_id_from(location: str) -> str:
    """The task id of a ``/tasks/{id}`` redirect."""
    m = re.search(r"/tasks/([0-9a-f]+)$", location)
    assert m, location
    return m.group(1)
