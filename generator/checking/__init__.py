"""`renkei check`: OpenAPI validation plus the standard's guideline rules (docs/rules.md)."""

from generator.checking.checker import check_document
from generator.checking.findings import Finding, Severity
from generator.checking.registry import RULES, Rule, all_rules

__all__ = ["RULES", "Finding", "Rule", "Severity", "all_rules", "check_document"]
