"""Run the conformance suite in-process against a fresh `--sandbox`, optionally with injected faults."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from renkei.conformance.results import CheckResult, RunSummary
from renkei.conformance.runner import Access, execute_run

REPO = Path(__file__).resolve().parents[2]
SPECS = {name: REPO / "spec" / f"{name}.yaml" for name in ("bank-inquiry", "bank-transfer", "card")}
QUICK_PHASES = ("examples", "coverage", "fuzzing")


def run_on_sandbox(
    apis: list[str], max_examples: int = 3, phases: tuple[str, ...] = QUICK_PHASES, seed: int = 1
) -> RunSummary:
    """One pass of `phases` (no time budget) plus every standard check, quietly; `seed` seeds both the
    sandbox's data and schemathesis."""
    summary, _ = execute_run(
        [SPECS[name] for name in apis],
        Access(base_url=None, sandbox=True, sandbox_seed=seed),
        max_examples,
        None,
        seed,
        Console(quiet=True),
        phases,
    )
    return summary


def run_fapi_on_sandbox(seed: int = 1) -> RunSummary:
    """The FAPI 2.0 group against a fresh sandbox in the FAPI profile (RENKEI_SANDBOX_FAULTS applies)."""
    summary, _ = execute_run(
        list(SPECS.values()),
        Access(base_url=None, sandbox=True, sandbox_seed=seed, group="fapi"),
        1,
        None,
        seed,
        Console(quiet=True),
    )
    return summary


def describe(failures: list[CheckResult]) -> str:
    return "\n".join(
        f"{r.api} {r.operation} {r.suite}:{r.check}: {r.message.splitlines()[0]}" for r in failures
    )
