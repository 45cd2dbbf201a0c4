"""Every fault the sandbox can inject is reported by the suite, by the check meant to catch it."""

from __future__ import annotations

import pytest
from conformance_support import describe, run_on_sandbox

from renkei_sandbox.faults import ENV_VAR, FAULTS

# fault -> (API to run, the (suite, check) that must report it)
EXPECTED = {
    "wrong-type": ("bank-inquiry", ("schemathesis", "response_schema_conformance")),
    "500-on-bad-query": ("bank-inquiry", ("standard", "documented-status")),
    "no-interaction-id": ("bank-inquiry", ("standard", "interaction-id")),
    "idempotency-ignored": ("bank-transfer", ("standard", "idempotency")),
    "other-customer-data": ("bank-inquiry", ("standard", "isolation")),
    "wrong-error-body": ("card", ("standard", "error-body")),
    "undeclared-field": ("bank-inquiry", ("schemathesis", "response_schema_conformance")),
}


def test_every_fault_has_an_expectation() -> None:
    assert set(EXPECTED) == set(FAULTS)


@pytest.mark.parametrize("fault", sorted(EXPECTED))
def test_injected_fault_is_reported(fault: str, monkeypatch: pytest.MonkeyPatch) -> None:
    api, (suite, check) = EXPECTED[fault]
    monkeypatch.setenv(ENV_VAR, fault)
    summary = run_on_sandbox([api], max_examples=2)
    caught = [r for r in summary.failures if (r.suite, r.check) == (suite, check)]
    assert caught, f"{fault} went unnoticed; failures were:\n{describe(summary.failures)}"
    assert all(r.evidence for r in caught), "a failure must carry the request and the response"


def test_server_error_fault_is_also_found_by_fuzzing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, "500-on-bad-query")
    summary = run_on_sandbox(["bank-inquiry"], max_examples=5)
    checks = {(r.operation, r.check) for r in summary.failures}
    assert ("listTransactions", "not_a_server_error") in checks, describe(summary.failures)
