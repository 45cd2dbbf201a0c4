"""One classified change between two versions of a document."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    """breaking: an existing client or provider stops working; compatible: an addition or a widening
    that existing parties can ignore; info: documentation only."""

    BREAKING = "breaking"
    COMPATIBLE = "compatible"
    INFO = "info"


_ORDER = {Severity.BREAKING: 0, Severity.COMPATIBLE: 1, Severity.INFO: 2}


@dataclass(frozen=True)
class Change:
    """`kind` is a stable identifier (`response-property-removed`); `operations` the operations it
    affects (`GET /accounts`; none for a document-wide change); `pointer` the JSON pointer of the node in
    the `side` version (OLD for a removal, else NEW), `file`/`line` where that node is written."""

    kind: str
    severity: Severity
    message: str
    operations: tuple[str, ...]
    pointer: str
    file: str | None
    line: int | None
    side: str = "new"
    api: str = ""
    """The API's file name (`bank-inquiry.yaml`)."""

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}" if self.file else ""

    def sort_key(self) -> tuple[Any, ...]:
        return (_ORDER[self.severity], self.api, self.operations, self.pointer, self.kind, self.message)

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "severity": self.severity.value,
            "message": self.message,
            "api": self.api,
            "operations": list(self.operations),
            "pointer": self.pointer,
            "in": self.side,
            "file": self.file,
            "line": self.line,
        }


def merged(changes: Iterable[Change]) -> list[Change]:
    """One change per (kind, severity, message, pointer): a shared component's change found through several
    operations is listed once, naming all of them. Sorted, breaking first."""
    unique: dict[tuple[str, ...], Change] = {}
    for change in changes:
        key = (change.api, change.kind, change.severity.value, change.message, change.pointer, change.side)
        known = unique.get(key)
        if known is None:
            unique[key] = change
        else:
            operations = known.operations + tuple(o for o in change.operations if o not in known.operations)
            unique[key] = replace(known, operations=operations)
    return sorted(unique.values(), key=Change.sort_key)
