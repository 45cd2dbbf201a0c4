"""The proof of the suite: every fault of the sandbox's fault set is reported by the check meant to catch it.

Default run: two sandboxes with several faults each (one per kind of rule), so that it stays short. The full
sweep (`-m slow`): each fault alone, over 3 sandbox seeds, on SQLite and (with RENKEI_TEST_POSTGRES_URL) on
PostgreSQL; test_conformance_clean_sandbox.py holds the other half (no alarm on the correct sandbox).
"""

from __future__ import annotations

import os

import pytest
from conformance_support import QUICK_PHASES, describe, run_on_sandbox
from fault_expectations import EXPECTED, FAPI_EXPECTED, NEEDS_FUZZING

from renkei.conformance.local_sandbox import DATABASE_ENV
from renkei_sandbox.faults import ENV_VAR, FAULTS

GROUPS = {
    "bank-inquiry": (
        "page-gap",
        "date-order-unchecked",
        "revocation-ignored",
        "undeclared-field",
        "bank-list-unsorted",
    ),
    "bank-transfer": (
        "overdraft-accepted",
        "idempotency-short-retention",
        "foreign-transfer-visible",
        "text-plain-accepted",
        "planned-api-served",
    ),
}
"""Faults that do not hide one another, run together on one sandbox per API."""


def test_every_fault_has_an_expectation() -> None:
    assert set(EXPECTED) | set(FAPI_EXPECTED) | {"crash"} == set(FAULTS)
    assert not set(EXPECTED) & set(FAPI_EXPECTED)
    assert len(FAULTS) >= 30


def test_every_business_rule_check_has_a_fault() -> None:
    from renkei.conformance.standard import content, directory, money, pagination, queries, tokens
    from renkei.conformance.standard.idempotency import CHECK, CHECK_RETENTION
    from renkei.conformance.standard.isolation import CHECK as ISOLATION
    from renkei.conformance.standard.isolation import CHECK_WRITE

    checks = {
        *pagination.CHECKS,
        queries.CHECK_ORDER, queries.CHECK_BOUNDS, queries.CHECK_FILTER, queries.CHECK_SORT,
        money.CHECK_BALANCE, money.CHECK_OVERDRAFT, money.CHECK_LIMIT, money.CHECK_FEE,
        CHECK, CHECK_RETENTION, *tokens.CHECKS, ISOLATION, CHECK_WRITE,
        content.CHECK_TYPE, content.CHECK_SIZE, directory.CHECK_DIRECTORY, directory.CHECK_NOT_OFFERED,
    }  # fmt: skip
    proven = {check for _, (suite, check) in EXPECTED.values() if suite == "standard"}
    assert checks <= proven, sorted(checks - proven)


@pytest.mark.parametrize("api", sorted(GROUPS))
def test_grouped_faults_are_reported(api: str, monkeypatch: pytest.MonkeyPatch) -> None:
    faults = GROUPS[api]
    monkeypatch.setenv(ENV_VAR, ",".join(faults))
    fuzz = any(fault in NEEDS_FUZZING for fault in faults)
    summary = run_on_sandbox([api], max_examples=2, phases=QUICK_PHASES if fuzz else ())
    failing = {(r.suite, r.check) for r in summary.failures}
    for fault in faults:
        assert EXPECTED[fault][0] == api
        assert EXPECTED[fault][1] in failing, f"{fault} went unnoticed:\n{describe(summary.failures)}"
    assert all(r.evidence and r.evidence[0].curl for r in summary.failures), "every failure needs a curl"


def _databases() -> list[str]:
    return ["sqlite", "postgresql"] if os.environ.get("RENKEI_TEST_POSTGRES_URL") else ["sqlite"]


@pytest.mark.slow
@pytest.mark.parametrize("database", _databases())
@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("fault", sorted(EXPECTED))
def test_each_fault_alone_is_reported(
    fault: str, seed: int, database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    api, expected = EXPECTED[fault]
    monkeypatch.setenv(ENV_VAR, fault)
    if database == "postgresql":
        monkeypatch.setenv(DATABASE_ENV, os.environ["RENKEI_TEST_POSTGRES_URL"])
    phases = QUICK_PHASES if fault in NEEDS_FUZZING else ()
    summary = run_on_sandbox([api], max_examples=2, phases=phases, seed=seed)
    caught = [r for r in summary.failures if (r.suite, r.check) == expected]
    assert caught, f"{fault} went unnoticed; failures were:\n{describe(summary.failures)}"
    assert all(r.evidence for r in caught), "a failure must carry the request and the response"
