"""RetryPolicy arithmetic and Retry-After parsing (pure functions; timing on a real server is elsewhere)."""

from __future__ import annotations

import datetime as dt

import pytest

from renkei_runtime.client import RetryPolicy, parse_retry_after

NOW = dt.datetime(2026, 11, 22, 12, 0, 0, tzinfo=dt.UTC)


def test_backoff_grows_exponentially_with_jitter_and_is_capped():
    policy = RetryPolicy(backoff_base=0.2, max_backoff=1.0)
    for attempt, ceiling in [(1, 0.2), (2, 0.4), (3, 0.8), (4, 1.0), (10, 1.0)]:
        delays = {policy.backoff(attempt) for _ in range(50)}
        assert all(ceiling / 2 <= delay <= ceiling for delay in delays)
        assert len(delays) > 1  # jittered


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("3", 3.0),
        (" 0 ", 0.0),
        ("Sun, 22 Nov 2026 12:00:05 GMT", 5.0),
        ("Sun, 22 Nov 2026 11:59:00 GMT", 0.0),  # in the past
        ("soon", None),
        ("-1", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_retry_after(value, expected):
    assert parse_retry_after(value, now=NOW) == expected


def test_invalid_policy_is_refused():
    with pytest.raises(ValueError, match="max_attempts"):
        RetryPolicy(max_attempts=0)
