"""Progress bars of the sandbox's long steps (seeding, bulk rows) on stderr: `renkei sandbox seed`,
`grow-history` and the first start of `renkei serve`.

Drawn only for a person at a terminal: not under `renkei --quiet` (RENKEI_VERBOSITY=quiet, which the toolkit
sets for its plugins' commands) and not when stderr is not a TTY (CI logs, a service manager's journal,
pipes), where a bar's redraws would only add noise."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["Advance", "progress_bar", "wanted"]

Advance = Callable[[int], None]
"""`advance(rows)`: that many more done."""


def wanted() -> bool:
    return os.environ.get("RENKEI_VERBOSITY") != "quiet" and sys.stderr.isatty()


@contextmanager
def progress_bar(label: str, total: int) -> Iterator[Advance]:
    """A rich bar (done/total, percentage, elapsed, time left) while the block runs; yields `advance`."""
    if not wanted():
        yield lambda rows: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("[progress.percentage]{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=False) as bar:
        task = bar.add_task(label, total=total)
        yield lambda rows: bar.advance(task, rows)
