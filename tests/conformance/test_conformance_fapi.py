"""The FAPI 2.0 group (`--group fapi`) against the sandbox in the FAPI profile: every FAPI fault is reported
by its check, and the correct sandbox raises no alarm.

Default run: two sandboxes, each with the faults of one half of the checks; the other half must pass there,
so that the two runs prove every check both ways. Slow: each fault alone, and the correct sandbox, over
3 seeds on SQLite and (RENKEI_TEST_POSTGRES_URL) PostgreSQL."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conformance_support import describe, run_fapi_on_sandbox
from fault_expectations import FAPI_EXPECTED

from renkei.conformance.fapi import authorization, refresh, resource
from renkei.conformance.fapi.context import SUITE
from renkei.conformance.local_sandbox import DATABASE_ENV
from renkei.conformance.results import Outcome, RunSummary
from renkei_sandbox.faults import ENV_VAR

CHECKS = {
    authorization.CHECK_PAR,
    authorization.CHECK_REQUEST_URI,
    authorization.CHECK_SECRET,
    *resource.CHECKS,
    refresh.CHECK,
}
APIS = {"bank-inquiry", "bank-transfer", "card"}
HALVES = (
    ("par-optional", "client-secret-accepted", "dpop-replay-accepted", "bearer-accepted",
     "refresh-reuse-undetected"),
    ("request-uri-reusable", "dpop-proof-optional", "dpop-key-unchecked", "dpop-htu-unchecked"),
)  # fmt: skip


def _by_outcome(summary: RunSummary, outcome: Outcome) -> set[str]:
    return {r.check for r in summary.results if r.outcome is outcome}


def test_every_fapi_check_has_a_fault() -> None:
    assert set(FAPI_EXPECTED.values()) == CHECKS
    assert {fault for half in HALVES for fault in half} == set(FAPI_EXPECTED)


@pytest.mark.parametrize("half", [0, 1])
def test_half_of_the_faults_caught_the_other_half_passes(half: int, monkeypatch: pytest.MonkeyPatch) -> None:
    faults = HALVES[half]
    monkeypatch.setenv(ENV_VAR, ",".join(faults))
    summary = run_fapi_on_sandbox()
    assert all(r.suite == SUITE for r in summary.results)
    expected = {FAPI_EXPECTED[fault] for fault in faults}
    assert _by_outcome(summary, Outcome.failed) == expected, describe(summary.failures)
    assert _by_outcome(summary, Outcome.passed) == CHECKS - expected, describe(summary.failures)
    assert not _by_outcome(summary, Outcome.skipped)
    resource_checks = [r for r in summary.failures if r.check in resource.CHECKS]
    assert {r.api for r in resource_checks} == (APIS if expected & set(resource.CHECKS) else set())
    assert all(r.evidence and r.evidence[0].curl for r in summary.failures), "every failure needs a curl"
    assert all("[masked]" in r.evidence[0].curl for r in resource_checks), "tokens and proofs are masked"


def _databases() -> list[str]:
    return ["sqlite", "postgresql"] if os.environ.get("RENKEI_TEST_POSTGRES_URL") else ["sqlite"]


@pytest.mark.slow
@pytest.mark.parametrize("database", _databases())
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_correct_fapi_sandbox_has_no_failures(
    seed: int, database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if database == "postgresql":
        monkeypatch.setenv(DATABASE_ENV, os.environ["RENKEI_TEST_POSTGRES_URL"])
    summary = run_fapi_on_sandbox(seed)
    assert not summary.failures, describe(summary.failures)
    assert _by_outcome(summary, Outcome.passed) == CHECKS
    assert not _by_outcome(summary, Outcome.skipped)


@pytest.mark.slow
@pytest.mark.parametrize("database", _databases())
@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("fault", sorted(FAPI_EXPECTED))
def test_each_fapi_fault_alone_is_reported(
    fault: str, seed: int, database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_VAR, fault)
    if database == "postgresql":
        monkeypatch.setenv(DATABASE_ENV, os.environ["RENKEI_TEST_POSTGRES_URL"])
    summary = run_fapi_on_sandbox(seed)
    assert _by_outcome(summary, Outcome.failed) == {FAPI_EXPECTED[fault]}, describe(summary.failures)


def test_the_group_needs_a_key_client(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A profile without client.private_key_jwk cannot run the FAPI group: exit 2 with one line."""
    from rich.console import Console

    from renkei.conformance.runner import Access, run_conformance

    profile = tmp_path / "provider.yaml"
    profile.write_text(
        "apis: {bank-inquiry: 'http://127.0.0.1:9/v1'}\n"
        "client: {client_id: c_1, client_secret: s}\n"
        "customers: {primary: {username: demo01, password: x, bank_code: '2963'}}\n",
        encoding="utf-8",
    )
    spec = Path(__file__).resolve().parents[2] / "spec" / "bank-inquiry.yaml"
    code = run_conformance(
        [spec], Access(None, profile=profile, group="fapi"), None, 1, None, 1, Console(quiet=True)
    )
    assert code == 2
    assert "client.private_key_jwk" in capsys.readouterr().err
