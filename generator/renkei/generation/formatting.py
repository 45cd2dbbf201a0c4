"""ruff on generated modules, pinned settings so output does not depend on where it is written."""

from __future__ import annotations

import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

__all__ = ["FormattingError", "format_sources"]

_PINNED = ("--isolated", "--line-length", "110", "--target-version", "py311", "--quiet")
_FORMAT = ("format", *_PINNED)
_FIRST_PARTY = ("--config", "lint.isort.known-first-party = ['generator']")  # not guessed from the cwd
_FIX = ("check", "--fix", "--exit-zero", "--select", "I,F401", *_PINNED, *_FIRST_PARTY)


class FormattingError(Exception):
    pass


def _ruff() -> str:
    beside = Path(sys.executable).parent / "ruff"
    if beside.exists():
        return str(beside)
    found = shutil.which("ruff")
    if found is None:
        raise FormattingError("ruff is not installed")
    return found


def _ruff_stdin(ruff: str, args: tuple[str, ...], name: str, source: str) -> str:
    result = subprocess.run(
        [ruff, *args, "--stdin-filename", name, "-"],
        input=source.encode(),
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        lines = result.stderr.decode(errors="replace").strip().splitlines()
        raise FormattingError(
            f"{name}: generated code does not parse ({lines[-1] if lines else 'ruff failed'})"
        )
    return result.stdout.decode()


def _format_one(ruff: str, name: str, source: str) -> str:
    """Sort imports and drop unused ones (`ruff check --fix --select I,F401`), then `ruff format`."""
    return _ruff_stdin(ruff, _FORMAT, name, _ruff_stdin(ruff, _FIX, name, source))


def format_sources(sources: dict[str, str]) -> dict[str, str]:
    """{name: source} -> {name: formatted source}, in parallel."""
    ruff = _ruff()
    names = sorted(sources)
    with ThreadPoolExecutor(max_workers=4) as pool:
        formatted = list(pool.map(lambda n: _format_one(ruff, n, sources[n]), names))
    return dict(zip(names, formatted, strict=True))
