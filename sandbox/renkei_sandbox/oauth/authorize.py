"""The authorization endpoint's logic: validate a request, then finish it with the customer's decision."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from renkei_sandbox.audit import CONSENT_GRANTED, record_grant_event
from renkei_sandbox.config import AUTHORIZATION_REQUEST_TTL_SECONDS
from renkei_sandbox.db.base import utcnow
from renkei_sandbox.db.models import AuthorizationRequest, Bank, Grant, GrantResource, OAuthClient
from renkei_sandbox.oauth.clients import find_client
from renkei_sandbox.oauth.pkce import is_valid_challenge
from renkei_sandbox.oauth.scopes import parse_scope
from renkei_sandbox.oauth.tokens import issue_code


class AuthorizationPageError(Exception):
    """The client or redirect URI cannot be trusted: show an error page, never redirect."""


@dataclass(frozen=True)
class RedirectResult:
    location: str


def redirect_with(redirect_uri: str, params: Mapping[str, str | None]) -> str:
    """`redirect_uri` with `params` added to its query (keeping the registered query)."""
    parts = urlsplit(redirect_uri)
    query = parse_qsl(parts.query, keep_blank_values=True)
    query.extend((k, v) for k, v in params.items() if v is not None)
    return urlunsplit(parts._replace(query=urlencode(query)))


def start_authorization(
    session: Session, params: Mapping[str, str], issuer: str
) -> AuthorizationRequest | RedirectResult:
    """A stored pending request, or a redirect carrying an RFC 6749 §4.1.2.1 error.

    Raises AuthorizationPageError when the client is unknown or the redirect URI is not registered exactly.
    """
    client = find_client(session, params.get("client_id"))
    if client is None:
        raise AuthorizationPageError("アプリケーション(client_id)が登録されていません。")
    redirect_uri = params.get("redirect_uri")
    if not redirect_uri or redirect_uri not in client.redirect_uris:
        raise AuthorizationPageError("リダイレクト先(redirect_uri)が登録内容と一致しません。")
    state = params.get("state")

    def error(code: str, description: str) -> RedirectResult:
        return RedirectResult(
            redirect_with(
                redirect_uri, {"error": code, "error_description": description, "state": state, "iss": issuer}
            )
        )

    if params.get("response_type") != "code":
        return error("unsupported_response_type", "response_type must be code")
    if params.get("code_challenge_method") != "S256":
        return error("invalid_request", "code_challenge_method must be S256")
    challenge = params.get("code_challenge")
    if not is_valid_challenge(challenge):
        return error("invalid_request", "code_challenge must be a base64url SHA-256 value (43 characters)")
    scopes = parse_scope(params.get("scope"))
    if scopes is None:
        return error("invalid_scope", "scope is missing or names an unknown scope")
    bank_code = params.get("bank_code") or None
    if bank_code is not None and not _is_servable_bank(session, bank_code):
        return error("invalid_request", "bank_code is not a bank served by this provider")
    request = AuthorizationRequest(
        handle=secrets.token_urlsafe(32),
        request_uri=None,
        client_pk=client.id,
        redirect_uri=redirect_uri,
        scope=" ".join(scopes),
        state=state,
        code_challenge=challenge or "",
        bank_code=bank_code,
        dpop_jkt=None,
        expires_at=utcnow() + timedelta(seconds=AUTHORIZATION_REQUEST_TTL_SECONDS),
        completed_at=None,
    )
    session.add(request)
    session.flush()
    return request


def _is_servable_bank(session: Session, bank_code: str) -> bool:
    bank = session.get(Bank, bank_code)
    return bank is not None and not bank.is_federation


def pending_request(session: Session, handle: str | None) -> AuthorizationRequest | None:
    if not handle:
        return None
    request = session.scalar(select(AuthorizationRequest).where(AuthorizationRequest.handle == handle))
    if request is None or request.completed_at is not None or request.expires_at <= utcnow():
        return None
    return request


class RequestAlreadyCompleted(Exception):
    """A second decision on the same authorization request (double submit, or a race)."""


def _complete(session: Session, request: AuthorizationRequest) -> None:
    """Mark the request decided, atomically: only one decision per request ever yields a redirect."""
    done = session.execute(
        update(AuthorizationRequest)
        .where(AuthorizationRequest.id == request.id, AuthorizationRequest.completed_at.is_(None))
        .values(completed_at=utcnow())
        .returning(AuthorizationRequest.id)
    ).first()
    if done is None:
        raise RequestAlreadyCompleted


def approve(
    session: Session,
    request: AuthorizationRequest,
    customer_id: int,
    bank_code: str,
    account_pks: list[int],
    card_pks: list[int],
    issuer: str,
) -> str:
    """Record the grant, issue a code and return the redirect carrying `code`, `state` and `iss`."""
    client = session.get(OAuthClient, request.client_pk)
    assert client is not None
    _complete(session, request)
    grant = Grant(
        grant_id=secrets.token_hex(12),
        customer_id=customer_id,
        client_pk=client.id,
        bank_code=bank_code,
        scope=request.scope,
        created_at=utcnow(),
        revoked_at=None,
    )
    session.add(grant)
    session.flush()
    session.add_all([GrantResource(grant_pk=grant.id, account_pk=pk, card_pk=None) for pk in account_pks])
    session.add_all([GrantResource(grant_pk=grant.id, account_pk=None, card_pk=pk) for pk in card_pks])
    code = issue_code(session, grant, client, request.redirect_uri, request.code_challenge)
    details: dict[str, str | int | None] = {
        "scope": request.scope,
        "accounts": len(account_pks),
        "cards": len(card_pks),
    }
    record_grant_event(session, CONSENT_GRANTED, grant.id, client.client_id, details)
    return redirect_with(request.redirect_uri, {"code": code, "state": request.state, "iss": issuer})


def deny(session: Session, request: AuthorizationRequest, issuer: str) -> str:
    _complete(session, request)
    return redirect_with(
        request.redirect_uri,
        {
            "error": "access_denied",
            "error_description": "the customer denied the request",
            "state": request.state,
            "iss": issuer,
        },
    )
