"""`Retry-After` (seconds or HTTP-date) is honoured, capped by max_backoff; waits measured for real."""

from __future__ import annotations

import email.utils
import time

import pytest

from renkei_runtime.client import BaseAsyncClient, BaseClient, RateLimitedError, RetryPolicy


def _waited(api) -> float:
    first, second = api.state.flaky_times
    return second - first


def test_retry_after_seconds_is_honoured(api):
    with BaseClient(api.base_url, retry=RetryPolicy(backoff_base=0.01)) as client:
        response = client._request("GET", "flaky", params={"retry_after": "1"})
    assert response.json() == {"ok": True}
    assert api.state.flaky_calls == 2
    assert 0.95 <= _waited(api) < 2.0


def test_retry_after_http_date_is_honoured(api):
    # Whole seconds: the wait is between 2 s and 3 s after now, minus the time the request takes to go out.
    when = email.utils.formatdate(time.time() + 3, usegmt=True)
    with BaseClient(api.base_url, retry=RetryPolicy(backoff_base=0.01)) as client:
        client._request("GET", "flaky", params={"retry_after": when})
    assert 0.9 <= _waited(api) < 3.5


def test_retry_after_is_capped_by_max_backoff(api):
    with BaseClient(api.base_url, retry=RetryPolicy(max_backoff=0.3)) as client:
        client._request("GET", "flaky", params={"retry_after": "120"})
    assert 0.25 <= _waited(api) < 1.0


def test_retry_after_ignored_when_not_respected(api):
    policy = RetryPolicy(backoff_base=0.02, respect_retry_after=False)
    with BaseClient(api.base_url, retry=policy) as client:
        client._request("GET", "flaky", params={"retry_after": "5"})
    assert _waited(api) < 0.5


def test_no_retry_raises_rate_limited(api):
    with BaseClient(api.base_url, retry=RetryPolicy(max_attempts=1)) as client:
        with pytest.raises(RateLimitedError) as caught:
            client._request("GET", "flaky", params={"retry_after": "1"})
    assert caught.value.retry_after == 1.0
    assert api.state.flaky_calls == 1


@pytest.mark.anyio
async def test_async_retry_after_seconds_is_honoured(api):
    async with BaseAsyncClient(api.base_url, retry=RetryPolicy(backoff_base=0.01)) as client:
        response = await client._request("GET", "flaky", params={"retry_after": "1"})
    assert response.json() == {"ok": True}
    assert 0.95 <= _waited(api) < 2.0
