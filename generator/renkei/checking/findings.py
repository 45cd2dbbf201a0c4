"""A finding: one rule violated at one place."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from renkei.loading import SourceLocation
from renkei.loading.errors import display_path
from renkei.loading.text import Language, Text

LENIENT_RULE = "lenient-repair"
"""The rule id of a repair `--lenient` applied: a warning the user asked for, so it never refuses."""


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    location: SourceLocation | None
    text: Text

    @property
    def message(self) -> str:
        """The message in English."""
        return self.text.en

    def identity(self) -> tuple[object, ...]:
        """Two findings with the same identity are one (a shared file's finding seen by many documents)."""
        return (self.rule, self.location, self.text.en)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        if self.location is None:
            return ("", 0, 0, self.rule, self.message)
        return (str(self.location.file), self.location.line, self.location.column, self.rule, self.message)

    def line(self, language: Language = "en") -> str:
        """`file:line:column: severity [rule] message`: the one wording of `check` and `generate`."""
        where = f"{self.location}: " if self.location else ""
        return f"{where}{self.severity.value} [{self.rule}] {self.text.get(language)}"

    def to_json(self, language: Language = "en") -> dict[str, Any]:
        location = self.location
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "file": display_path(location.file) if location else None,
            "line": location.line if location else None,
            "column": location.column if location else None,
            "message": self.text.get(language),
        }
