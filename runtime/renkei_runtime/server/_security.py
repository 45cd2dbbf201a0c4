"""Credential extraction, token verification and scope checks (RFC 6750 `WWW-Authenticate`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from starlette.requests import Request

from renkei_runtime.server._context import TokenVerifier, VerifiedToken
from renkei_runtime.server._problems import ApiProblem

__all__ = ["RawHeaders", "Requirement", "SecurityScheme", "authorize"]


@dataclass(frozen=True, slots=True)
class SecurityScheme:
    """How a `securitySchemes` entry carries its credential.

    `bearer` (oauth2, openIdConnect, http bearer) reads `Authorization: Bearer ...` or, for DPoP-bound
    tokens (RFC 9449 §7.1), `Authorization: DPoP ...` (checked only by a `RequestTokenVerifier`); `basic` the
    credentials of `Authorization: Basic ...`; `apiKey` the named header, query parameter or cookie.
    """

    kind: Literal["bearer", "basic", "apiKey"]
    location: Literal["header", "query", "cookie"] = "header"
    name: str = "Authorization"


RawHeaders = dict[bytes, bytes]
"""Request headers as ASGI gives them (lower-case names), last value wins."""

Requirement = tuple[tuple[str, tuple[str, ...]], ...]
"""One alternative of an operation's `security`: (scheme name, required scopes) pairs; () = anonymous."""


def _presented(request: Request, headers: RawHeaders, scheme: SecurityScheme) -> tuple[str, str] | None:
    """(auth scheme in lower case, credential): `bearer`/`dpop`/`basic`, or `apikey` for an API key."""
    if scheme.kind == "apiKey":
        value = _api_key(request, headers, scheme)
        return ("apikey", value) if value else None
    raw = headers.get(b"authorization")
    if raw is None:
        return None
    kind, _, credential = raw.decode("latin-1").partition(" ")
    accepted = ("bearer", "dpop") if scheme.kind == "bearer" else ("basic",)
    credential = credential.strip()
    return (kind.lower(), credential) if kind.lower() in accepted and credential else None


async def _verify(
    verifier: TokenVerifier, presented: tuple[str, str], request: Request
) -> VerifiedToken | None:
    """A `RequestTokenVerifier` sees the scheme and the request (DPoP proofs); a plain one bearer tokens."""
    auth_scheme, credential = presented
    # what `isinstance(verifier, RequestTokenVerifier)` decides, without the runtime Protocol check's cost
    # (it walks the protocol's attributes on every call: about a third of a generated endpoint's own time)
    verify_request = getattr(verifier, "verify_request", None)
    if verify_request is not None:
        token: VerifiedToken | None = await verify_request(credential, auth_scheme, request)
        return token
    if auth_scheme == "dpop":
        return None
    return await verifier.verify(credential)


def _api_key(request: Request, headers: RawHeaders, scheme: SecurityScheme) -> str | None:
    if scheme.kind == "apiKey":
        if scheme.location == "query":
            return request.query_params.get(scheme.name) or None
        if scheme.location == "cookie":
            return request.cookies.get(scheme.name) or None
        found = headers.get(scheme.name.lower().encode("latin-1"))
        return found.decode("latin-1") if found else None
    return None  # pragma: no cover - only called for apiKey schemes


def _challenge(realm: str, error: str | None = None, scope: str | None = None) -> dict[str, str]:
    parts = [f'Bearer realm="{realm}"']
    if error:
        parts.append(f'error="{error}"')
    if scope:
        parts.append(f'scope="{scope}"')
    return {"WWW-Authenticate": ", ".join(parts)}


def _missing_scope(realm: str, scopes: tuple[str, ...]) -> ApiProblem:
    return ApiProblem(
        403,
        "insufficient_scope",
        "この操作に必要なスコープがありません。",
        headers=_challenge(realm, "insufficient_scope", " ".join(scopes)),
    )


def _invalid_token(realm: str) -> ApiProblem:
    return ApiProblem(
        401,
        "invalid_token",
        "アクセストークンが無効、期限切れ、または失効しています。",
        headers=_challenge(realm, "invalid_token"),
    )


def _unauthenticated(realm: str) -> ApiProblem:
    # RFC 6750 §3.1: no `error` attribute in the challenge when the request carried no credential.
    return ApiProblem(401, "invalid_token", "アクセストークンが必要です。", headers=_challenge(realm))


async def authorize(
    request: Request,
    headers: RawHeaders,
    alternatives: Sequence[Requirement],
    schemes: dict[str, SecurityScheme],
    verifier: TokenVerifier,
    realm: str,
) -> VerifiedToken | None:
    """The token of the first satisfied alternative; None when anonymous access is allowed.

    Raises `ApiProblem` 401 when no alternative has a valid credential, 403 when one has a valid token that
    lacks scopes.
    """
    if not alternatives:
        return None
    if len(alternatives) == 1 and len(alternatives[0]) == 1:  # the usual case: one scheme, its scopes
        scheme_name, scopes = alternatives[0][0]
        scheme = schemes.get(scheme_name)
        presented = _presented(request, headers, scheme) if scheme else None
        if presented is None:
            raise _unauthenticated(realm)
        token = await _verify(verifier, presented, request)
        if token is None:
            raise _invalid_token(realm)
        if not token.scopes.issuperset(scopes):
            raise _missing_scope(realm, scopes)
        return token
    return await _authorize_any(request, headers, alternatives, schemes, verifier, realm)


async def _authorize_any(
    request: Request,
    headers: RawHeaders,
    alternatives: Sequence[Requirement],
    schemes: dict[str, SecurityScheme],
    verifier: TokenVerifier,
    realm: str,
) -> VerifiedToken | None:
    """`authorize` for several alternatives, or several schemes in one."""
    verified: dict[str, VerifiedToken | None] = {}
    presented = False
    missing_scopes: tuple[str, ...] | None = None
    anonymous = False
    for alternative in alternatives:
        if not alternative:
            anonymous = True
            continue
        token: VerifiedToken | None = None
        for scheme_name, scopes in alternative:
            scheme = schemes.get(scheme_name)
            found = _presented(request, headers, scheme) if scheme else None
            if found is None:
                token = None
                break
            presented = True
            credential = found[1]
            token = verified.get(credential)
            if token is None and credential not in verified:
                token = verified[credential] = await _verify(verifier, found, request)
            if token is None:
                break
            if not token.scopes.issuperset(scopes):
                missing_scopes = missing_scopes or scopes
                token = None
                break
        if token is not None:
            return token
    if anonymous:
        return None
    if missing_scopes is not None:
        raise _missing_scope(realm, missing_scopes)
    if presented:
        raise _invalid_token(realm)
    raise _unauthenticated(realm)
