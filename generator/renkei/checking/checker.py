"""Check one document: load and bundle it, validate its structure, apply the rules.

Every independent mistake is reported in one run: a bad `$ref` is one finding and the rest of the document
is still validated; findings inside the reference object that could not be followed are consequences of
that one mistake and are not reported again.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from renkei.checking.document import Document, Pointer
from renkei.checking.findings import LENIENT_RULE, Finding, Severity
from renkei.checking.rules import all_rules
from renkei.checking.structure import RULE as STRUCTURE_RULE
from renkei.checking.structure import validate_structure
from renkei.loading import LoadedSpec, SpecError, load_spec
from renkei.loading.text import Text


def _located(
    spec: LoadedSpec, rule: str, severity: Severity, found: Iterable[tuple[Pointer, str | Text]]
) -> list[Finding]:
    return [
        Finding(rule, severity, spec.locate(pointer), Text.of(message))
        for pointer, message in found
        if not spec.through_unresolved(pointer)
    ]


def _repairs(spec: LoadedSpec) -> list[Finding]:
    from renkei.loading.lenient import repair

    return [Finding(LENIENT_RULE, Severity.WARNING, done.location, done.text) for done in repair(spec)]


def check_document(path: Path, *, lenient: bool = False) -> list[Finding]:
    """Every finding for the document at `path`, each at the source position of the node that is wrong.
    `lenient`: the structural flaws with one obvious repair are repaired first, each one reported."""
    try:
        spec = load_spec(path, tolerant=True)
    except SpecError as error:
        return [Finding(error.rule, Severity.ERROR, error.location, error.text)]
    findings = [Finding(error.rule, Severity.ERROR, error.location, error.text) for error in spec.problems]
    if lenient:
        findings += _repairs(spec)
    try:
        findings += _located(spec, STRUCTURE_RULE, Severity.ERROR, validate_structure(spec))
    except RecursionError:
        message = Text(
            "the document is nested too deeply to validate", "文書の入れ子が深すぎて検証できません"
        )
        findings.append(Finding(STRUCTURE_RULE, Severity.ERROR, spec.locate([]), message))
    document = Document(spec)
    for rule in all_rules():
        try:
            findings += _located(spec, rule.id, rule.severity, rule.check(document))
        except Exception as error:  # a rule must never turn a bad document into a traceback
            message = Text.of(f"rule failed: {type(error).__name__}: {error}")
            findings.append(Finding(rule.id, Severity.ERROR, spec.locate([]), message))
    return findings
