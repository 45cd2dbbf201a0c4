"""The summary table on the terminal: per API and check, how many operations passed, failed, were skipped."""

from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.table import Table

from renkei.conformance.results import Outcome, RunSummary


def print_summary(console: Console, summary: RunSummary) -> None:
    counts: Counter[tuple[str, str, str, Outcome]] = Counter(
        (r.api, r.suite, r.check, r.outcome) for r in summary.results
    )
    rows = sorted({(api, suite, check) for api, suite, check, _ in counts})
    table = Table(title="renkei conformance", show_lines=False)
    for column in ("API", "suite", "check", "passed", "failed", "skipped"):
        numeric = column in {"passed", "failed", "skipped"}
        table.add_column(column, justify="right" if numeric else "left", overflow="fold")
    for api, suite, check in rows:
        failed = counts[(api, suite, check, Outcome.failed)]
        table.add_row(
            api,
            suite,
            check,
            str(counts[(api, suite, check, Outcome.passed)]),
            f"[bold red]{failed}[/]" if failed else "0",
            str(counts[(api, suite, check, Outcome.skipped)]),
        )
    console.print(table)
    for result in summary.failures:
        first = result.message.splitlines()[0] if result.message else ""
        console.print(
            f"[red]FAIL[/] {result.api} {result.operation} {result.check}: {first}", highlight=False
        )
    phases = ", ".join(f"{phase} {count}" for phase, count in summary.cases_by_phase.items())
    if phases:
        console.print(f"test cases by phase: {phases}", highlight=False)
    for note in summary.notes:
        console.print(note, highlight=False)
    rate = summary.cases_per_second
    console.print(
        f"{summary.test_cases} schemathesis test cases in {summary.fuzz_seconds:.1f} s ({rate:.1f}/s); "
        f"{len(summary.failures)} failing checks; {summary.seconds:.1f} s in all",
        highlight=False,
    )
