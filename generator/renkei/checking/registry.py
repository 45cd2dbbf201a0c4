"""The rules: each a small named unit with an id, a severity, a description and a check."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from renkei.checking.document import Document, Pointer
from renkei.checking.findings import Severity
from renkei.loading.text import Text

# A check yields (where in the bundled document, what is wrong).
Check = Callable[[Document], Iterable[tuple[Pointer, str | Text]]]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    description: Text
    check: Check
    group: str = "guideline"
    """`guideline` (the standard's conventions) or `semantic` (what makes a document wrong for every
    reader: examples that contradict their schemas, links to nothing). Configuration can name a group."""


RULES: dict[str, Rule] = {}


def rule(
    rule_id: str,
    severity: Severity,
    description: str | Text,
    *,
    ja: str | None = None,
    group: str = "guideline",
) -> Callable[[Check], Check]:
    """Register `check` as the rule `rule_id` (decorator); `description` in English with `ja` its
    Japanese, or a `Text`."""

    def register(check: Check) -> Check:
        if rule_id in RULES:
            raise ValueError(f"rule {rule_id} registered twice")
        text = Text(str(description), ja) if ja is not None else Text.of(description)
        RULES[rule_id] = Rule(rule_id, severity, text, check, group)
        return check

    return register
