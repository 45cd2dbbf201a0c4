"""httpx authentication with DPoP-bound tokens: a proof on every request (with `ath`), the server nonce
retried once, and refresh with rotation (the new refresh token replaces the old one), sync and async."""

from __future__ import annotations

import threading
import time
from collections.abc import AsyncGenerator, Callable, Generator

import anyio
import httpx

from renkei_runtime.client import TokenRefreshError, TokenSet
from renkei_runtime.fapi._keys import DPoPProver, PrivateKeyJwt
from renkei_runtime.fapi._tokens import parse_token_response, token_request


def dpop_nonce_requested(response: httpx.Response) -> str | None:
    """The nonce a `use_dpop_nonce` answer asks for (AS: 400 JSON error; RS: 401 `WWW-Authenticate`)."""
    nonce: str | None = response.headers.get("dpop-nonce")
    if nonce is None or response.status_code not in (400, 401):
        return None
    if "use_dpop_nonce" in response.headers.get("www-authenticate", ""):
        return nonce
    if response.status_code == 400 and b"use_dpop_nonce" in response.content:
        return nonce
    return None


class DPoPTokenAuth(httpx.Auth):
    """Sends `Authorization: DPoP <token>` and a fresh `DPoP` proof on every request.

    A 401 `use_dpop_nonce` is retried once with the server's nonce; a 401 `invalid_token` refreshes the tokens
    (when there is a refresh token and `client_auth`) and retries once. `on_refresh` receives every new
    TokenSet (persist it: with rotation the old refresh token is spent)."""

    requires_response_body = True

    def __init__(
        self,
        tokens: TokenSet,
        prover: DPoPProver,
        *,
        token_url: str | None = None,
        client_auth: PrivateKeyJwt | None = None,
        on_refresh: Callable[[TokenSet], None] | None = None,
        leeway: float = 30.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._tokens = tokens
        self.prover = prover
        self._token_url = token_url
        self._client_auth = client_auth
        self._on_refresh = on_refresh
        self._leeway = leeway
        self._clock = clock
        self._nonces: dict[str, str] = {}
        self._thread_lock = threading.Lock()
        self._task_lock: anyio.Lock | None = None

    @property
    def tokens(self) -> TokenSet:
        return self._tokens

    def _sign(self, request: httpx.Request) -> httpx.Request:
        token = self._tokens.access_token
        origin = f"{request.url.scheme}://{request.url.netloc.decode()}"
        request.headers["Authorization"] = f"DPoP {token}"
        request.headers["DPoP"] = self.prover.proof(
            request.method, str(request.url), token, self._nonces.get(origin)
        )
        return request

    def _remember_nonce(self, response: httpx.Response) -> bool:
        """True when the response asks for a (new) nonce."""
        nonce = response.headers.get("dpop-nonce")
        if nonce is None:
            return False
        url = response.request.url
        self._nonces[f"{url.scheme}://{url.netloc.decode()}"] = nonce
        return dpop_nonce_requested(response) is not None

    def _can_refresh(self) -> bool:
        return bool(self._tokens.refresh_token and self._token_url and self._client_auth)

    def _expired(self) -> bool:
        expires_at = self._tokens.expires_at
        return expires_at is not None and self._can_refresh() and self._clock() >= expires_at - self._leeway

    def _refresh_flow(self) -> Generator[httpx.Request, httpx.Response, None]:
        assert self._token_url is not None and self._client_auth is not None
        refresh_token = self._tokens.refresh_token
        assert refresh_token is not None
        form = {"grant_type": "refresh_token", "refresh_token": refresh_token}
        response = yield token_request(self._token_url, form, self._client_auth, self.prover, self._nonces)
        if self._remember_nonce(response):
            response = yield token_request(
                self._token_url, form, self._client_auth, self.prover, self._nonces
            )
        if response.status_code != 200:
            raise TokenRefreshError(
                f"token refresh failed: {response.status_code} {response.text[:200]}", response
            )
        self._tokens = parse_token_response(response, self._tokens, self._clock)
        if self._on_refresh is not None:
            self._on_refresh(self._tokens)

    def _request_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._expired():
            yield from self._refresh_flow()
        sent = self._tokens.access_token
        response = yield self._sign(request)
        if self._remember_nonce(response):
            response = yield self._sign(request)
        if response.status_code == 401 and self._can_refresh():
            if self._tokens.access_token == sent:
                yield from self._refresh_flow()
            yield self._sign(request)

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        flow = self._request_flow(request)
        with self._thread_lock:
            outgoing = next(flow)
        while True:
            response = yield outgoing
            response.read()
            try:
                with self._thread_lock:
                    outgoing = flow.send(response)
            except StopIteration:
                return

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        if self._task_lock is None:
            self._task_lock = anyio.Lock()
        flow = self._request_flow(request)
        async with self._task_lock:
            outgoing = next(flow)
        while True:
            response = yield outgoing
            await response.aread()
            try:
                async with self._task_lock:
                    outgoing = flow.send(response)
            except StopIteration:
                return
