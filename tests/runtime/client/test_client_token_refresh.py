"""OAuth2TokenAuth against a real token endpoint: refresh on 401 (once), on expiry, one for many callers."""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from renkei_runtime.client import (
    BaseAsyncClient,
    BaseClient,
    BearerTokenAuth,
    OAuth2TokenAuth,
    TokenRefreshError,
    TokenSet,
    UnauthorizedError,
)


def _auth(
    api, *, access_token: str = "stale", expires_at: float | None = None, saved=None
) -> OAuth2TokenAuth:
    return OAuth2TokenAuth(
        token_url=f"{api.root_url}/oauth/token",
        client_id=api.state.client_id,
        client_secret=api.state.client_secret,
        access_token=access_token,
        refresh_token="refresh-0",
        expires_at=expires_at,
        on_refresh=None if saved is None else saved.append,
    )


def test_refresh_on_401_then_the_request_is_sent_again(api):
    saved: list[TokenSet] = []
    auth = _auth(api, saved=saved)
    with BaseClient(api.base_url, auth=auth) as client:
        assert client._request("GET", "me").json() == {"customer": "c-1"}
        assert client._request("GET", "me").status_code == 200
    assert api.state.seen_tokens == ["Bearer stale", "Bearer access-1", "Bearer access-1"]
    assert api.state.token_calls == 1
    assert [tokens.access_token for tokens in saved] == ["access-1"]
    assert saved[0].refresh_token == "refresh-1"  # rotated refresh token kept
    assert saved[0].expires_at is not None and saved[0].expires_at > time.time() + 3000


def test_client_authenticates_with_client_secret_basic(api):
    with BaseClient(api.base_url, auth=_auth(api)) as client:
        client._request("GET", "me")
    # id and secret are form-urlencoded before base64 (RFC 6749 2.3.1): "client:1" / "s3cret/+"
    assert api.state.token_auth_headers == ["Basic Y2xpZW50JTNBMTpzM2NyZXQlMkYlMkI="]


def test_refresh_before_the_request_when_expired(api):
    saved: list[TokenSet] = []
    auth = _auth(api, access_token="access-0", expires_at=time.time() - 1, saved=saved)
    with BaseClient(api.base_url, auth=auth) as client:
        client._request("GET", "me")
    assert api.state.seen_tokens == ["Bearer access-1"]  # no 401 round trip
    assert len(saved) == 1


def test_refresh_only_once_per_request_on_401(api):
    api.state.reject_all_tokens = True
    with BaseClient(api.base_url, auth=_auth(api)) as client, pytest.raises(UnauthorizedError) as caught:
        client._request("GET", "me")
    assert caught.value.error is not None and caught.value.error.errorCode == "invalid_token"
    assert api.state.token_calls == 1
    assert len(api.state.seen_tokens) == 2


def test_refused_refresh_raises_token_refresh_error(api):
    auth = OAuth2TokenAuth(
        token_url=f"{api.root_url}/oauth/token",
        client_id=api.state.client_id,
        client_secret="wrong",
        access_token="stale",
        refresh_token="refresh-0",
    )
    with BaseClient(api.base_url, auth=auth) as client, pytest.raises(TokenRefreshError, match="401"):
        client._request("GET", "me")


def test_threads_share_one_refresh(api):
    auth = _auth(api, access_token="access-0", expires_at=time.time() - 1)
    with BaseClient(api.base_url, auth=auth) as client, ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda _: client._request("GET", "me").status_code, range(8)))
    assert statuses == [200] * 8
    assert api.state.token_calls == 1


def test_threads_hitting_401_share_one_refresh(api):
    auth = _auth(api)
    with BaseClient(api.base_url, auth=auth) as client, ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda _: client._request("GET", "me").status_code, range(8)))
    assert statuses == [200] * 8
    assert api.state.token_calls == 1


def test_bearer_token_auth_sends_the_fixed_token(api):
    api.state.valid_token = "fixed"
    with BaseClient(api.base_url, auth=BearerTokenAuth("fixed")) as client:
        client._request("GET", "me")
    with BaseClient(api.base_url, token="fixed") as client:
        client._request("GET", "me")
    assert api.state.seen_tokens == ["Bearer fixed", "Bearer fixed"]


@pytest.mark.anyio
async def test_async_refresh_on_401(api):
    saved: list[TokenSet] = []
    async with BaseAsyncClient(api.base_url, auth=_auth(api, saved=saved)) as client:
        response = await client._request("GET", "me")
    assert response.json() == {"customer": "c-1"}
    assert api.state.seen_tokens == ["Bearer stale", "Bearer access-1"]
    assert [tokens.access_token for tokens in saved] == ["access-1"]


@pytest.mark.anyio
async def test_async_refresh_when_expired(api):
    auth = _auth(api, access_token="access-0", expires_at=time.time() - 1)
    async with BaseAsyncClient(api.base_url, auth=auth) as client:
        await client._request("GET", "me")
    assert api.state.seen_tokens == ["Bearer access-1"]


@pytest.mark.anyio
async def test_async_tasks_share_one_refresh(api):
    auth = _auth(api)
    async with BaseAsyncClient(api.base_url, auth=auth) as client:
        responses = await asyncio.gather(*(client._request("GET", "me") for _ in range(8)))
    assert [response.status_code for response in responses] == [200] * 8
    assert api.state.token_calls == 1
