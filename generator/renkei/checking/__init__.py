"""`renkei check`: OpenAPI validation plus the standard's guideline rules (docs/rules.md)."""

from renkei.checking.checker import check_document
from renkei.checking.findings import Finding, Severity
from renkei.checking.registry import RULES, Rule
from renkei.checking.rules import all_rules

__all__ = ["RULES", "Finding", "Rule", "Severity", "all_rules", "check_document"]
