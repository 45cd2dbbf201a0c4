"""The guideline rules: each a small named unit with an id, a severity, a description and a check."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from renkei.checking.document import Document, Pointer
from renkei.checking.findings import Severity

# A check yields (where in the bundled document, what is wrong).
Check = Callable[[Document], Iterable[tuple[Pointer, str]]]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    description: str
    check: Check


RULES: dict[str, Rule] = {}


def rule(rule_id: str, severity: Severity, description: str) -> Callable[[Check], Check]:
    """Register `check` as the rule `rule_id` (decorator)."""

    def register(check: Check) -> Check:
        if rule_id in RULES:
            raise ValueError(f"rule {rule_id} registered twice")
        RULES[rule_id] = Rule(rule_id, severity, description, check)
        return check

    return register
