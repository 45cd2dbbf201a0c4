"""Files at a git revision: `git show REV:path` for the document and every file its `$ref`s reach, written
to a temporary directory with the repository's layout, so the loader resolves refs as at that revision."""

from __future__ import annotations

import posixpath
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml

from renkei.loading import SpecError

_Loader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _git(cwd: Path, *args: str) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    except OSError as error:
        raise SpecError("git-failed", f"cannot run git: {error}") from None
    if done.returncode != 0:
        message = (
            done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"git {' '.join(args)} failed"
        )
        raise SpecError("git-failed", message)
    return done.stdout


def is_revision(text: str, cwd: Path) -> bool:
    """`text` names a commit of the repository around `cwd`."""
    try:
        _git(cwd, "rev-parse", "--verify", "--quiet", f"{text}^{{commit}}")
    except SpecError:
        return False
    return True


def _refs(data: Any) -> Iterator[str]:
    """Every `$ref` string of a parsed file (literal data such as examples included: a stray file
    fetched for nothing is harmless)."""
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                yield ref
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


class RevisionTree:
    """The files of one revision, materialized on demand under `root` (a temporary directory)."""

    def __init__(self, revision: str, cwd: Path, root: Path) -> None:
        self.revision = revision
        self.cwd = cwd
        self.top = Path(_git(cwd, "rev-parse", "--show-toplevel").strip())
        self.root = root
        self.written: set[str] = set()

    def repo_path(self, path: Path) -> str:
        """`path` (relative to the current directory, or absolute) as a path in the repository."""
        absolute = path if path.is_absolute() else (self.cwd / path)
        relative = Path(posixpath.normpath(absolute.as_posix())).relative_to(self.top.resolve())
        return relative.as_posix()

    def is_dir(self, repo_path: str) -> bool:
        kind = _git(self.cwd, "cat-file", "-t", f"{self.revision}:{repo_path or '.'}").strip()
        return kind == "tree"

    def list_dir(self, repo_path: str) -> list[str]:
        listing = _git(self.cwd, "ls-tree", "--name-only", self.revision, "--", f"{repo_path.rstrip('/')}/")
        return [line for line in listing.splitlines() if line]

    def file(self, repo_path: str) -> Path:
        """Write `repo_path` and every file its `$ref`s reach (at this revision); return where it is."""
        pending = [repo_path]
        while pending:
            current = pending.pop()
            if current in self.written:
                continue
            try:
                text = _git(self.top, "show", f"{self.revision}:{current}")
            except SpecError:
                if current == repo_path:
                    raise
                continue  # a broken $ref: the loader reports it where it is written
            target = self.root / current
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            self.written.add(current)
            try:
                data = yaml.load(text, Loader=_Loader)
            except yaml.YAMLError:
                continue  # the loader reports it, with its position
            for ref in _refs(data):
                parts = urlsplit(ref)
                if parts.scheme or parts.netloc or not parts.path:
                    continue
                referenced = posixpath.normpath(
                    posixpath.join(posixpath.dirname(current), unquote(parts.path))
                )
                if not referenced.startswith("../") and referenced not in self.written:
                    pending.append(referenced)
        return self.root / repo_path

    def display(self, path: Path) -> str:
        """A materialized file as `REV:path`."""
        try:
            return f"{self.revision}:{path.relative_to(self.root).as_posix()}"
        except ValueError:
            return str(path)
