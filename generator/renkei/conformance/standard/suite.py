"""Run every standard check on one API."""

from __future__ import annotations

from collections.abc import Callable

from renkei.conformance.standard.challenges import check_challenges
from renkei.conformance.standard.context import StandardContext
from renkei.conformance.standard.headers_and_errors import check_headers_and_errors
from renkei.conformance.standard.idempotency import check_idempotency
from renkei.conformance.standard.isolation import check_isolation
from renkei.conformance.standard.pagination import check_pagination

STANDARD_CHECKS: tuple[tuple[str, Callable[[StandardContext], None]], ...] = (
    ("idempotency", check_idempotency),  # first: the transfer it creates gives the others a transferId
    ("interaction id and error body", check_headers_and_errors),
    ("RFC 6750 challenges", check_challenges),
    ("pagination", check_pagination),
    ("isolation", check_isolation),
)


def run_standard_checks(context: StandardContext, on_step: Callable[[str], None] | None = None) -> None:
    for label, check in STANDARD_CHECKS:
        if on_step is not None:
            on_step(label)
        check(context)
