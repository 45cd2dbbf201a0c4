"""`renkei check`: validate documents and apply the guideline rules; exit 0 clean, 1 errors, 2 usage."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from renkei.checking.checker import check_document
from renkei.checking.discovery import discover
from renkei.checking.findings import Finding, Severity
from renkei.checking.output import render_json, render_text


def check_paths(documents: Sequence[Path]) -> list[Finding]:
    """All findings of `documents`, sorted, each reported once (a shared component file's finding
    would otherwise repeat once per document that references it)."""
    unique: dict[tuple[object, ...], Finding] = {}
    for document in documents:
        for finding in check_document(document):
            unique.setdefault((finding.rule, finding.location, finding.message), finding)
    return sorted(unique.values(), key=Finding.sort_key)


def run_check(paths: list[Path], output_format: str) -> int:
    documents, problems = discover(paths)
    if problems or not documents:
        for problem in problems or ["no documents to check"]:
            print(f"renkei check: {problem}", file=sys.stderr)
        return 2
    findings = check_paths(documents)
    if output_format == "json":
        render_json(findings, sys.stdout)
    else:
        render_text(findings, len(documents), sys.stdout)
    return 1 if any(finding.severity is Severity.ERROR for finding in findings) else 0
