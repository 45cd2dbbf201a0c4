"""Check one document: load and bundle it, validate it, apply the guideline rules."""

from __future__ import annotations

from pathlib import Path

from renkei.checking.document import Document
from renkei.checking.findings import Finding, Severity
from renkei.checking.rules import all_rules
from renkei.checking.validation import validate
from renkei.loading import SpecError, load_spec


def check_document(path: Path) -> list[Finding]:
    """Every finding for the document at `path` (a load failure is one error finding)."""
    try:
        spec = load_spec(path)
    except SpecError as error:
        return [Finding(error.rule, Severity.ERROR, error.location, error.message)]
    findings = list(validate(spec))
    document = Document(spec)
    for rule in all_rules():
        try:
            for pointer, message in rule.check(document):
                findings.append(Finding(rule.id, rule.severity, spec.locate(pointer), message))
        except Exception as error:  # a rule must never turn a bad document into a traceback
            findings.append(
                Finding(
                    rule.id, Severity.ERROR, spec.locate([]), f"rule failed: {type(error).__name__}: {error}"
                )
            )
    return findings
