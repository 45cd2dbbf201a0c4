"""`renkei check --format sarif`: a SARIF 2.1.0 log for code-review tools (one run, every rule of the
catalogue in `tool.driver.rules`, one result per finding with its file, line and column)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, TextIO

from renkei.checking.catalogue import catalogue
from renkei.checking.findings import Finding, Severity
from renkei.loading.text import Language

__all__ = ["SARIF_SCHEMA", "render_sarif", "sarif_log"]

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
_BASE = "SRCROOT"


def _version() -> str:
    try:
        return version("renkei")
    except PackageNotFoundError:
        return "0"


def _uri(path: Path, root: Path) -> tuple[str, bool]:
    """(uri, relative to the root) for a finding's file."""
    try:
        return path.resolve().relative_to(root).as_posix(), True
    except ValueError:
        return path.resolve().as_uri(), False


def sarif_log(
    findings: Sequence[Finding], language: Language = "en", root: Path | None = None
) -> dict[str, Any]:
    base = (root or Path.cwd()).resolve()
    entries = catalogue()
    index = {entry.id: number for number, entry in enumerate(entries)}
    rules = [
        {
            "id": entry.id,
            "shortDescription": {"text": entry.description.get(language)},
            "fullDescription": {"text": f"{entry.description.en} / {entry.description.ja}"},
            "defaultConfiguration": {"level": entry.severity.value},
            "properties": {"group": entry.group},
        }
        for entry in entries
    ]
    results = []
    for finding in findings:
        result: dict[str, Any] = {
            "ruleId": finding.rule,
            "level": "error" if finding.severity is Severity.ERROR else "warning",
            "message": {"text": finding.text.get(language)},
        }
        if finding.rule in index:
            result["ruleIndex"] = index[finding.rule]
        if finding.location is not None:
            uri, relative = _uri(finding.location.file, base)
            artifact: dict[str, Any] = {"uri": uri}
            if relative:
                artifact["uriBaseId"] = _BASE
            result["locations"] = [
                {
                    "physicalLocation": {
                        "artifactLocation": artifact,
                        "region": {
                            "startLine": finding.location.line,
                            "startColumn": finding.location.column,
                        },
                    }
                }
            ]
        results.append(result)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "renkei", "version": _version(), "rules": rules}},
                "originalUriBaseIds": {_BASE: {"uri": base.as_uri() + "/"}},
                "language": language,
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def render_sarif(findings: Sequence[Finding], stream: TextIO, language: Language = "en") -> None:
    json.dump(sarif_log(findings, language), stream, ensure_ascii=False, indent=2)
    stream.write("\n")
