"""The authorization endpoint's logic: validate a request, then finish it with the customer's decision."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from renkei_sandbox.audit import CONSENT_GRANTED, record_grant_event
from renkei_sandbox.config import AUTHORIZATION_REQUEST_TTL_SECONDS
from renkei_sandbox.db.base import utcnow
from renkei_sandbox.db.models import AuthorizationRequest, Grant, GrantResource, OAuthClient
from renkei_sandbox.oauth.clients import find_client
from renkei_sandbox.oauth.par import pushed_request, store_request
from renkei_sandbox.oauth.request_params import check_request_params
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
    session: Session, params: Mapping[str, str], issuer: str, require_par: bool = True
) -> AuthorizationRequest | RedirectResult:
    """A pending request, or a redirect carrying an RFC 6749 §4.1.2.1 error.

    With `request_uri` (RFC 9126 §4) the pushed request of that client, and nothing else of the query is
    used; without it (only when `require_par` is off) the query is validated and stored.
    Raises AuthorizationPageError when the client is unknown, the redirect URI is not registered exactly,
    the request was not pushed (FAPI) or its `request_uri` is unknown, expired, used or another client's.
    """
    client = find_client(session, params.get("client_id"))
    if client is None:
        raise AuthorizationPageError("アプリケーション(client_id)が登録されていません。")
    request_uri = params.get("request_uri")
    if request_uri is not None:
        pushed = pushed_request(session, client, request_uri)
        if pushed is None:
            raise AuthorizationPageError(
                "認可リクエスト(request_uri)が無効か、有効期限が切れたか、既に使われています。"
            )
        return pushed
    if require_par:
        raise AuthorizationPageError(
            "認可リクエストは事前登録(PAR: request_uri)が必要です。"
            "client_id と request_uri だけを指定してください。"
        )
    redirect_uri = params.get("redirect_uri")
    if not redirect_uri or redirect_uri not in client.redirect_uris:
        raise AuthorizationPageError("リダイレクト先(redirect_uri)が登録内容と一致しません。")
    state = params.get("state")
    checked = check_request_params(session, params)
    if isinstance(checked, tuple):
        code, description = checked
        return RedirectResult(
            redirect_with(
                redirect_uri, {"error": code, "error_description": description, "state": state, "iss": issuer}
            )
        )
    dpop_jkt = params.get("dpop_jkt") or None
    ttl = AUTHORIZATION_REQUEST_TTL_SECONDS
    return store_request(session, client, redirect_uri, checked, dpop_jkt, None, ttl)


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
    code = issue_code(session, grant, client, request.redirect_uri, request.code_challenge, request.dpop_jkt)
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
