"""Connection errors are retried for idempotent calls and keyed POSTs; never for a POST without a key."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from renkei_runtime.client import BaseAsyncClient, BaseClient, RetryPolicy

FAST = RetryPolicy(max_attempts=3, backoff_base=0.02)


def test_get_retried_after_a_dropped_connection(raw_server_factory):
    server = raw_server_factory(drop_first=1)
    with BaseClient(server.base_url, retry=FAST) as client:
        response = client._request("GET", "anything")
    assert response.text == "ok"
    assert server.connections == 2 and len(server.requests) == 1


def test_keyed_post_retried_after_a_dropped_connection_with_the_same_key(raw_server_factory):
    server = raw_server_factory(drop_first=1)
    with BaseClient(server.base_url, retry=FAST) as client:
        client._request("POST", "transfers", json={"a": 1}, idempotency_key_header="Idempotency-Key")
    assert server.connections == 2
    [key] = server.header_values("Idempotency-Key")
    assert key is not None and len(key) == 36


def test_post_without_a_key_is_not_retried_after_a_dropped_connection(raw_server_factory):
    server = raw_server_factory(drop_first=1)
    with BaseClient(server.base_url, retry=FAST) as client, pytest.raises(httpx.RemoteProtocolError):
        client._request("POST", "transfers", json={"a": 1})
    assert server.connections == 1


def test_refused_connection_retried_until_the_server_appears(raw_server_factory):
    server = raw_server_factory(listen=False)  # the port is ours, but nobody listens yet
    appears = threading.Timer(0.3, server.listen)
    policy = RetryPolicy(max_attempts=6, backoff_base=0.2, max_backoff=0.4)
    started = time.monotonic()
    appears.start()
    try:
        with BaseClient(server.base_url, retry=policy) as client:
            response = client._request("GET", "anything")
    finally:
        appears.join()
    assert response.text == "ok"
    assert server.listened_at is not None and server.listened_at - started >= 0.29
    assert len(server.requests) == 1


def test_refused_connection_gives_up_after_max_attempts(raw_server_factory):
    server = raw_server_factory(listen=False)
    with BaseClient(server.base_url, retry=FAST) as client, pytest.raises(httpx.ConnectError):
        client._request("GET", "anything")


@pytest.mark.anyio
async def test_async_get_retried_after_a_dropped_connection(raw_server_factory):
    server = raw_server_factory(drop_first=2)
    async with BaseAsyncClient(server.base_url, retry=FAST) as client:
        response = await client._request("GET", "anything")
    assert response.text == "ok"
    assert server.connections == 3


@pytest.mark.anyio
async def test_async_post_without_a_key_is_not_retried(raw_server_factory):
    server = raw_server_factory(drop_first=1)
    async with BaseAsyncClient(server.base_url, retry=FAST) as client:
        with pytest.raises(httpx.RemoteProtocolError):
            await client._request("POST", "transfers", json={"a": 1})
    assert server.connections == 1


@pytest.mark.anyio
async def test_async_refused_connection_retried_until_the_server_appears(raw_server_factory):
    server = raw_server_factory(listen=False)
    appears = threading.Timer(0.3, server.listen)
    policy = RetryPolicy(max_attempts=6, backoff_base=0.2, max_backoff=0.4)
    appears.start()
    try:
        async with BaseAsyncClient(server.base_url, retry=policy) as client:
            response = await client._request("GET", "anything")
    finally:
        appears.join()
    assert response.text == "ok"
    assert len(server.requests) == 1
