"""A finding: one rule violated at one place."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from renkei.loading import SourceLocation
from renkei.loading.errors import display_path


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    location: SourceLocation | None
    message: str

    def sort_key(self) -> tuple[str, int, int, str, str]:
        if self.location is None:
            return ("", 0, 0, self.rule, self.message)
        return (str(self.location.file), self.location.line, self.location.column, self.rule, self.message)

    def to_json(self) -> dict[str, Any]:
        location = self.location
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "file": display_path(location.file) if location else None,
            "line": location.line if location else None,
            "column": location.column if location else None,
            "message": self.message,
        }
