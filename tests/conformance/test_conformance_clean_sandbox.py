"""The correct sandbox passes: no failing check on any of the three APIs."""

from __future__ import annotations

import pytest
from conformance_support import describe, run_on_sandbox

from renkei.conformance.fuzzing import PHASES
from renkei.conformance.results import Outcome


def test_correct_sandbox_has_no_failures() -> None:
    summary = run_on_sandbox(["bank-inquiry", "bank-transfer", "card"], max_examples=3, phases=PHASES)
    checks = {(r.suite, r.check) for r in summary.results if r.outcome is Outcome.passed}
    for expected in (
        "interaction-id",
        "error-body",
        "pagination",
        "idempotency",
        "isolation",
        "rfc6750-challenge",
    ):
        assert ("standard", expected) in checks, f"standard check {expected} never passed (skipped?)"
    assert ("schemathesis", "response_schema_conformance") in checks
    assert summary.test_cases > 100
    assert summary.cases_by_phase.get("stateful", 0) > 0, "no stateful scenario ran along the spec's links"
    # The seeded data has no transfers; one fuzzing pass may create fewer than two to page through.
    skipped = [
        r
        for r in summary.results
        if r.outcome is Outcome.skipped and (r.operation, r.check) != ("listTransfers", "pagination")
    ]
    assert not skipped, [(r.api, r.operation, r.check, r.message) for r in skipped]
    assert not summary.failures, describe(summary.failures)


@pytest.mark.slow
def test_default_budget_passes_within_two_minutes() -> None:
    """What `make conformance` runs (default budget), timed."""
    from pathlib import Path

    from rich.console import Console

    from renkei.conformance.command import DEFAULT_MAX_EXAMPLES, DEFAULT_SPECS, DEFAULT_TIME_LIMIT
    from renkei.conformance.runner import Access, execute_run

    repo = Path(__file__).resolve().parents[2]
    summary, _ = execute_run(
        [repo / spec for spec in DEFAULT_SPECS],
        Access(None, sandbox=True),
        DEFAULT_MAX_EXAMPLES,
        DEFAULT_TIME_LIMIT,
        None,
        Console(quiet=True),
    )
    assert not summary.failures, describe(summary.failures)
    assert summary.seconds < 120
