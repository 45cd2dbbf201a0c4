"""The FAPI 2.0 authorization-code flow from the client's side: discovery (the `issuer` must match), PAR with
PKCE S256 and the DPoP key bound to the code (`dpop_jkt`), the authorization URL with only `client_id` and
`request_uri`, the callback checked (`state`, RFC 9207 `iss`), and the code exchanged with a DPoP proof.

The protocol steps are written once as generators of httpx requests; `FapiClient` runs them on an
`httpx.Client`, `AsyncFapiClient` on an `httpx.AsyncClient`."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
from joserfc.jwk import Key

from renkei_runtime.client import TokenSet
from renkei_runtime.fapi._auth import DPoPTokenAuth, dpop_nonce_requested
from renkei_runtime.fapi._keys import DPoPProver, PrivateKeyJwt
from renkei_runtime.fapi._tokens import origin_of, parse_token_response, token_request

T = TypeVar("T")
Flow = Generator[httpx.Request, httpx.Response, T]


class FapiError(Exception):
    """A step of the flow failed: discovery, PAR, the authorization response or the token exchange."""

    def __init__(self, message: str, response: httpx.Response | None = None) -> None:
        super().__init__(message)
        self.response = response


@dataclass(frozen=True)
class PendingAuthorization:
    """What to keep between sending the customer to `authorization_url` and the callback."""

    authorization_url: str
    state: str
    code_verifier: str
    request_uri: str
    expires_in: int


def _pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _error_text(response: httpx.Response) -> str:
    return f"HTTP {response.status_code} {response.text[:200]}"


class _FlowSteps:
    def __init__(
        self,
        issuer: str,
        client_id: str,
        client_key: Key,
        redirect_uri: str,
        dpop_key: Key | None,
        clock: Callable[[], float],
    ) -> None:
        self.issuer = issuer.rstrip("/")
        self.client_id = client_id
        self.redirect_uri = redirect_uri
        self.client_auth = PrivateKeyJwt(client_id, client_key, self.issuer, clock=clock)
        self.prover = DPoPProver(dpop_key, clock=clock)
        self.clock = clock
        self.metadata: dict[str, Any] | None = None
        self.nonces: dict[str, str] = {}

    def discover(self) -> Flow[dict[str, Any]]:
        if self.metadata is not None:
            return self.metadata
        url = f"{self.issuer}/.well-known/oauth-authorization-server"
        response = yield httpx.Request("GET", url, headers={"Accept": "application/json"})
        if response.status_code != 200:
            raise FapiError(f"discovery at {url} failed: {_error_text(response)}", response)
        metadata = response.json()
        if not isinstance(metadata, dict) or metadata.get("issuer") != self.issuer:
            raise FapiError(
                f"the metadata at {url} names another issuer: {metadata.get('issuer')!r}", response
            )
        self.metadata = metadata
        return metadata

    def _endpoint(self, name: str) -> Flow[str]:
        metadata = yield from self.discover()
        value = metadata.get(name)
        if not isinstance(value, str):
            raise FapiError(f"the provider's metadata has no {name}")
        return value

    def _post(self, url: str, form: dict[str, str]) -> Flow[httpx.Response]:
        """POST with a client assertion and a DPoP proof; a `use_dpop_nonce` answer is retried once."""
        response = yield token_request(url, form, self.client_auth, self.prover, self.nonces)
        if "dpop-nonce" in response.headers:
            self.nonces[origin_of(url)] = response.headers["dpop-nonce"]
        if dpop_nonce_requested(response) is not None:
            response = yield token_request(url, form, self.client_auth, self.prover, self.nonces)
            if "dpop-nonce" in response.headers:
                self.nonces[origin_of(url)] = response.headers["dpop-nonce"]
        return response

    def push(self, scope: str, extra: dict[str, str]) -> Flow[PendingAuthorization]:
        par_url = yield from self._endpoint("pushed_authorization_request_endpoint")
        authorize_url = yield from self._endpoint("authorization_endpoint")
        verifier, challenge = _pkce_pair()
        state = secrets.token_urlsafe(16)
        form = {
            "response_type": "code",
            "redirect_uri": self.redirect_uri,
            "scope": scope,
            "state": state,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
            "dpop_jkt": self.prover.jkt,
            **extra,
        }
        response = yield from self._post(par_url, form)
        if response.status_code != 201:
            raise FapiError(f"the pushed authorization request failed: {_error_text(response)}", response)
        body = response.json()
        request_uri = body.get("request_uri")
        if not isinstance(request_uri, str):
            raise FapiError("the PAR response has no request_uri", response)
        query = urlencode({"client_id": self.client_id, "request_uri": request_uri})
        return PendingAuthorization(
            f"{authorize_url}?{query}", state, verifier, request_uri, int(body.get("expires_in", 0))
        )

    def finish(self, pending: PendingAuthorization, callback_url: str) -> Flow[DPoPTokenAuth]:
        params = {k: v[0] for k, v in parse_qs(urlsplit(callback_url).query).items()}
        if not hmac.compare_digest(params.get("state", ""), pending.state):
            raise FapiError("the authorization response carries another state")
        if params.get("iss") != self.issuer:
            raise FapiError(f"the authorization response comes from another issuer: {params.get('iss')!r}")
        if "error" in params:
            raise FapiError(f"authorization failed: {params['error']} {params.get('error_description', '')}")
        code = params.get("code")
        if not code:
            raise FapiError("the authorization response has no code")
        token_url = yield from self._endpoint("token_endpoint")
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": self.redirect_uri,
            "code_verifier": pending.code_verifier,
        }
        response = yield from self._post(token_url, form)
        if response.status_code != 200:
            raise FapiError(f"the token request failed: {_error_text(response)}", response)
        tokens = parse_token_response(response, None, self.clock)
        return self.auth(tokens, token_url)

    def auth(
        self, tokens: TokenSet, token_url: str, on_refresh: Callable[[TokenSet], None] | None = None
    ) -> DPoPTokenAuth:
        auth = DPoPTokenAuth(
            tokens,
            self.prover,
            token_url=token_url,
            client_auth=self.client_auth,
            on_refresh=on_refresh,
            clock=self.clock,
        )
        auth._nonces.update(self.nonces)
        return auth

    def revoke(self, token: str) -> Flow[None]:
        url = yield from self._endpoint("revocation_endpoint")
        response = yield token_request(url, {"token": token}, self.client_auth, None, self.nonces)
        if response.status_code != 200:
            raise FapiError(f"revocation failed: {_error_text(response)}", response)
        return None


def _run_sync(client: httpx.Client, flow: Flow[T]) -> T:
    try:
        request = next(flow)
        while True:
            request = flow.send(client.send(request))
    except StopIteration as stop:
        return stop.value  # type: ignore[no-any-return]


async def _run_async(client: httpx.AsyncClient, flow: Flow[T]) -> T:
    try:
        request = next(flow)
        while True:
            response = await client.send(request)
            await response.aread()
            request = flow.send(response)
    except StopIteration as stop:
        return stop.value  # type: ignore[no-any-return]


class FapiClient:
    """The FAPI 2.0 flow on an `httpx.Client` (sync). `client_key` is the private key registered for
    private_key_jwt; `dpop_key` the DPoP key (a fresh ES256 key when None)::

        fapi = FapiClient(issuer, client_id, load_key("client.jwk"), redirect_uri)
        pending = fapi.start("accounts:read balances:read")
        # send the customer to pending.authorization_url; the provider redirects back to redirect_uri
        auth = fapi.finish(pending, callback_url)
        api = BankInquiryClient(base_url, auth=auth)  # DPoP proof on every call, refresh with rotation
    """

    def __init__(
        self,
        issuer: str,
        client_id: str,
        client_key: Key,
        redirect_uri: str,
        *,
        dpop_key: Key | None = None,
        http: httpx.Client | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._steps = _FlowSteps(issuer, client_id, client_key, redirect_uri, dpop_key, clock)
        self._http = http or httpx.Client(timeout=30)

    @property
    def prover(self) -> DPoPProver:
        return self._steps.prover

    def discover(self) -> dict[str, Any]:
        return _run_sync(self._http, self._steps.discover())

    def start(self, scope: str, **extra: str) -> PendingAuthorization:
        """PAR (extra parameters such as `bank_code` go into it); then send the customer to the URL."""
        return _run_sync(self._http, self._steps.push(scope, extra))

    def finish(self, pending: PendingAuthorization, callback_url: str) -> DPoPTokenAuth:
        """Check the callback URL and redeem its code: an httpx `auth` for the API clients."""
        return _run_sync(self._http, self._steps.finish(pending, callback_url))

    def revoke(self, token: str) -> None:
        _run_sync(self._http, self._steps.revoke(token))

    def close(self) -> None:
        self._http.close()


class AsyncFapiClient:
    """`FapiClient` on an `httpx.AsyncClient`: the same steps, awaited."""

    def __init__(
        self,
        issuer: str,
        client_id: str,
        client_key: Key,
        redirect_uri: str,
        *,
        dpop_key: Key | None = None,
        http: httpx.AsyncClient | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._steps = _FlowSteps(issuer, client_id, client_key, redirect_uri, dpop_key, clock)
        self._http = http or httpx.AsyncClient(timeout=30)

    @property
    def prover(self) -> DPoPProver:
        return self._steps.prover

    async def discover(self) -> dict[str, Any]:
        return await _run_async(self._http, self._steps.discover())

    async def start(self, scope: str, **extra: str) -> PendingAuthorization:
        return await _run_async(self._http, self._steps.push(scope, extra))

    async def finish(self, pending: PendingAuthorization, callback_url: str) -> DPoPTokenAuth:
        return await _run_async(self._http, self._steps.finish(pending, callback_url))

    async def revoke(self, token: str) -> None:
        await _run_async(self._http, self._steps.revoke(token))

    async def aclose(self) -> None:
        await self._http.aclose()
