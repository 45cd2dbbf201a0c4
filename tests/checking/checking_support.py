"""Helpers for the checker tests (a plain module, not a conftest: imported by name): corpus and CLI."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

BROKEN = Path(__file__).parent / "broken"
REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Case:
    path: Path
    expected: frozenset[tuple[str, str, int]]  # (rule, file relative to BROKEN, line)


def read_case(path: Path) -> Case:
    """The first line declares the expectation:
    `# expect: <rule> [<file>:]<line>[; <rule> [<file>:]<line> ...]` or `# expect: none`."""
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# expect:"), f"{path.name}: first line must be '# expect: ...'"
    body = first.removeprefix("# expect:").strip()
    expected: set[tuple[str, str, int]] = set()
    if body != "none":
        for part in body.split(";"):
            rule, where = part.split()
            file, _, line = where.rpartition(":")
            expected.add((rule, file or path.name, int(line)))
    return Case(path, frozenset(expected))


def corpus() -> list[Case]:
    return [read_case(path) for path in sorted(BROKEN.glob("*.yaml"))]


def run_cli(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    """The real `renkei` command in a subprocess (bounded in time)."""
    return subprocess.run(
        [sys.executable, "-c", "from renkei.cli import main; main()", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
