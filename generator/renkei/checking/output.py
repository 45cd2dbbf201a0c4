"""Rendering findings: one line each (coloured on a terminal) plus a summary, or a JSON array."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import TextIO

from rich.console import Console
from rich.markup import escape

from renkei.checking.findings import Finding, Severity


def render_json(findings: Sequence[Finding], stream: TextIO) -> None:
    json.dump([finding.to_json() for finding in findings], stream, ensure_ascii=False, indent=2)
    stream.write("\n")


def _line(finding: Finding) -> str:
    where = f"{finding.location}: " if finding.location else ""
    return f"{where}{finding.severity.value} [{finding.rule}] {finding.message}"


def summary(findings: Sequence[Finding], documents: int) -> str:
    errors = sum(1 for finding in findings if finding.severity is Severity.ERROR)
    warnings = len(findings) - errors
    noun = "document" if documents == 1 else "documents"
    plural = {1: ""}
    return (
        f"{errors} error{plural.get(errors, 's')}, {warnings} warning{plural.get(warnings, 's')}"
        f" in {documents} {noun}"
    )


def render_text(findings: Sequence[Finding], documents: int, stream: TextIO) -> None:
    """Plain lines when piped; rich colours on a terminal."""
    if not stream.isatty():
        for finding in findings:
            stream.write(_line(finding) + "\n")
        stream.write(summary(findings, documents) + "\n")
        return
    console = Console(file=stream, highlight=False, soft_wrap=True)
    for finding in findings:
        colour = "red" if finding.severity is Severity.ERROR else "yellow"
        where = f"[bold]{escape(str(finding.location))}[/bold]: " if finding.location else ""
        console.print(
            f"{where}[{colour}]{finding.severity.value}[/{colour}] [cyan]\\[{escape(finding.rule)}][/cyan] "
            f"{escape(finding.message)}"
        )
    style = "red" if any(f.severity is Severity.ERROR for f in findings) else "green"
    console.print(f"[{style}]{escape(summary(findings, documents))}[/{style}]")


def default_stream() -> TextIO:
    return sys.stdout
