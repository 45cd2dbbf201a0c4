"""httpx authentication: a fixed bearer token, and OAuth 2.0 access tokens refreshed with a refresh token."""

from __future__ import annotations

import base64
import threading
import time
from collections.abc import AsyncGenerator, Callable, Generator
from dataclasses import dataclass
from urllib.parse import quote

import anyio
import httpx
import pydantic


class BearerTokenAuth(httpx.Auth):
    """Sends a fixed access token as `Authorization: Bearer <token>`."""

    def __init__(self, token: str) -> None:
        if not token:
            raise ValueError("BearerTokenAuth needs a non-empty token")
        self._token = token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self._token}"
        yield request


@dataclass(frozen=True)
class TokenSet:
    """An access token, its refresh token and its expiry (seconds since the epoch; None when unknown)."""

    access_token: str
    refresh_token: str | None = None
    expires_at: float | None = None
    scope: str | None = None


class TokenRefreshError(Exception):
    """The token endpoint refused to refresh the access token (or answered something that is not a token)."""

    def __init__(self, message: str, response: httpx.Response | None = None) -> None:
        super().__init__(message)
        self.response = response


class _TokenResponse(pydantic.BaseModel):
    """The successful token response of RFC 6749 section 5.1."""

    access_token: str
    token_type: str
    expires_in: float | None = None
    refresh_token: str | None = None
    scope: str | None = None


class OAuth2TokenAuth(httpx.Auth):
    """OAuth 2.0 access token with refresh (RFC 6749 section 6), for both httpx.Client and httpx.AsyncClient.

    The token is refreshed with the `refresh_token` grant at `token_url` when it has expired (`leeway` seconds
    early) and when a request comes back 401 (then the request is sent once more, once). The client
    authenticates with `client_secret_basic` (or sends `client_id` in the form when it has no secret).
    Concurrent requests (threads or tasks) share one refresh. `on_refresh` receives every new TokenSet so that
    the caller can persist it.
    """

    def __init__(
        self,
        *,
        token_url: str,
        client_id: str,
        client_secret: str | None = None,
        access_token: str,
        refresh_token: str | None = None,
        expires_at: float | None = None,
        scope: str | None = None,
        on_refresh: Callable[[TokenSet], None] | None = None,
        leeway: float = 30.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._token_url = token_url
        self._client_id = client_id
        self._client_secret = client_secret
        self._tokens = TokenSet(access_token, refresh_token, expires_at, scope)
        self._on_refresh = on_refresh
        self._leeway = leeway
        self._clock = clock
        self._thread_lock = threading.Lock()
        self._task_lock: anyio.Lock | None = None

    @property
    def tokens(self) -> TokenSet:
        """The current tokens."""
        return self._tokens

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        with self._thread_lock:
            if self._expired():
                yield from self._refresh_sync()
            sent_token = self._tokens.access_token
        response = yield self._authorized(request, sent_token)
        if response.status_code != 401 or self._tokens.refresh_token is None:
            return
        with self._thread_lock:
            if self._tokens.access_token == sent_token:  # nobody refreshed it meanwhile
                yield from self._refresh_sync()
            sent_token = self._tokens.access_token
        yield self._authorized(request, sent_token)

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        if self._task_lock is None:
            self._task_lock = anyio.Lock()
        lock = self._task_lock
        async with lock:
            if self._expired():
                token_response = yield self._token_request()
                await token_response.aread()
                self._accept(token_response)
            sent_token = self._tokens.access_token
        response = yield self._authorized(request, sent_token)
        if response.status_code != 401 or self._tokens.refresh_token is None:
            return
        async with lock:
            if self._tokens.access_token == sent_token:
                token_response = yield self._token_request()
                await token_response.aread()
                self._accept(token_response)
            sent_token = self._tokens.access_token
        yield self._authorized(request, sent_token)

    def _expired(self) -> bool:
        expires_at = self._tokens.expires_at
        if expires_at is None or self._tokens.refresh_token is None:
            return False
        return self._clock() >= expires_at - self._leeway

    @staticmethod
    def _authorized(request: httpx.Request, token: str) -> httpx.Request:
        request.headers["Authorization"] = f"Bearer {token}"
        return request

    def _refresh_sync(self) -> Generator[httpx.Request, httpx.Response, None]:
        token_response = yield self._token_request()
        token_response.read()
        self._accept(token_response)

    def _token_request(self) -> httpx.Request:
        refresh_token = self._tokens.refresh_token
        if refresh_token is None:  # pragma: no cover - callers check
            raise TokenRefreshError("no refresh token to refresh the access token with")
        form = {"grant_type": "refresh_token", "refresh_token": refresh_token}
        headers = {"Accept": "application/json"}
        if self._client_secret is None:
            form["client_id"] = self._client_id
        else:
            # RFC 6749 section 2.3.1: id and secret are form-urlencoded before Basic encoding.
            credentials = f"{quote(self._client_id, safe='')}:{quote(self._client_secret, safe='')}"
            headers["Authorization"] = "Basic " + base64.b64encode(credentials.encode()).decode("ascii")
        return httpx.Request("POST", self._token_url, data=form, headers=headers)

    def _accept(self, response: httpx.Response) -> None:
        if response.status_code != 200:
            raise TokenRefreshError(
                f"token refresh at {self._token_url} failed: {response.status_code} {response.text[:200]}",
                response,
            )
        try:
            body = _TokenResponse.model_validate_json(response.content)
        except pydantic.ValidationError as exc:
            reason = exc.errors()[0]["msg"]
            message = f"token refresh at {self._token_url} returned no valid token: {reason}"
            raise TokenRefreshError(message, response) from None
        if body.token_type.lower() != "bearer":
            message = f"token refresh returned token_type {body.token_type!r}, not Bearer"
            raise TokenRefreshError(message, response)
        expires_at = None if body.expires_in is None else self._clock() + body.expires_in
        self._tokens = TokenSet(
            access_token=body.access_token,
            refresh_token=body.refresh_token or self._tokens.refresh_token,
            expires_at=expires_at,
            scope=body.scope or self._tokens.scope,
        )
        if self._on_refresh is not None:
            self._on_refresh(self._tokens)
