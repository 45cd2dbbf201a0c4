"""BaseClient/BaseAsyncClient basics: what one call puts on the wire (None values dropped, headers merged)."""

from __future__ import annotations

import pytest

from renkei_runtime.client import BaseAsyncClient, BaseClient, BearerTokenAuth


def test_none_params_and_headers_are_dropped(raw_server_factory):
    server = raw_server_factory()
    with BaseClient(server.base_url + "/v1", headers={"X-App": "budget"}) as client:
        client._request(
            "GET", "items", params={"a": "1", "b": None, "tags": ["x", "y"]}, headers={"X-B": None}
        )
    [head] = server.requests
    assert head.startswith("GET /v1/items?a=1&tags=x&tags=y HTTP/1.1")
    assert server.header_values("X-B") == [None]
    assert server.header_values("X-App") == ["budget"]
    assert server.header_values("User-Agent") == ["renkei-client"]


def test_idempotency_key_created_only_when_asked(raw_server_factory):
    server = raw_server_factory()
    with BaseClient(server.base_url) as client:
        client._request("POST", "a", json={})
        client._request("POST", "a", json={}, idempotency_key_header="Idempotency-Key")
        client._request(
            "POST",
            "a",
            json={},
            headers={"idempotency-key": "mine"},
            idempotency_key_header="Idempotency-Key",
        )
    first, created, given = server.header_values("Idempotency-Key")
    assert first is None and created is not None and len(created) == 36 and given == "mine"


def test_base_url_is_exposed(api):
    with BaseClient(api.base_url) as client:
        assert client.base_url == api.base_url + "/"


def test_token_and_auth_are_exclusive(api):
    with pytest.raises(ValueError, match="either token or auth"):
        BaseClient(api.base_url, token="t", auth=BearerTokenAuth("t"))


@pytest.mark.anyio
async def test_async_none_params_and_headers_are_dropped(raw_server_factory):
    server = raw_server_factory()
    async with BaseAsyncClient(server.base_url, headers={"X-App": "budget"}) as client:
        await client._request("GET", "items", params={"a": None, "b": 2}, headers={"X-B": None, "X-C": "c"})
    [head] = server.requests
    assert head.startswith("GET /items?b=2 HTTP/1.1")
    assert server.header_values("X-B") == [None] and server.header_values("X-C") == ["c"]
