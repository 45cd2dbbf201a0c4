"""The standard's guideline rules; importing this package registers them (see docs/rules.md)."""

from collections.abc import Iterator

from renkei.checking.registry import RULES, Rule
from renkei.checking.rules import (
    amounts,
    codes,
    error_codes,
    examples,
    links,
    operations,
    responses,
    schemas,
    versioning,
)

__all__ = [
    "all_rules",
    "amounts",
    "codes",
    "error_codes",
    "examples",
    "links",
    "operations",
    "responses",
    "schemas",
    "versioning",
]


def all_rules() -> Iterator[Rule]:
    """Every guideline rule, in registration order (importing the rule modules above registered them)."""
    yield from RULES.values()
