"""Base classes of generated clients: one request method with retries, idempotency keys, typed errors."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from types import TracebackType
from typing import Any, Self

import anyio
import httpx

from renkei_runtime.client._auth import BearerTokenAuth
from renkei_runtime.client._errors import error_for_response
from renkei_runtime.client._idempotency import new_idempotency_key
from renkei_runtime.client._retry import (
    RETRYABLE_EXCEPTIONS,
    RetryPolicy,
    carries_idempotency_key,
    may_resend,
)

logger = logging.getLogger("renkei.client")

USER_AGENT = "renkei-client"


def _choose_auth(token: str | None, auth: httpx.Auth | None) -> httpx.Auth | None:
    if token is not None and auth is not None:
        raise ValueError("give either token or auth, not both")
    if token is not None:
        return BearerTokenAuth(token)
    return auth


def _default_headers(headers: Mapping[str, str] | None) -> dict[str, str]:
    return {"User-Agent": USER_AGENT, **(headers or {})}


def _call_params(params: Mapping[str, Any] | None) -> dict[str, Any]:
    return {name: value for name, value in (params or {}).items() if value is not None}


def _call_headers(
    headers: Mapping[str, str | None] | None, idempotency_key_header: str | None
) -> tuple[dict[str, str], bool]:
    """The headers of one call without None values, plus a new idempotency key when one is wanted and absent;
    and whether the call carries an idempotency key."""
    present = {name: value for name, value in (headers or {}).items() if value is not None}
    if idempotency_key_header is not None and not any(
        name.lower() == idempotency_key_header.lower() for name in present
    ):
        present[idempotency_key_header] = new_idempotency_key()
    return present, carries_idempotency_key(present, idempotency_key_header)


class _Attempts:
    """Counts the attempts of one logical call and decides whether, and after how long, to send it again."""

    def __init__(self, policy: RetryPolicy, request: httpx.Request, resendable: bool) -> None:
        self._policy = policy
        self._request = request
        self._resendable = resendable
        self.number = 1

    def _may_retry(self) -> bool:
        return self._resendable and self.number < self._policy.max_attempts

    def delay_after_error(self, error: Exception) -> float | None:
        """Seconds to wait before the next attempt after a connection error, or None to give up."""
        if not isinstance(error, RETRYABLE_EXCEPTIONS) or not self._may_retry():
            return None
        delay = self._policy.backoff(self.number)
        logger.debug(
            "%s %s: attempt %d failed (%r), retrying in %.2fs",
            self._request.method,
            self._request.url,
            self.number,
            error,
            delay,
        )
        return delay

    def delay_after_response(self, response: httpx.Response) -> float | None:
        """Seconds to wait before the next attempt after a non-2xx response, or None to give up."""
        if response.status_code not in self._policy.retry_statuses or not self._may_retry():
            return None
        delay = self._policy.delay_after_response(response, self.number)
        logger.debug(
            "%s %s: attempt %d got %d, retrying in %.2fs",
            self._request.method,
            self._request.url,
            self.number,
            response.status_code,
            delay,
        )
        return delay


class BaseClient:
    """Synchronous base of generated clients (an httpx.Client underneath)."""

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        auth: httpx.Auth | None = None,
        retry: RetryPolicy | None = None,
        timeout: float = 30.0,
        headers: Mapping[str, str] | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._retry = retry or RetryPolicy()
        self._http = httpx.Client(
            base_url=base_url,
            auth=_choose_auth(token, auth),
            timeout=timeout,
            headers=_default_headers(headers),
            transport=transport,
        )

    @property
    def http_client(self) -> httpx.Client:
        """The underlying httpx.Client."""
        return self._http

    @property
    def base_url(self) -> str:
        """The URL that operation paths are relative to."""
        return str(self._http.base_url)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str | None] | None = None,
        json: Any = None,
        content: bytes | None = None,
        files: Any = None,
        data: Any = None,
        idempotency_key_header: str | None = None,
    ) -> httpx.Response:
        """Send one logical call (retrying per the RetryPolicy); return the 2xx response or raise ApiError."""
        call_headers, has_key = _call_headers(headers, idempotency_key_header)
        request = self._http.build_request(
            method,
            path,
            params=_call_params(params),
            headers=call_headers,
            json=json,
            content=content,
            files=files,
            data=data,
        )
        request.read()  # buffer the body so that every attempt sends the same bytes
        attempts = _Attempts(self._retry, request, may_resend(method, has_key))
        while True:
            try:
                response = self._http.send(request)
            except httpx.HTTPError as error:
                delay = attempts.delay_after_error(error)
                if delay is None:
                    raise
            else:
                if response.is_success:
                    return response
                delay = attempts.delay_after_response(response)
                if delay is None:
                    raise error_for_response(response)
                response.close()
            time.sleep(delay)
            attempts.number += 1


class BaseAsyncClient:
    """Asynchronous base of generated clients (an httpx.AsyncClient underneath)."""

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        auth: httpx.Auth | None = None,
        retry: RetryPolicy | None = None,
        timeout: float = 30.0,
        headers: Mapping[str, str] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._retry = retry or RetryPolicy()
        self._http = httpx.AsyncClient(
            base_url=base_url,
            auth=_choose_auth(token, auth),
            timeout=timeout,
            headers=_default_headers(headers),
            transport=transport,
        )

    @property
    def http_client(self) -> httpx.AsyncClient:
        """The underlying httpx.AsyncClient."""
        return self._http

    @property
    def base_url(self) -> str:
        """The URL that operation paths are relative to."""
        return str(self._http.base_url)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def _request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str | None] | None = None,
        json: Any = None,
        content: bytes | None = None,
        files: Any = None,
        data: Any = None,
        idempotency_key_header: str | None = None,
    ) -> httpx.Response:
        """Send one logical call (retrying per the RetryPolicy); return the 2xx response or raise ApiError."""
        call_headers, has_key = _call_headers(headers, idempotency_key_header)
        request = self._http.build_request(
            method,
            path,
            params=_call_params(params),
            headers=call_headers,
            json=json,
            content=content,
            files=files,
            data=data,
        )
        await request.aread()
        attempts = _Attempts(self._retry, request, may_resend(method, has_key))
        while True:
            try:
                response = await self._http.send(request)
            except httpx.HTTPError as error:
                delay = attempts.delay_after_error(error)
                if delay is None:
                    raise
            else:
                if response.is_success:
                    return response
                delay = attempts.delay_after_response(response)
                if delay is None:
                    raise error_for_response(response)
                await response.aclose()
            await anyio.sleep(delay)
            attempts.number += 1
