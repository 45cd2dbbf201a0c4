"""Rich progress while a run goes: one line per API with its current phase and test-case count."""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn


class RunProgress:
    def __init__(self, console: Console, enabled: bool = True) -> None:
        """`enabled=False` (renkei --quiet): nothing is drawn."""
        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=console,
            transient=False,
            disable=not enabled,
        )
        self._tasks: dict[str, TaskID] = {}

    def __enter__(self) -> RunProgress:
        self._progress.__enter__()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._progress.__exit__(kind, error, trace)

    def update(self, api: str, text: str) -> None:
        if api not in self._tasks:
            self._tasks[api] = self._progress.add_task(f"{api}: {text}", total=None)
        self._progress.update(self._tasks[api], description=f"{api}: {text}")

    def finish(self, api: str, text: str) -> None:
        self.update(api, text)
        self._progress.update(self._tasks[api], total=1, completed=1)
