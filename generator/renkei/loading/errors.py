"""Where a node came from, and the one exception every load failure becomes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from renkei.loading.text import Text


def display_path(path: Path) -> str:
    """`path` relative to the current directory when it lies below it, else as given."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


@dataclass(frozen=True)
class SourceLocation:
    """A position in a spec file; `line` and `column` are 1-based."""

    file: Path
    line: int
    column: int

    def __str__(self) -> str:
        return f"{display_path(self.file)}:{self.line}:{self.column}"


class SpecError(Exception):
    """A spec that cannot be loaded: broken YAML, a missing file, a bad or cyclic `$ref`, ...

    `rule` names the kind of failure (e.g. "yaml-syntax", "file-missing", "ref-unresolvable", "ref-cycle"),
    `message` is one line without a traceback (English; `text` has it in both languages), `location` where
    it happened when known.
    """

    def __init__(self, rule: str, message: str | Text, location: SourceLocation | None = None) -> None:
        self.rule = rule
        self.text = Text.of(message)
        self.message = self.text.en
        self.location = location
        super().__init__(f"{location}: {self.message}" if location else self.message)
