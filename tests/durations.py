"""Refresh ``tests/durations.json`` (seconds per test file, which orders the files on the workers:
``tests/conftest.py``) from the JUnit XML of a whole run:

    ./run tests --junitxml=/tmp/suite.xml && python -m tests.durations /tmp/suite.xml

Only the order of the files depends on it, so a stale figure costs balance, never a result. The
last test of a worker also carries the teardown of the session's fixtures (servers, services):
an outlier there is that, not the file.
"""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(__file__).with_name("durations.json")


def file_of(classname: str) -> str | None:
    """``tests.web.test_pages.TestX`` → ``tests/web/test_pages.py`` (the longest prefix that is a file)."""
    parts = classname.split(".")
    for n in range(len(parts), 0, -1):
        rel = "/".join(parts[:n]) + ".py"
        if (ROOT / rel).is_file():
            return rel
    return None


def durations(junit: Path) -> dict[str, float]:
    """Seconds per test file (setup, call and teardown of its tests), longest first."""
    total: dict[str, float] = defaultdict(float)
    for case in ET.parse(junit).iter("testcase"):
        rel = file_of(case.get("classname", ""))
        if rel:
            total[rel] += float(case.get("time", 0) or 0)
    return {k: round(v, 1) for k, v in sorted(total.items(), key=lambda kv: -kv[1])}


if __name__ == "__main__":
    found = durations(Path(sys.argv[1]))
    OUT.write_text(json.dumps(found, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(found)} files, {sum(found.values()):.0f} s in all → {OUT}")
