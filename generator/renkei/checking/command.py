"""`renkei check`: validate documents and apply the rules; exit 0 clean, 1 errors, 2 usage.

`check_paths` is the one validation `renkei generate` runs too: same findings, same wording."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from renkei.checking.checker import check_document
from renkei.checking.discovery import discover
from renkei.checking.findings import Finding, Severity
from renkei.checking.output import render_json, render_text
from renkei.checking.settings import ConfigError, apply_settings, find_settings
from renkei.loading.text import Language


def check_paths(documents: Sequence[Path], *, lenient: bool = False) -> list[Finding]:
    """All findings of `documents` after each one's configuration (`[tool.renkei]` / renkei.toml) is
    applied, sorted, each reported once (a shared component file's finding would otherwise repeat once per
    document that references it). `lenient` (or `lenient = true` in the document's configuration): the
    repairs of `renkei.loading.lenient` are applied first, each a `lenient-repair` warning. Raises
    ConfigError for a configuration that cannot be used."""
    unique: dict[tuple[object, ...], Finding] = {}
    for document in documents:
        config = find_settings(document)
        found = check_document(document, lenient=lenient or config.settings.lenient)
        for finding in apply_settings(found, config):
            unique.setdefault(finding.identity(), finding)
    return sorted(unique.values(), key=Finding.sort_key)


def run_check(
    paths: list[Path], output_format: str, language: Language = "en", *, lenient: bool = False
) -> int:
    documents, problems = discover(paths)
    if problems or not documents:
        for problem in problems or ["no documents to check"]:
            print(f"renkei check: {problem}", file=sys.stderr)
        return 2
    try:
        findings = check_paths(documents, lenient=lenient)
    except ConfigError as error:
        print(f"renkei check: {error}", file=sys.stderr)
        return 2
    if output_format == "json":
        render_json(findings, sys.stdout, language)
    elif output_format == "sarif":
        from renkei.checking.sarif import render_sarif

        render_sarif(findings, sys.stdout, language)
    else:
        render_text(findings, len(documents), sys.stdout, language)
    return 1 if any(finding.severity is Severity.ERROR for finding in findings) else 0
