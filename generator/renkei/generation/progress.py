"""What `renkei generate` is doing, on stderr while it runs: one line per document with its current step
(loading, models by datamodel-code-generator, server and client, ...) and the time spent.

Drawn only for a person at a terminal: not under `renkei --quiet`, and not when stderr is not a TTY (CI
logs, pipes), so scripted output stays byte-for-byte what it was. The line is transient: once the command
ends nothing of it is left above the results."""

from __future__ import annotations

import sys
from types import TracebackType
from typing import Any

from renkei.output import is_quiet

__all__ = ["GenerateProgress", "wanted"]


def wanted() -> bool:
    return not is_quiet() and sys.stderr.isatty()


class GenerateProgress:
    """`with GenerateProgress() as progress: progress.step(name, text)`; draws nothing unless `wanted`."""

    def __init__(self, enabled: bool | None = None) -> None:
        self._enabled = wanted() if enabled is None else enabled
        self._progress: Any = None
        self._tasks: dict[str, Any] = {}

    def __enter__(self) -> GenerateProgress:
        if self._enabled:
            from rich.console import Console
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self._progress = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._progress.__enter__()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._progress is not None:
            self._progress.__exit__(kind, error, trace)

    def step(self, name: str, text: str) -> None:
        """Document `name` is now at `text`."""
        if self._progress is None:
            return
        description = f"renkei generate {name}: {text}"
        if name not in self._tasks:
            self._tasks[name] = self._progress.add_task(description, total=None)
        else:
            self._progress.update(self._tasks[name], description=description)
