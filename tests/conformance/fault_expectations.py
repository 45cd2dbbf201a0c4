"""Which check must catch each fault of the sandbox's fault set, on which API (the proof of the suite)."""

from __future__ import annotations

SCHEMA = ("schemathesis", "response_schema_conformance")

EXPECTED: dict[str, tuple[str, tuple[str, str]]] = {
    # the standard's format rules
    "wrong-type": ("bank-inquiry", SCHEMA),
    "undeclared-field": ("bank-inquiry", SCHEMA),
    "500-on-bad-query": ("bank-inquiry", ("standard", "documented-status")),
    "no-interaction-id": ("bank-inquiry", ("standard", "interaction-id")),
    "wrong-error-body": ("card", ("standard", "error-body")),
    "scope-unchecked": ("card", ("standard", "rfc6750-challenge")),
    # pagination
    "limit-ignored": ("bank-inquiry", ("standard", "pagination-limit")),
    "limit-max-unenforced": ("bank-inquiry", ("standard", "pagination-limit")),
    "page-duplicates": ("bank-inquiry", ("standard", "pagination")),
    "page-gap": ("bank-inquiry", ("standard", "pagination")),
    "cursor-loop": ("bank-inquiry", ("standard", "pagination")),
    "cursor-unbound": ("bank-inquiry", ("standard", "pagination-cursor")),
    # queries
    "date-order-unchecked": ("bank-inquiry", ("standard", "date-range-order")),
    "date-window-echo-wrong": ("bank-inquiry", ("standard", "date-range-bounds")),
    "date-to-exclusive": ("bank-inquiry", ("standard", "filter")),
    "wrong-sort-order": ("bank-inquiry", ("standard", "sort-order")),
    # money
    "balance-mismatch": ("bank-inquiry", ("standard", "balance-consistency")),
    "overdraft-accepted": ("bank-transfer", ("standard", "overdraft-refused")),
    "transfer-limit-unenforced": ("bank-transfer", ("standard", "transfer-limit-refused")),
    "fee-mismatch": ("bank-transfer", ("standard", "fee-matches")),
    # idempotency
    "idempotency-ignored": ("bank-transfer", ("standard", "idempotency")),
    "idempotency-conflict-accepted": ("bank-transfer", ("standard", "idempotency")),
    "idempotency-key-optional": ("bank-transfer", ("standard", "idempotency")),
    "idempotency-short-retention": ("bank-transfer", ("standard", "idempotency-retention")),
    # tokens
    "expired-token-accepted": ("bank-inquiry", ("standard", "token-expired")),
    "revocation-ignored": ("bank-inquiry", ("standard", "token-revoked")),
    "revocation-any-client": ("bank-inquiry", ("standard", "token-other-client")),
    # isolation
    "other-customer-data": ("bank-inquiry", ("standard", "isolation")),
    "foreign-transfer-from": ("bank-transfer", ("standard", "isolation-write")),
    "foreign-transfer-visible": ("bank-transfer", ("standard", "isolation-write")),
    # content negotiation
    "text-plain-accepted": ("bank-transfer", ("standard", "content-type")),
    "missing-content-type-accepted": ("bank-transfer", ("standard", "content-type")),
    "no-body-limit": ("bank-transfer", ("standard", "body-size")),
    # the bank directory
    "bank-list-unsorted": ("bank-inquiry", ("standard", "bank-directory")),
    "planned-api-served": ("bank-transfer", ("standard", "api-not-offered")),
}
"""Every fault but `crash` (tests/conformance/test_conformance_provider_stops.py)."""

FAPI_EXPECTED: dict[str, str] = {
    "par-optional": "fapi-par-required",
    "request-uri-reusable": "fapi-request-uri-single-use",
    "client-secret-accepted": "fapi-client-secret-refused",
    "dpop-proof-optional": "fapi-dpop-proof-required",
    "dpop-key-unchecked": "fapi-dpop-key-bound",
    "dpop-replay-accepted": "fapi-dpop-replay-refused",
    "dpop-htu-unchecked": "fapi-dpop-htu-htm",
    "bearer-accepted": "fapi-no-bearer",
    "refresh-reuse-undetected": "fapi-refresh-rotation",
}
"""The FAPI 2.0 faults (a sandbox in the FAPI profile, `--group fapi`) and the check of that group that must
catch each (suite `fapi`)."""

NEEDS_FUZZING = {fault for fault, (_, (suite, _)) in EXPECTED.items() if suite == "schemathesis"}
