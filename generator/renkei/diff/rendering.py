"""The report: text (rich), JSON, or Markdown for a changelog."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import IO

from rich.console import Console
from rich.markup import escape

from renkei.diff.changes import Change, Severity
from renkei.diff.comparing import ApiDiff

_HEADINGS = {
    Severity.BREAKING: "Breaking changes",
    Severity.COMPATIBLE: "Compatible changes",
    Severity.INFO: "Documentation changes",
}
_STYLES = {Severity.BREAKING: "bold red", Severity.COMPATIBLE: "green", Severity.INFO: "dim"}
_MARKS = {Severity.BREAKING: "✗", Severity.COMPATIBLE: "+", Severity.INFO: "·"}


def _title(diff: ApiDiff) -> str:
    old = diff.old.label if diff.old else "(none)"
    new = diff.new.label if diff.new else "(none)"
    return f"{diff.api}: {old} → {new}"


def _counts(diffs: Sequence[ApiDiff]) -> dict[str, int]:
    counts = {severity.value: 0 for severity in Severity}
    for diff in diffs:
        for change in diff.changes:
            counts[change.severity.value] += 1
    return counts


def _affected(change: Change) -> str:
    """`in GET /a, POST /b` when the message does not already start with its operation."""
    shown = [o for o in change.operations if not change.message.startswith(o)]
    return f" (in {', '.join(shown)})" if shown else ""


def _where(change: Change) -> str:
    parts = [part for part in (change.location, change.pointer) if part]
    return " ".join(parts)


def render_text(diffs: Sequence[ApiDiff], stream: IO[str]) -> None:
    console = Console(file=stream, highlight=False, soft_wrap=True)
    for diff in diffs:
        console.print(f"[bold]{escape(_title(diff))}[/bold]")
        if not diff.changes:
            console.print("  no changes")
        for severity in Severity:
            selected = [c for c in diff.changes if c.severity is severity]
            if not selected:
                continue
            console.print(f"  [{_STYLES[severity]}]{_HEADINGS[severity]} ({len(selected)})[/]")
            for change in selected:
                text = escape(change.message + _affected(change))
                console.print(
                    f"    [{_STYLES[severity]}]{_MARKS[severity]}[/] {text} "
                    f"[dim]\\[{change.kind}] {escape(_where(change))}[/dim]"
                )
        if diff.verdict is not None:
            style = "green" if diff.verdict.sufficient else ("bold red" if not diff.verdict.ok else "yellow")
            console.print(f"  [{style}]{escape(diff.verdict.describe())}[/]")
        console.print()
    counts = _counts(diffs)
    failed = sum(1 for diff in diffs if not diff.ok)
    console.print(
        f"{len(diffs)} API(s): {counts['breaking']} breaking, {counts['compatible']} compatible, "
        f"{counts['info']} documentation change(s); "
        + (f"[bold red]{failed} need a major version bump[/]" if failed else "[green]versions ok[/]")
    )


def render_json(diffs: Sequence[ApiDiff], stream: IO[str]) -> None:
    document = {
        "ok": all(diff.ok for diff in diffs),
        "summary": _counts(diffs),
        "apis": [
            {
                "api": diff.api,
                "old": diff.old.label if diff.old else None,
                "new": diff.new.label if diff.new else None,
                "verdict": diff.verdict.as_json() if diff.verdict else None,
                "changes": [change.as_json() for change in diff.changes],
            }
            for diff in diffs
        ],
    }
    json.dump(document, stream, ensure_ascii=False, indent=2)
    stream.write("\n")


def _markdown_line(change: Change) -> str:
    where = f" (`{change.file}:{change.line}`)" if change.file else ""
    return f"- {change.message}{_affected(change)} — `{change.kind}`{where}"


def render_markdown(diffs: Sequence[ApiDiff], stream: IO[str]) -> None:
    for diff in diffs:
        versions = ""
        if diff.verdict is not None:
            versions = f" {diff.verdict.old_version} → {diff.verdict.new_version}"
        stream.write(f"## {diff.api}{versions}\n\n")
        if not diff.changes:
            stream.write("No changes.\n\n")
        for severity in Severity:
            selected = [c for c in diff.changes if c.severity is severity]
            if selected:
                stream.write(f"### {_HEADINGS[severity]}\n\n")
                stream.writelines(_markdown_line(change) + "\n" for change in selected)
                stream.write("\n")
        if diff.verdict is not None:
            stream.write(f"**Version:** {diff.verdict.describe()}\n\n")
