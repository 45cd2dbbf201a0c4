"""Retries of POST/PATCH: only with an idempotency key, and the same key on every attempt."""

from __future__ import annotations

import pytest

from renkei_runtime.client import (
    BaseAsyncClient,
    BaseClient,
    RetryPolicy,
    ServerError,
    new_idempotency_key,
)

FAST = RetryPolicy(max_attempts=3, backoff_base=0.01)


def test_post_retried_with_the_same_idempotency_key(api):
    with BaseClient(api.base_url, retry=FAST) as client:
        response = client._request(
            "POST", "transfers", json={"amount": "1000"}, idempotency_key_header="Idempotency-Key"
        )
    assert response.status_code == 201
    keys = api.state.transfer_keys
    assert len(keys) == 2 and keys[0] is not None and keys[0] == keys[1]
    assert response.json()["transferId"] == f"t-{keys[0]}"


def test_each_logical_call_gets_its_own_key(api):
    with BaseClient(api.base_url, retry=FAST) as client:
        for _ in range(2):
            client._request(
                "POST", "transfers", json={"amount": "1"}, idempotency_key_header="Idempotency-Key"
            )
    keys = api.state.transfer_keys
    assert len(keys) == 4 and keys[0] == keys[1] and keys[2] == keys[3] and keys[0] != keys[2]


def test_a_callers_key_is_kept_on_every_attempt(api):
    api.state.transfer_failures = 2
    key = new_idempotency_key()
    with BaseClient(api.base_url, retry=FAST) as client:
        response = client._request(
            "PATCH",
            "transfers",
            json={"amount": "5"},
            headers={"Idempotency-Key": key},
            idempotency_key_header="Idempotency-Key",
        )
    assert response.status_code == 201
    assert api.state.transfer_keys == [key, key, key]


def test_post_without_a_key_is_not_retried(api):
    with BaseClient(api.base_url, retry=FAST) as client, pytest.raises(ServerError) as caught:
        client._request("POST", "transfers", json={"amount": "1000"})
    assert api.state.transfer_keys == [None]
    assert caught.value.status_code == 503
    assert caught.value.error is not None and caught.value.error.errorCode == "service_unavailable"


def test_gives_up_after_max_attempts(api):
    api.state.transfer_failures = 10
    with BaseClient(api.base_url, retry=FAST) as client, pytest.raises(ServerError):
        client._request("POST", "transfers", json={"amount": "1"}, idempotency_key_header="Idempotency-Key")
    assert len(api.state.transfer_keys) == 3 and len(set(api.state.transfer_keys)) == 1


@pytest.mark.anyio
async def test_async_post_retried_with_the_same_idempotency_key(api):
    async with BaseAsyncClient(api.base_url, retry=FAST) as client:
        response = await client._request(
            "POST", "transfers", json={"amount": "1000"}, idempotency_key_header="Idempotency-Key"
        )
    assert response.status_code == 201
    keys = api.state.transfer_keys
    assert len(keys) == 2 and keys[0] is not None and keys[0] == keys[1]


@pytest.mark.anyio
async def test_async_post_without_a_key_is_not_retried(api):
    async with BaseAsyncClient(api.base_url, retry=FAST) as client:
        with pytest.raises(ServerError):
            await client._request("POST", "transfers", json={"amount": "1000"})
    assert api.state.transfer_keys == [None]
