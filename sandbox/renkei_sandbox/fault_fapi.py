"""The faults that break the FAPI 2.0 profile (the conformance FAPI group proves it catches each): every one
replaces one function of the authorization server or the resource server's token verifier, process-wide.
Only `faults.with_faults` calls these, on a sandbox served in the FAPI profile."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from types import ModuleType
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.requests import Request

from renkei_sandbox.access import AccessPrincipal


def _patch(module: ModuleType | type, name: str, wrap: Callable[[Any], Any]) -> None:
    """Replace `module.name` by `wrap(original)`: the modules look these names up when they are called."""
    setattr(module, name, wrap(getattr(module, name)))


def par_optional() -> None:
    """`par-optional`: an authorization request with every parameter in the query (no PAR) is served."""
    from renkei_sandbox.oauth import routes

    def wrap(original: Callable[..., Any]) -> Callable[..., Any]:
        def without_par(session: Session, params: Mapping[str, str], issuer: str, _: bool = True) -> Any:
            return original(session, params, issuer, False)

        return without_par

    _patch(routes, "start_authorization", wrap)


def request_uri_reusable() -> None:
    """`request-uri-reusable`: a pushed request stays usable after its authorization was decided."""
    from renkei_sandbox.db.models import AuthorizationRequest, OAuthClient
    from renkei_sandbox.oauth import authorize

    def reopened(session: Session, client: OAuthClient, request_uri: str) -> AuthorizationRequest | None:
        request = session.scalar(
            select(AuthorizationRequest).where(AuthorizationRequest.request_uri == request_uri)
        )
        if request is None or request.client_pk != client.id:
            return None
        request.completed_at = None
        return request

    _patch(authorize, "pushed_request", lambda _: reopened)


def client_secret_accepted() -> None:
    """`client-secret-accepted`: client_secret_basic and client_secret_post authenticate clients too (the
    metadata still offers private_key_jwt only)."""
    from renkei_sandbox.config import Settings
    from renkei_sandbox.oauth import routes
    from renkei_sandbox.oauth.client_assertion import PrivateKeyJwt
    from renkei_sandbox.oauth.client_auth import ClientAuthenticator, ClientSecretBasic, ClientSecretPost

    def with_secrets(settings: Settings) -> tuple[ClientAuthenticator, ...]:
        return (PrivateKeyJwt(settings.issuer), ClientSecretBasic(), ClientSecretPost())

    _patch(routes, "authenticators_for", lambda _: with_secrets)


Binding = Callable[[Any, Session, AccessPrincipal, str, str, "Request | None"], None]


def _wrap_binding(wrapper: Callable[[Binding], Binding]) -> None:
    from renkei_sandbox.api import verifier

    _patch(verifier.SandboxTokenVerifier, "_check_binding", wrapper)


def _bound(principal: AccessPrincipal, request: Request | None) -> bool:
    return principal.cnf_jkt is not None and request is not None


def dpop_proof_optional() -> None:
    """`dpop-proof-optional`: a DPoP-bound token sent with the DPoP scheme but no proof is accepted."""

    def wrapper(original: Binding) -> Binding:
        def lenient(
            self: Any, session: Session, principal: AccessPrincipal, token: str, scheme: str, request: Any
        ) -> None:
            if _bound(principal, request) and scheme == "dpop" and not request.headers.getlist("dpop"):
                return
            original(self, session, principal, token, scheme, request)

        return lenient

    _wrap_binding(wrapper)


def bearer_accepted() -> None:
    """`bearer-accepted`: a DPoP-bound token presented as `Bearer` is accepted (downgrade, RFC 9449 §7.2)."""

    def wrapper(original: Binding) -> Binding:
        def downgraded(
            self: Any, session: Session, principal: AccessPrincipal, token: str, scheme: str, request: Any
        ) -> None:
            if _bound(principal, request) and scheme == "bearer":
                return
            original(self, session, principal, token, scheme, request)

        return downgraded

    _wrap_binding(wrapper)


def dpop_key_unchecked() -> None:
    """`dpop-key-unchecked`: a valid proof of any key is accepted for a DPoP-bound token (`cnf.jkt`)."""
    from renkei_sandbox.oauth.jose import JoseInvalid, parse_unverified, public_key_from_jwk, thumbprint

    def wrapper(original: Binding) -> Binding:
        def keyless(
            self: Any, session: Session, principal: AccessPrincipal, token: str, scheme: str, request: Any
        ) -> None:
            proofs = request.headers.getlist("dpop") if request is not None else []
            if _bound(principal, request) and len(proofs) == 1:
                try:
                    header, _ = parse_unverified(proofs[0])
                    principal = replace(principal, cnf_jkt=thumbprint(public_key_from_jwk(header.get("jwk"))))
                except JoseInvalid:
                    pass
            original(self, session, principal, token, scheme, request)

        return keyless

    _wrap_binding(wrapper)


def dpop_replay_accepted() -> None:
    """`dpop-replay-accepted`: no `jti` replay cache: the same proof is accepted again (AS and RS)."""
    from datetime import datetime

    from renkei_sandbox.oauth import dpop

    def always_first(session: Session, kind: str, value: str, keep_until: datetime) -> bool:
        return True

    _patch(dpop, "first_use", lambda _: always_first)


def dpop_htu_htm_unchecked() -> None:
    """`dpop-htu-unchecked`: the resource server takes a proof's `htm` and `htu` as the request's own."""
    from renkei_sandbox.api import verifier
    from renkei_sandbox.oauth.jose import JoseInvalid, parse_unverified

    def wrap(original: Callable[..., Any]) -> Callable[..., Any]:
        def anywhere(session: Session, headers: Sequence[str], method: str, url: str, **options: Any) -> Any:
            if len(headers) == 1:
                try:
                    _, claims = parse_unverified(headers[0].strip())
                    method, url = str(claims.get("htm", method)), str(claims.get("htu", url))
                except JoseInvalid:
                    pass
            return original(session, headers, method, url, **options)

        return anywhere

    _patch(verifier, "check_proof", wrap)


def refresh_reuse_undetected() -> None:
    """`refresh-reuse-undetected`: a spent (rotated) refresh token is refused, but its grant is not revoked,
    so the thief's or the client's newer refresh token keeps working (RFC 9700 §4.14.2)."""
    from renkei_sandbox.db.models import OAuthClient, Token
    from renkei_sandbox.db.models.oauth import TOKEN_REFRESH
    from renkei_sandbox.oauth import tokens
    from renkei_sandbox.oauth.errors import invalid_grant
    from renkei_sandbox.secrets_util import credential_hash

    def wrap(original: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
        def forgiving(
            session: Session, client: OAuthClient, refresh_token: str | None, scope: str | None, *args: Any
        ) -> dict[str, Any]:
            row = session.scalar(
                select(Token).where(
                    Token.token_hash == credential_hash(refresh_token or ""), Token.kind == TOKEN_REFRESH
                )
            )
            if row is not None and row.revoked_at is not None:
                raise invalid_grant("unknown, expired or revoked refresh token")
            return original(session, client, refresh_token, scope, *args)

        return forgiving

    _patch(tokens, "refresh_access_token", wrap)


FAPI_PATCHES: dict[str, Callable[[], None]] = {
    "par-optional": par_optional,
    "request-uri-reusable": request_uri_reusable,
    "client-secret-accepted": client_secret_accepted,
    "dpop-proof-optional": dpop_proof_optional,
    "dpop-key-unchecked": dpop_key_unchecked,
    "dpop-replay-accepted": dpop_replay_accepted,
    "dpop-htu-unchecked": dpop_htu_htm_unchecked,
    "bearer-accepted": bearer_accepted,
    "refresh-reuse-undetected": refresh_reuse_undetected,
}
