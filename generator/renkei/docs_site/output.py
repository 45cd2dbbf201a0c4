"""Writing the site to a directory, or telling how the directory differs from it (`--check`).

A directory the site is written to holds a manifest (`.renkei-docs`, the files of the last run), so that
pages of removed operations are deleted and a directory renkei did not write is never overwritten."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path, PurePosixPath

MANIFEST = ".renkei-docs"


class OutputError(Exception):
    """The output directory cannot take the site (not renkei's, or not a directory)."""


def _previous(out: Path) -> list[str]:
    manifest = out / MANIFEST
    if not manifest.is_file():
        return []
    listed = manifest.read_text(encoding="utf-8").splitlines()
    return [line for line in listed if line and _inside(line)]


def _inside(relative: str) -> bool:
    """A manifest line names a file below the directory (never `..`, an absolute path or a drive)."""
    path = PurePosixPath(relative)
    return not path.is_absolute() and ".." not in path.parts and ":" not in relative and "\\" not in relative


def _check_target(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: not a directory")
    if out.is_dir() and any(out.iterdir()) and not (out / MANIFEST).is_file():
        raise OutputError(
            f"{out}: the directory is not empty and was not written by `renkei docs` (no {MANIFEST}); "
            "choose an empty or new directory"
        )


def write_site(pages: Mapping[str, str], out: Path) -> tuple[int, int]:
    """Write `pages` under `out`: (files written or changed, files removed). Unchanged files are left
    as they are; files of the previous run that the site no longer has are removed."""
    _check_target(out)
    previous = _previous(out)
    written = 0
    for relative, text in pages.items():
        target = out / relative
        data = text.encode("utf-8")
        if target.is_file() and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written += 1
    removed = 0
    for relative in sorted(set(previous) - set(pages)):
        target = out / relative
        if target.is_file():
            target.unlink()
            removed += 1
        for parent in target.parents:
            if parent == out or not parent.is_relative_to(out):
                break
            if parent.is_dir() and not any(parent.iterdir()):
                parent.rmdir()
    (out / MANIFEST).write_text("".join(f"{relative}\n" for relative in pages), encoding="utf-8")
    return written, removed


def stale(pages: Mapping[str, str], out: Path) -> list[str]:
    """How `out` differs from `pages`: one line per missing, changed or extra file (empty: up to date)."""
    problems = []
    for relative, text in pages.items():
        target = out / relative
        if not target.is_file():
            problems.append(f"missing: {relative}")
        elif target.read_bytes() != text.encode("utf-8"):
            problems.append(f"changed: {relative}")
    for relative in sorted(set(_previous(out)) - set(pages)):
        if (out / relative).is_file():
            problems.append(f"extra: {relative}")
    return problems
