"""Run every standard check on one API."""

from __future__ import annotations

from collections.abc import Callable

from renkei.conformance.standard.challenges import check_challenges
from renkei.conformance.standard.content import check_content
from renkei.conformance.standard.context import StandardContext
from renkei.conformance.standard.directory import check_api_not_offered, check_bank_directory
from renkei.conformance.standard.headers_and_errors import check_headers_and_errors
from renkei.conformance.standard.idempotency import check_idempotency
from renkei.conformance.standard.isolation import check_isolation, check_isolation_writes
from renkei.conformance.standard.money import check_balance_consistency, check_money
from renkei.conformance.standard.pagination import check_pagination
from renkei.conformance.standard.queries import check_queries
from renkei.conformance.standard.tokens import check_tokens

STANDARD_CHECKS: tuple[tuple[str, Callable[[StandardContext], None]], ...] = (
    ("idempotency", check_idempotency),  # first: the transfer it creates gives the others a transferId
    ("money", check_money),
    ("isolation of writes", check_isolation_writes),
    ("content negotiation", check_content),
    ("tokens", check_tokens),
    ("interaction id and error body", check_headers_and_errors),
    ("RFC 6750 challenges", check_challenges),
    ("pagination", check_pagination),
    ("queries", check_queries),
    ("isolation", check_isolation),
    ("balances", check_balance_consistency),
    ("bank directory", check_bank_directory),
    ("APIs not offered", check_api_not_offered),
)


def run_standard_checks(context: StandardContext, on_step: Callable[[str], None] | None = None) -> None:
    for label, check in STANDARD_CHECKS:
        if on_step is not None:
            on_step(label)
        check(context)
