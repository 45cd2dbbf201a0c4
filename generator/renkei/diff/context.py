"""The state of one comparison: both versions and the changes found so far."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from renkei.diff.changes import Change, Severity
from renkei.diff.nodes import Node
from renkei.diff.versions import Version

Side = Literal["old", "new"]


@dataclass
class Context:
    old: Version
    new: Version
    api: str = ""
    changes: list[Change] = field(default_factory=list)

    def emit(
        self,
        kind: str,
        severity: Severity,
        message: str,
        operation: str | None,
        node: Node | None,
        side: Side = "new",
    ) -> None:
        """Record a change located at `node` of the `side` version (OLD for removals)."""
        version = self.old if side == "old" else self.new
        where = version.where(node.tokens) if node is not None else None
        self.changes.append(
            Change(
                kind=kind,
                severity=severity,
                message=message,
                operations=(operation,) if operation else (),
                pointer=node.pointer if node is not None else "",
                file=where[0] if where else None,
                line=where[1] if where else None,
                side=side,
                api=self.api,
            )
        )
