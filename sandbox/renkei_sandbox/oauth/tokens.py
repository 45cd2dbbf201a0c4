"""Codes, access and refresh tokens, grants: issuing, redeeming, revoking, introspecting and verifying."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from renkei_sandbox.access import AccessPrincipal
from renkei_sandbox.audit import CODE_REUSED, CONSENT_REVOKED, record_grant_event
from renkei_sandbox.config import (
    ACCESS_TOKEN_TTL_SECONDS,
    AUTHORIZATION_CODE_TTL_SECONDS,
    CONSENT_LIFETIME_DAYS,
    REFRESH_TOKEN_TTL_SECONDS,
)
from renkei_sandbox.db.base import utcnow
from renkei_sandbox.db.models import AuthorizationCode, Customer, Grant, GrantResource, OAuthClient, Token
from renkei_sandbox.db.models.oauth import TOKEN_ACCESS, TOKEN_REFRESH
from renkei_sandbox.oauth.errors import OAuthError, invalid_grant, invalid_request
from renkei_sandbox.oauth.pkce import verifier_matches
from renkei_sandbox.secrets_util import credential_hash, new_credential


def issue_code(
    session: Session,
    grant: Grant,
    client: OAuthClient,
    redirect_uri: str,
    code_challenge: str,
    dpop_jkt: str | None = None,
) -> str:
    """A code bound to the client, the redirect URI, the PKCE challenge and (RFC 9449 §10) a DPoP key."""
    code = new_credential()
    session.add(
        AuthorizationCode(
            code_hash=credential_hash(code),
            client_pk=client.id,
            grant_pk=grant.id,
            redirect_uri=redirect_uri,
            code_challenge=code_challenge,
            dpop_jkt=dpop_jkt,
            expires_at=utcnow() + timedelta(seconds=AUTHORIZATION_CODE_TTL_SECONDS),
            used_at=None,
        )
    )
    return code


def redeem_code(
    session: Session,
    client: OAuthClient,
    code: str | None,
    redirect_uri: str | None,
    verifier: str | None,
    proof_jkt: str | None = None,
) -> dict[str, Any]:
    """The token response for a valid code; `invalid_grant` for an unknown, foreign, reused or expired code,
    a different redirect URI or a wrong PKCE verifier. A reused code also revokes the tokens it produced.

    `proof_jkt` is the thumbprint of the request's DPoP key: the tokens are bound to it (`cnf.jkt`), and a
    code bound to a DPoP key (`dpop_jkt`) is only redeemed with a proof of that key."""
    if not code:
        raise invalid_request("code is required")
    if not redirect_uri:
        raise invalid_request("redirect_uri is required")
    row = session.scalar(
        select(AuthorizationCode).where(AuthorizationCode.code_hash == credential_hash(code))
    )
    if row is None or row.client_pk != client.id:
        raise invalid_grant("unknown authorization code")
    now = utcnow()
    if not _first_to_mark(session, AuthorizationCode, row.id, AuthorizationCode.used_at, now):
        revoke_grant(session, row.grant_pk)
        record_grant_event(session, CODE_REUSED, row.grant_pk, client.client_id, {"grant_revoked": 1})
        raise invalid_grant("authorization code already used")
    if row.expires_at <= now:
        raise invalid_grant("authorization code expired")
    if row.redirect_uri != redirect_uri:
        raise invalid_grant("redirect_uri does not match the authorization request")
    if not verifier_matches(verifier, row.code_challenge):
        raise invalid_grant("code_verifier does not match the code_challenge")
    if row.dpop_jkt is not None and row.dpop_jkt != proof_jkt:
        raise OAuthError("invalid_dpop_proof", "the DPoP key differs from the one the code is bound to")
    grant = session.get(Grant, row.grant_pk)
    if grant is None or grant.revoked_at is not None:
        raise invalid_grant("the grant has been revoked")
    _check_client_and_lifetime(client, grant, now)
    access = new_token(session, grant, TOKEN_ACCESS, grant.scope, ACCESS_TOKEN_TTL_SECONDS, proof_jkt)
    refresh = new_token(session, grant, TOKEN_REFRESH, grant.scope, REFRESH_TOKEN_TTL_SECONDS, proof_jkt)
    return _token_response(access, grant.scope, refresh, proof_jkt)


def refresh_access_token(
    session: Session,
    client: OAuthClient,
    refresh_token: str | None,
    scope: str | None,
    rotate: bool = True,
    proof_jkt: str | None = None,
) -> dict[str, Any]:
    """A new access token. With `rotate`, also a new refresh token (same grant, same expiry) while the
    presented one is retired; presenting a retired or revoked refresh token again is taken as theft
    (RFC 9700 §4.14.2) and revokes the whole grant, every access and refresh token of it. Without `rotate`
    the refresh token stays valid (FAPI 2.0 §5.3.2.1-10). A DPoP-bound refresh token is only used with a
    proof of its key (RFC 9449 §5), and so are the new tokens bound."""
    if not refresh_token:
        raise invalid_request("refresh_token is required")
    row = session.scalar(
        select(Token).where(Token.token_hash == credential_hash(refresh_token), Token.kind == TOKEN_REFRESH)
    )
    if row is None or row.client_pk != client.id:
        raise invalid_grant("unknown, expired or revoked refresh token")
    now = utcnow()
    if row.revoked_at is not None:
        revoke_grant(session, row.grant_pk)
        raise invalid_grant("the refresh token was already used or revoked; its grant is revoked")
    if row.expires_at <= now:
        raise invalid_grant("unknown, expired or revoked refresh token")
    if row.cnf_jkt is not None and row.cnf_jkt != proof_jkt:
        raise OAuthError("invalid_dpop_proof", "the refresh token is bound to another DPoP key")
    grant = session.get(Grant, row.grant_pk)
    if grant is None or grant.revoked_at is not None:
        raise invalid_grant("the grant has been revoked")
    _check_client_and_lifetime(client, grant, now)
    granted = grant.scope.split()
    if scope is not None:
        requested = scope.split()
        if not requested or not set(requested) <= set(granted):
            raise OAuthError("invalid_scope", "the requested scope exceeds the grant")
        granted = [s for s in granted if s in requested]
    new_refresh = None
    if rotate:
        # Retire the presented token; when a concurrent refresh with it won, this request is the reuse.
        if not _first_to_mark(session, Token, row.id, Token.revoked_at, now):
            revoke_grant(session, row.grant_pk)
            raise invalid_grant("the refresh token was already used or revoked; its grant is revoked")
        remaining = int((row.expires_at - now).total_seconds())
        new_refresh = new_token(session, grant, TOKEN_REFRESH, row.scope, remaining, row.cnf_jkt)
    new_scope = " ".join(granted)
    jkt = row.cnf_jkt or proof_jkt
    access = new_token(session, grant, TOKEN_ACCESS, new_scope, ACCESS_TOKEN_TTL_SECONDS, jkt)
    return _token_response(access, new_scope, new_refresh, jkt)


def _check_client_and_lifetime(client: OAuthClient, grant: Grant, now: datetime) -> None:
    """No new tokens for a suspended connector (unauthorized_client) or a consent past its lifetime."""
    if client.suspended_at is not None:
        raise OAuthError("unauthorized_client", "the client is suspended by the provider")
    if consent_ends_at(grant) <= now:
        raise invalid_grant("the consent has expired; ask the customer to consent again")


def revoke_token(session: Session, client: OAuthClient, token: str | None) -> None:
    """RFC 7009: revoking any token of a grant kills every token of that grant. Unknown or foreign: no-op."""
    if not token:
        raise invalid_request("token is required")
    row = session.scalar(select(Token).where(Token.token_hash == credential_hash(token)))
    if row is not None and row.client_pk == client.id:
        revoke_grant(session, row.grant_pk)
        record_grant_event(session, CONSENT_REVOKED, row.grant_pk, client.client_id, {"by": "client"})


def revoke_grant(session: Session, grant_pk: int) -> None:
    now = utcnow()
    session.execute(
        update(Token).where(Token.grant_pk == grant_pk, Token.revoked_at.is_(None)).values(revoked_at=now)
    )
    session.execute(
        update(Grant).where(Grant.id == grant_pk, Grant.revoked_at.is_(None)).values(revoked_at=now)
    )


def introspect(
    session: Session, client: OAuthClient, token: str | None, audience: str | None = None
) -> dict[str, Any]:
    """RFC 7662; exactly `{"active": false}` for an unknown, expired, revoked or another client's token."""
    inactive: dict[str, Any] = {"active": False}
    if not token:
        return inactive
    row = session.scalar(select(Token).where(Token.token_hash == credential_hash(token)))
    if row is None or row.client_pk != client.id or not _is_live(row, utcnow()):
        return inactive
    grant = session.get(Grant, row.grant_pk)
    customer = session.get(Customer, grant.customer_id) if grant is not None else None
    if grant is None or grant.revoked_at is not None or customer is None:
        return inactive
    response: dict[str, Any] = {
        "active": True,
        "scope": row.scope,
        "client_id": client.client_id,
        "token_type": ("DPoP" if row.cnf_jkt else "Bearer") if row.kind == TOKEN_ACCESS else "refresh_token",
        "exp": int(row.expires_at.timestamp()),
        "iat": int(row.issued_at.timestamp()),
        "sub": customer.login_id,
        "bank_code": grant.bank_code,
        "grant_id": grant.grant_id,
    }
    if audience is not None:
        response["aud"] = audience
    if row.cnf_jkt:
        response["cnf"] = {"jkt": row.cnf_jkt}
    return response


class ConsentRefused(Exception):
    """A token of a consent that no longer holds: revoked (401 consent_revoked), past its lifetime (401
    consent_expired), or of a suspended connector (403 client_suspended)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def consent_ends_at(grant: Grant) -> datetime:
    return grant.created_at + timedelta(days=CONSENT_LIFETIME_DAYS)


def _consent_refusal(grant: Grant, suspended_at: datetime | None, now: datetime) -> ConsentRefused | None:
    if suspended_at is not None:
        return ConsentRefused(403, "client_suspended", "金融機関がこの接続先の利用を停止しています。")
    if grant.revoked_at is not None:
        return ConsentRefused(
            401, "consent_revoked", "利用者の同意が取り消されています。再度同意を得てください。"
        )
    if consent_ends_at(grant) <= now:
        return ConsentRefused(
            401, "consent_expired", "利用者の同意の有効期限が切れています。再度同意を得てください。"
        )
    return None


def verify_access_token(session: Session, token: str) -> AccessPrincipal | None:
    """The principal of a live access token; None when unknown, expired or revoked (its grant included)."""
    verified = verify_access_token_with_login(session, token)
    return None if verified is None else verified[0]


def verify_access_token_with_login(session: Session, token: str) -> tuple[AccessPrincipal, str] | None:
    """`verify_access_token` and the customer's login id. Two statements on every API request: the token
    with its grant, client and customer (one join), then the grant's resources (it was five statements,
    each with SQLAlchemy's per-statement cost)."""
    found = session.execute(
        select(Token, Grant, OAuthClient.client_id, Customer.login_id, OAuthClient.suspended_at)
        .join(Grant, Grant.id == Token.grant_pk)
        .join(OAuthClient, OAuthClient.id == Token.client_pk)
        .join(Customer, Customer.id == Grant.customer_id)
        .where(Token.token_hash == credential_hash(token), Token.kind == TOKEN_ACCESS)
    ).first()
    if found is None:
        return None
    row, grant, client_id, login_id, suspended_at = found.tuple()
    now = utcnow()
    if row.expires_at <= now:
        return None  # an access token past its 10 minutes: invalid_token, whatever its consent
    refusal = _consent_refusal(grant, suspended_at, now)
    if refusal is not None:
        raise refusal
    if not _is_live(row, now):
        return None
    resources = session.scalars(select(GrantResource).where(GrantResource.grant_pk == grant.id)).all()
    principal = AccessPrincipal(
        grant_pk=grant.id,
        customer_id=grant.customer_id,
        bank_code=grant.bank_code,
        client_pk=row.client_pk,
        client_id=client_id,
        scopes=frozenset(row.scope.split()),
        account_pks=frozenset(r.account_pk for r in resources if r.account_pk is not None),
        card_pks=frozenset(r.card_pk for r in resources if r.card_pk is not None),
        cnf_jkt=row.cnf_jkt,
    )
    return principal, login_id


def _first_to_mark(
    session: Session,
    model: type[AuthorizationCode] | type[Token],
    row_id: int,
    column: InstrumentedAttribute[datetime | None],
    now: datetime,
) -> bool:
    """Set `column` of row `row_id` to `now` if it is still NULL; True when this call did it (one atomic
    UPDATE: of two concurrent callers, exactly one wins)."""
    marked = session.execute(
        update(model)
        .where(model.id == row_id, column.is_(None))
        .values({column.key: now})
        .returning(model.id)
    ).first()
    return marked is not None


def _is_live(row: Token, now: datetime) -> bool:
    return row.revoked_at is None and row.expires_at > now


def _live_token(session: Session, token: str, kind: str) -> Token | None:
    row = session.scalar(select(Token).where(Token.token_hash == credential_hash(token), Token.kind == kind))
    return row if row is not None and _is_live(row, utcnow()) else None


def new_token(
    session: Session, grant: Grant, kind: str, scope: str, ttl_seconds: int, cnf_jkt: str | None = None
) -> str:
    value = new_credential()
    now = utcnow()
    session.add(
        Token(
            token_hash=credential_hash(value),
            kind=kind,
            grant_pk=grant.id,
            client_pk=grant.client_pk,
            scope=scope,
            cnf_jkt=cnf_jkt,
            issued_at=now,
            expires_at=now + timedelta(seconds=ttl_seconds),
            revoked_at=None,
        )
    )
    return value


def _token_response(access: str, scope: str, refresh: str | None, jkt: str | None = None) -> dict[str, Any]:
    response: dict[str, Any] = {
        "access_token": access,
        "token_type": "DPoP" if jkt else "Bearer",
        "expires_in": ACCESS_TOKEN_TTL_SECONDS,
        "scope": scope,
    }
    if refresh is not None:
        response["refresh_token"] = refresh
    return response
