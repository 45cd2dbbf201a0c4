"""Rendering findings: one line each (coloured on a terminal) plus a summary, or a JSON array."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TextIO

from rich.console import Console
from rich.markup import escape

from renkei.checking.findings import Finding, Severity
from renkei.loading.text import Language


def render_json(findings: Sequence[Finding], stream: TextIO, language: Language = "en") -> None:
    json.dump([finding.to_json(language) for finding in findings], stream, ensure_ascii=False, indent=2)
    stream.write("\n")


def summary(findings: Sequence[Finding], documents: int, language: Language = "en") -> str:
    errors = sum(1 for finding in findings if finding.severity is Severity.ERROR)
    warnings = len(findings) - errors
    if language == "ja":
        return f"エラー {errors} 件、警告 {warnings} 件 ({documents} 文書)"
    noun = "document" if documents == 1 else "documents"
    plural = {1: ""}
    return (
        f"{errors} error{plural.get(errors, 's')}, {warnings} warning{plural.get(warnings, 's')}"
        f" in {documents} {noun}"
    )


def render_text(
    findings: Sequence[Finding], documents: int, stream: TextIO, language: Language = "en"
) -> None:
    """Plain lines when piped; rich colours on a terminal."""
    if not stream.isatty():
        for finding in findings:
            stream.write(finding.line(language) + "\n")
        stream.write(summary(findings, documents, language) + "\n")
        return
    console = Console(file=stream, highlight=False, soft_wrap=True)
    for finding in findings:
        colour = "red" if finding.severity is Severity.ERROR else "yellow"
        where = f"[bold]{escape(str(finding.location))}[/bold]: " if finding.location else ""
        console.print(
            f"{where}[{colour}]{finding.severity.value}[/{colour}] [cyan]\\[{escape(finding.rule)}][/cyan] "
            f"{escape(finding.text.get(language))}"
        )
    style = "red" if any(f.severity is Severity.ERROR for f in findings) else "green"
    console.print(f"[{style}]{escape(summary(findings, documents, language))}[/{style}]")
