"""The correct sandbox passes: no failing check on any of the three APIs (no false alarm)."""

from __future__ import annotations

import os

import pytest
from conformance_support import describe, run_on_sandbox
from fault_expectations import EXPECTED

from renkei.conformance.fuzzing import PHASES
from renkei.conformance.local_sandbox import DATABASE_ENV
from renkei.conformance.results import Outcome, RunSummary

ALLOWED_SKIPS = {
    ("listTransfers", "pagination"),
    ("listTransfers", "pagination-limit"),
    ("listTransfers", "pagination-cursor"),
    ("listTransfers", "date-range-bounds"),
    ("listTransfers", "filter"),
    ("listTransfers", "sort-order"),
}
"""The seeded data has no transfers; the run makes a few (fewer than a date window needs)."""


def _assert_clean(summary: RunSummary) -> None:
    checks = {(r.suite, r.check) for r in summary.results if r.outcome is Outcome.passed}
    for expected in {check for _, check in EXPECTED.values()}:
        assert expected in checks, f"check {expected} never passed (skipped?)"
    skipped = [
        r
        for r in summary.results
        if r.outcome is Outcome.skipped and (r.operation, r.check) not in ALLOWED_SKIPS
    ]
    assert not skipped, [(r.api, r.operation, r.check, r.message) for r in skipped]
    assert not summary.failures, describe(summary.failures)


def test_correct_sandbox_has_no_failures() -> None:
    summary = run_on_sandbox(["bank-inquiry", "bank-transfer", "card"], max_examples=3, phases=PHASES)
    _assert_clean(summary)
    assert summary.test_cases > 100
    assert summary.cases_by_phase.get("stateful", 0) > 0, "no stateful scenario ran along the spec's links"


@pytest.mark.slow
@pytest.mark.parametrize(
    "database", ["sqlite", "postgresql"] if os.environ.get("RENKEI_TEST_POSTGRES_URL") else ["sqlite"]
)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_no_false_alarm_over_seeds_and_databases(
    seed: int, database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if database == "postgresql":
        monkeypatch.setenv(DATABASE_ENV, os.environ["RENKEI_TEST_POSTGRES_URL"])
    summary = run_on_sandbox(
        ["bank-inquiry", "bank-transfer", "card"], max_examples=3, phases=PHASES, seed=seed
    )
    _assert_clean(summary)


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
