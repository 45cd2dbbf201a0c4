"""What OLD and NEW name: files, directories (APIs matched by file name) or git revisions.

renkei diff old.yaml new.yaml          two files
renkei diff old-spec/ spec/            every API document of two directories, matched by file name
renkei diff v1.0.0..HEAD spec/         PATH at two revisions (`v1.0.0..` : against the work tree)
renkei diff v1.0.0 spec/               PATH at a revision against the work tree
renkei diff v1.0.0:spec/card.yaml spec/card.yaml
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from renkei.checking.discovery import SPEC_SUFFIXES, is_api_document
from renkei.diff.revisions import RevisionTree, is_revision
from renkei.loading import SpecError
from renkei.loading.errors import display_path


@dataclass(frozen=True)
class Document:
    """One API document of one side: `path` is what the loader reads (a temporary copy for a revision)."""

    name: str
    path: Path
    label: str
    display: Callable[[Path], str] = display_path


@dataclass(frozen=True)
class Side:
    revision: str | None
    path: Path


def parse_sides(old: str, new: str, cwd: Path) -> tuple[Side, Side]:
    if ".." in old and not Path(old).exists():
        start, _, end = old.partition("..")
        return Side(start or "HEAD", Path(new)), Side(end or None, Path(new))
    return _side(old, new, cwd), _side(new, None, cwd)


def _side(text: str, other: str | None, cwd: Path) -> Side:
    if Path(text).exists():
        return Side(None, Path(text))
    revision, colon, path = text.partition(":")
    if colon and revision and is_revision(revision, cwd):
        return Side(revision, Path(path or "."))
    if other is not None and is_revision(text, cwd):
        return Side(text, Path(other))
    raise SpecError("file-missing", f"{text}: no such file, directory or git revision")


def documents(side: Side, cwd: Path, scratch: Path) -> tuple[list[Document], bool]:
    """The API documents of `side` and whether it named a directory."""
    if side.revision is None:
        if side.path.is_dir():
            found = [
                Document(p.name, p, display_path(p))
                for p in sorted(side.path.iterdir())
                if p.is_file() and p.suffix.lower() in SPEC_SUFFIXES and is_api_document(p)
            ]
            return found, True
        if not side.path.exists():
            raise SpecError("file-missing", f"{side.path}: no such file or directory")
        return [Document(side.path.name, side.path, display_path(side.path))], False
    tree = RevisionTree(side.revision, cwd, scratch / _safe(side.revision))
    repo_path = tree.repo_path(side.path)
    if not tree.is_dir(repo_path):
        path = tree.file(repo_path)
        return [Document(path.name, path, f"{side.revision}:{repo_path}", tree.display)], False
    found = []
    for entry in tree.list_dir(repo_path):
        if Path(entry).suffix.lower() in SPEC_SUFFIXES and not tree.is_dir(entry):
            path = tree.file(entry)
            if is_api_document(path):
                found.append(Document(path.name, path, f"{side.revision}:{entry}", tree.display))
    return sorted(found, key=lambda d: d.name), True


def _safe(revision: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in revision) or "rev"


def pair(
    old: list[Document], new: list[Document], directories: bool
) -> list[tuple[str, Document | None, Document | None]]:
    """Match the documents by file name (two single files are compared whatever their names)."""
    if not directories and len(old) == 1 and len(new) == 1:
        return [(new[0].name, old[0], new[0])]
    by_old = {d.name: d for d in old}
    by_new = {d.name: d for d in new}
    return [(name, by_old.get(name), by_new.get(name)) for name in sorted(by_old | by_new)]
