"""Typed errors: the class follows the status, the standard error body is decoded, other bodies tolerated."""

from __future__ import annotations

import pytest

from renkei_runtime.client import (
    NO_RETRY,
    ApiError,
    BadRequestError,
    BaseAsyncClient,
    BaseClient,
    ConflictError,
    ForbiddenError,
    NotFoundError,
    ServerError,
    UnauthorizedError,
    UnprocessableEntityError,
    error_class_for_status,
)


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (400, BadRequestError),
        (401, UnauthorizedError),
        (403, ForbiddenError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, UnprocessableEntityError),
        (418, ApiError),
        (500, ServerError),
        (502, ServerError),
    ],
)
def test_error_class_follows_the_status(api, status, error_class):
    with BaseClient(api.base_url, retry=NO_RETRY) as client, pytest.raises(ApiError) as caught:
        client._request("GET", f"errors/{status}")
    assert type(caught.value) is error_class
    assert error_class_for_status(status) is error_class
    assert caught.value.status_code == status


def test_standard_error_body_is_decoded(api):
    with BaseClient(api.base_url) as client, pytest.raises(NotFoundError) as caught:
        client._request("POST", "errors/404", json={})
    error = caught.value.error
    assert error is not None
    assert (error.errorCode, error.errorMessage) == ("E404", "日本語のメッセージ")
    assert error.errorDetails is not None
    assert error.errorDetails[0].errorDetailsField == "amount"
    assert "E404: 日本語のメッセージ" in str(caught.value)
    assert caught.value.response.request.method == "POST"


def test_non_json_body_is_tolerated(api):
    with BaseClient(api.base_url, retry=NO_RETRY) as client, pytest.raises(ServerError) as caught:
        client._request("GET", "errors/500", params={"kind": "text"})
    assert caught.value.error is None
    assert "500" in str(caught.value) and "upstream exploded" in str(caught.value)


def test_json_that_is_not_the_standard_body_is_tolerated(api):
    # The OAuth token endpoint answers RFC 6749 errors, not the standard body.
    with BaseClient(api.root_url) as client, pytest.raises(UnauthorizedError) as caught:
        client._request("POST", "oauth/token", data={"grant_type": "refresh_token"})
    assert caught.value.error is None
    assert "invalid_client" in str(caught.value)


@pytest.mark.anyio
async def test_async_standard_error_body_is_decoded(api):
    async with BaseAsyncClient(api.base_url) as client:
        with pytest.raises(ConflictError) as caught:
            await client._request("GET", "errors/409")
    assert caught.value.error is not None and caught.value.error.errorCode == "E409"
