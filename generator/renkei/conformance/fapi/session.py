"""The customer's FAPI 2.0 login (PAR, login and consent pages, the code redeemed with a DPoP proof) and
the signed requests the checks send: form posts authenticated with private_key_jwt and a DPoP proof, the
provider's `DPoP-Nonce` remembered and retried once (RFC 9449 §8, §9)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import httpx

from renkei.conformance.errors import CannotRun
from renkei.conformance.fapi.context import FapiContext
from renkei.conformance.oauth_flow import _log_in_and_consent
from renkei_runtime.fapi import DPoPProver, DPoPTokenAuth, FapiClient, FapiError, PendingAuthorization
from renkei_runtime.fapi import PrivateKeyJwt as ClientAssertion


@dataclass(frozen=True)
class FapiLogin:
    """One completed authorization: its pushed request, the callback URL and the DPoP-bound tokens."""

    pending: PendingAuthorization
    callback: str
    auth: DPoPTokenAuth

    @property
    def access_token(self) -> str:
        return self.auth.tokens.access_token

    @property
    def prover(self) -> DPoPProver:
        return self.auth.prover


def log_in(context: FapiContext) -> FapiLogin:
    """The whole FAPI flow for the profile's primary customer; CannotRun when a step fails."""
    credentials = context.credentials
    client = FapiClient(
        context.issuer, credentials.client_id, context.client_key, credentials.redirect_uri, http=context.http
    )
    extra = {"bank_code": credentials.bank_code} if credentials.bank_code else {}
    try:
        pending = client.start(" ".join(context.scopes), **extra)
        callback = _log_in_and_consent(
            context.http, credentials, pending.authorization_url, None, pending.state
        )
        auth = client.finish(pending, callback)
    except FapiError as error:
        raise CannotRun(f"the FAPI 2.0 login failed: {error}") from None
    except httpx.HTTPError as error:
        raise CannotRun(f"cannot reach {context.issuer}: {error.__class__.__name__}: {error}") from None
    return FapiLogin(pending, callback, auth)


def _origin(url: str) -> str:
    parsed = httpx.URL(url)
    return f"{parsed.scheme}://{parsed.netloc.decode()}"


def _asks_for_nonce(response: httpx.Response) -> bool:
    if "dpop-nonce" not in response.headers or response.status_code not in (400, 401):
        return False
    return "use_dpop_nonce" in response.headers.get("www-authenticate", "") or (
        b"use_dpop_nonce" in response.content
    )


def client_assertion(context: FapiContext) -> ClientAssertion:
    return ClientAssertion(context.credentials.client_id, context.client_key, context.issuer)


def _with_nonce(context: FapiContext, url: str, send: Callable[[], httpx.Response]) -> httpx.Response:
    """`send()`, remembering the server's `DPoP-Nonce`, and once more when it asked for one."""
    response = send()
    if "dpop-nonce" in response.headers:
        context.nonces[_origin(url)] = response.headers["dpop-nonce"]
        if _asks_for_nonce(response):
            response = send()
    return response


def signed_post(
    context: FapiContext, url: str, form: dict[str, str], prover: DPoPProver | None
) -> httpx.Response:
    """POST `form` with a fresh client assertion and (with `prover`) a DPoP proof of its key."""

    def send() -> httpx.Response:
        headers = {"Accept": "application/json"}
        if prover is not None:
            headers["DPoP"] = prover.proof("POST", url, nonce=nonce_for(context, url))
        return context.http.post(url, data={**form, **client_assertion(context).form()}, headers=headers)

    return _with_nonce(context, url, send)


def api_get(context: FapiContext, url: str, headers: dict[str, str]) -> httpx.Response:
    return context.api_http.get(url, headers=headers)


def dpop_get(context: FapiContext, url: str, token: str, prover: DPoPProver) -> httpx.Response:
    """A correct DPoP-bound GET (`ath`, the resource server's nonce when it asks for one)."""

    def send() -> httpx.Response:
        proof = prover.proof("GET", url, token, nonce_for(context, url))
        return api_get(context, url, {"Authorization": f"DPoP {token}", "DPoP": proof})

    return _with_nonce(context, url, send)


def nonce_for(context: FapiContext, url: str) -> str | None:
    return context.nonces.get(_origin(url))
