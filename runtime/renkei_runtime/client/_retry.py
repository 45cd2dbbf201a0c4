"""When and how long to wait before retrying a request (shared by the sync and async clients)."""

from __future__ import annotations

import datetime as dt
import email.utils
import random
from collections.abc import Mapping
from dataclasses import dataclass

import httpx

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})
DEFAULT_IDEMPOTENCY_KEY_HEADER = "Idempotency-Key"

# Failures after which resending may succeed: the connection could not be made, broke, or timed out.
RETRYABLE_EXCEPTIONS: tuple[type[Exception], ...] = (
    httpx.TimeoutException,
    httpx.NetworkError,
    httpx.RemoteProtocolError,
)


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry.

    A request is sent at most `max_attempts` times. Between attempts the client waits an exponential backoff
    (`backoff_base * 2**(n-1)` with jitter, at most `max_backoff` seconds), or the server's `Retry-After`
    (also capped by `max_backoff`) when `respect_retry_after` is set.
    """

    max_attempts: int = 3
    backoff_base: float = 0.2
    max_backoff: float = 10.0
    retry_statuses: frozenset[int] = frozenset({429, 503})
    respect_retry_after: bool = True

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError(f"RetryPolicy.max_attempts must be at least 1, not {self.max_attempts}")
        if self.backoff_base < 0 or self.max_backoff < 0:
            raise ValueError("RetryPolicy.backoff_base and max_backoff must not be negative")

    def backoff(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number `attempt` (1-based): half fixed, half random."""
        ceiling = min(self.max_backoff, self.backoff_base * 2.0 ** (attempt - 1))
        return ceiling / 2 + random.uniform(0, ceiling / 2)

    def delay_after_response(self, response: httpx.Response, attempt: int) -> float:
        """Seconds to wait before resending after `response` (a retryable status)."""
        if self.respect_retry_after:
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            if retry_after is not None:
                return min(retry_after, self.max_backoff)
        return self.backoff(attempt)


NO_RETRY = RetryPolicy(max_attempts=1)


def parse_retry_after(value: str | None, now: dt.datetime | None = None) -> float | None:
    """`Retry-After` as seconds from now: delta-seconds or an HTTP-date (RFC 9110 10.2.3); None if invalid."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # "-0000" dates: RFC 5322 says UTC
        when = when.replace(tzinfo=dt.UTC)
    now = now or dt.datetime.now(dt.UTC)
    return max(0.0, (when - now).total_seconds())


def carries_idempotency_key(headers: Mapping[str, str], key_header: str | None) -> bool:
    """Whether the request headers carry an idempotency key (the named header or `Idempotency-Key`)."""
    names = {DEFAULT_IDEMPOTENCY_KEY_HEADER.lower()}
    if key_header:
        names.add(key_header.lower())
    return any(name.lower() in names and value for name, value in headers.items())


def may_resend(method: str, has_idempotency_key: bool) -> bool:
    """Whether a request may be sent again: idempotent methods always, others only with an idempotency key."""
    return method.upper() in IDEMPOTENT_METHODS or has_idempotency_key
