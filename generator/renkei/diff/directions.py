"""Who validates what: narrowing a request breaks clients, widening a response breaks clients."""

from __future__ import annotations

from typing import Literal

from renkei.diff.changes import Severity

Direction = Literal["request", "response"]
Effect = Literal["narrowed", "widened", "changed"]


def severity_of(direction: Direction, effect: Effect) -> Severity:
    """A narrowed request rejects what clients send; a widened response sends what clients reject; a
    change that is neither (a different format, type or pattern) can do both."""
    if effect == "changed":
        return Severity.BREAKING
    if direction == "request":
        return Severity.BREAKING if effect == "narrowed" else Severity.COMPATIBLE
    return Severity.BREAKING if effect == "widened" else Severity.COMPATIBLE
