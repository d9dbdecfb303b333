"""Progress display for long jobs: a live bar on a terminal, periodic lines otherwise."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

ProgressFn = Callable[[str, int, int], None]


@contextmanager
def ingest_progress(enabled: bool) -> Iterator[ProgressFn | None]:
    """Yield a callback ``(file, records_in_file, file_index)`` that shows progress on stderr."""
    if not enabled:
        yield None
        return
    if sys.stderr.isatty():
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        console = Console(stderr=True)
        cols = (
            TextColumn("[bold]{task.fields[files]}[/] files"),
            BarColumn(bar_width=None, pulse_style="cyan"),
            TextColumn("{task.completed:,} records"),
            TextColumn("{task.fields[rate]}/s"),
            TimeElapsedColumn(),
            TextColumn("{task.description}"),
        )
        with Progress(*cols, console=console, transient=True) as prog:
            task = prog.add_task("", total=None, files=0, rate="0")
            current, base, last = "", 0, 0  # the current file, records of the files before it, and in it
            t0 = time.perf_counter()

            def cb(name: str, n: int, idx: int) -> None:
                nonlocal current, base, last
                if name != current:
                    base += last
                    current, last = name, 0
                last = n
                total = base + n
                rate = total / max(time.perf_counter() - t0, 1e-6)
                prog.update(task, completed=total, files=idx + 1, rate=f"{rate:,.0f}", description=name[-60:])

            yield cb
        return
    said_at, said_file = 0.0, ""

    def lines(name: str, n: int, idx: int) -> None:
        nonlocal said_at, said_file
        now = time.perf_counter()
        if name != said_file or now - said_at > 5:
            print(f"[{idx + 1}] {name}: {n:,} records", file=sys.stderr, flush=True)
            said_at, said_file = now, name

    yield lines


@contextmanager
def index_progress(enabled: bool, verb: str = "indexed") -> Iterator[Callable[[int, int], None] | None]:
    """Yield a callback ``(done, total)`` for index builds (and other passes over the documents)."""
    if not enabled:
        yield None
        return
    if sys.stderr.isatty():
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

        with Progress(
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        ) as prog:
            task = prog.add_task("index", total=None)

            def cb(done: int, total: int) -> None:
                prog.update(task, completed=done, total=total)

            yield cb
        return
    last = {"t": 0.0}

    def lines(done: int, total: int) -> None:
        now = time.perf_counter()
        if now - last["t"] > 5 or done == total:
            print(f"{verb} {done:,} of {total:,} documents", file=sys.stderr, flush=True)
            last["t"] = now

    yield lines
