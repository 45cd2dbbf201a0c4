"""Refresh tokens: when the provider rotates them, presenting a spent one is refused and revokes the newer
one too (reuse detection, RFC 9700 §4.14.2); the refresh request is authenticated and carries a DPoP proof
of the tokens' key (RFC 9449 §5)."""

from __future__ import annotations

import httpx

from renkei.conformance.fapi.context import AUTHORIZATION_SERVER, FapiContext
from renkei.conformance.fapi.session import FapiLogin, signed_post

CHECK = "fapi-refresh-rotation"


def _refresh_token_of(response: httpx.Response) -> str | None:
    try:
        body = response.json()
    except ValueError:
        return None
    value = body.get("refresh_token") if isinstance(body, dict) else None
    return value if isinstance(value, str) else None


def _refused_as_invalid_grant(response: httpx.Response) -> bool:
    try:
        body = response.json()
    except ValueError:
        return False
    return response.status_code == 400 and isinstance(body, dict) and body.get("error") == "invalid_grant"


def check_refresh_rotation(context: FapiContext, login: FapiLogin) -> None:
    """Last of the group: a detected reuse revokes the login's grant."""
    operation = "token (refresh_token)"
    token_url = context.endpoint("token_endpoint")
    first = login.auth.tokens.refresh_token
    if token_url is None or first is None:
        context.skip(AUTHORIZATION_SERVER, operation, CHECK, "no refresh token was issued")
        return

    def refresh(refresh_token: str) -> httpx.Response:
        form = {"grant_type": "refresh_token", "refresh_token": refresh_token}
        return signed_post(context, token_url, form, login.prover)

    rotated = refresh(first)
    if rotated.status_code != 200:
        message = f"refreshing with a live refresh token got HTTP {rotated.status_code}"
        context.fail(AUTHORIZATION_SERVER, operation, CHECK, message, rotated)
        return
    second = _refresh_token_of(rotated)
    if second is None or second == first:
        message = "the provider does not rotate refresh tokens (FAPI 2.0 §5.3.2.1-10 allows it)"
        context.skip(AUTHORIZATION_SERVER, operation, CHECK, message)
        return
    problems: list[tuple[str, httpx.Response]] = []
    reused = refresh(first)
    if not _refused_as_invalid_grant(reused):
        problems.append((f"the spent refresh token was accepted again: HTTP {reused.status_code}", reused))
    after = refresh(second)
    if not _refused_as_invalid_grant(after):
        message = f"after the spent token's reuse its successor still works (HTTP {after.status_code})"
        problems.append((f"{message}: reuse is not detected", after))
    context.verdict(AUTHORIZATION_SERVER, operation, CHECK, problems)
