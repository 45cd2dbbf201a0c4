"""Token-endpoint requests with private_key_jwt + DPoP, and the DPoP token response."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pydantic

from renkei_runtime.client import TokenRefreshError, TokenSet
from renkei_runtime.fapi._keys import DPoPProver, PrivateKeyJwt


class _TokenResponse(pydantic.BaseModel):
    access_token: str
    token_type: str
    expires_in: float | None = None
    refresh_token: str | None = None
    scope: str | None = None


def origin_of(url: str) -> str:
    parsed = httpx.URL(url)
    return f"{parsed.scheme}://{parsed.netloc.decode()}"


def token_request(
    url: str,
    form: dict[str, str],
    client_auth: PrivateKeyJwt,
    prover: DPoPProver | None,
    nonces: dict[str, str],
) -> httpx.Request:
    """A POST of `form` to `url`, authenticated with a fresh client assertion, with a DPoP proof (and the
    server's last nonce) when `prover` is given."""
    headers = {"Accept": "application/json"}
    if prover is not None:
        headers["DPoP"] = prover.proof("POST", url, nonce=nonces.get(origin_of(url)))
    return httpx.Request("POST", url, data={**form, **client_auth.form()}, headers=headers)


def parse_token_response(
    response: httpx.Response, previous: TokenSet | None, clock: Callable[[], float]
) -> TokenSet:
    """The TokenSet of a 200 DPoP token response (a missing refresh token keeps the previous one)."""
    try:
        body = _TokenResponse.model_validate_json(response.content)
    except pydantic.ValidationError as exc:
        raise TokenRefreshError(f"no valid token response: {exc.errors()[0]['msg']}", response) from None
    if body.token_type.lower() != "dpop":
        raise TokenRefreshError(
            f"token_type {body.token_type!r} is not DPoP (not sender-constrained)", response
        )
    expires_at = None if body.expires_in is None else clock() + body.expires_in
    return TokenSet(
        access_token=body.access_token,
        refresh_token=body.refresh_token or (previous.refresh_token if previous else None),
        expires_at=expires_at,
        scope=body.scope or (previous.scope if previous else None),
    )
