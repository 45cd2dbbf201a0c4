"""What a conformance run found: one outcome per (operation, check) and per failing example."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

EXIT_PROVIDER_STOPPED = 3
"""The provider crashed or disconnected mid-run (reports are still written with what ran)."""


class Outcome(StrEnum):
    passed = "passed"
    failed = "failed"
    skipped = "skipped"


@dataclass(frozen=True)
class Evidence:
    """The request that showed a failure (as curl, credentials masked) and the response it got."""

    curl: str
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: str = ""


@dataclass(frozen=True)
class CheckResult:
    """One check on one operation of one API. `suite` is `schemathesis` or `standard`."""

    api: str
    operation: str
    check: str
    suite: str
    outcome: Outcome
    message: str = ""
    evidence: tuple[Evidence, ...] = ()

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.api, self.operation, self.check)


@dataclass
class RunSummary:
    """Everything one run produced, for the terminal table and the reports."""

    results: list[CheckResult] = field(default_factory=list)
    test_cases: int = 0
    cases_by_phase: dict[str, int] = field(default_factory=dict)
    """schemathesis test cases per phase (examples, coverage, fuzzing, stateful)."""
    seconds: float = 0.0
    fuzz_seconds: float = 0.0
    """Time spent inside schemathesis (the test-case rate is measured against it)."""
    notes: list[str] = field(default_factory=list)
    provider_stopped: str | None = None
    """Set when the provider stopped answering mid-run: what ran is reported, the exit code is 3."""

    @property
    def failures(self) -> list[CheckResult]:
        return [r for r in self.results if r.outcome is Outcome.failed]

    @property
    def exit_code(self) -> int:
        if self.provider_stopped is not None:
            return EXIT_PROVIDER_STOPPED
        return 1 if self.failures else 0

    @property
    def cases_per_second(self) -> float:
        return self.test_cases / self.fuzz_seconds if self.fuzz_seconds > 0 else 0.0
