"""Pushed authorization requests (RFC 9126): the client posts its authorization request, authenticated,
and gets a short-lived `request_uri` that only it can use, once, at /authorize."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from renkei_sandbox.config import PAR_REQUEST_URI_TTL_SECONDS
from renkei_sandbox.db.base import utcnow
from renkei_sandbox.db.models import AuthorizationRequest, OAuthClient
from renkei_sandbox.oauth.errors import OAuthError, invalid_request
from renkei_sandbox.oauth.request_params import RequestParams, check_request_params

REQUEST_URI_PREFIX = "urn:ietf:params:oauth:request_uri:"


def push_request(
    session: Session, client: OAuthClient, form: Mapping[str, str], proof_jkt: str | None
) -> dict[str, str | int]:
    """The 201 body `{request_uri, expires_in}`; OAuthError 400 for a request that would fail at /authorize.

    `proof_jkt` is the thumbprint of the PAR request's DPoP proof, if it had one: the code will be bound to
    that key, or to `dpop_jkt`; both given and different is an error (RFC 9449 §10.1)."""
    if "request_uri" in form:
        raise invalid_request("request_uri must not be sent to the PAR endpoint")
    if "request" in form:
        raise OAuthError("request_not_supported", "request objects (JAR) are not supported")
    if form.get("client_id") not in (None, client.client_id):
        raise OAuthError("invalid_client", "client_id does not match the authenticated client", 401)
    redirect_uri = form.get("redirect_uri")
    if not redirect_uri:
        raise invalid_request("redirect_uri is required")
    if redirect_uri not in client.redirect_uris:
        raise invalid_request("redirect_uri is not registered for this client (exact match)")
    checked = check_request_params(session, form)
    if isinstance(checked, tuple):
        raise OAuthError(*checked)
    dpop_jkt = form.get("dpop_jkt") or None
    if dpop_jkt is not None and proof_jkt is not None and dpop_jkt != proof_jkt:
        raise OAuthError("invalid_dpop_proof", "dpop_jkt differs from the key of the DPoP proof")
    request_uri = REQUEST_URI_PREFIX + secrets.token_urlsafe(32)
    store_request(
        session,
        client,
        redirect_uri,
        checked,
        dpop_jkt or proof_jkt,
        request_uri,
        PAR_REQUEST_URI_TTL_SECONDS,
    )
    return {"request_uri": request_uri, "expires_in": PAR_REQUEST_URI_TTL_SECONDS}


def store_request(
    session: Session,
    client: OAuthClient,
    redirect_uri: str,
    params: RequestParams,
    dpop_jkt: str | None,
    request_uri: str | None,
    ttl_seconds: int,
) -> AuthorizationRequest:
    """A pending request (pushed when it has a `request_uri`), waiting for login and consent."""
    request = AuthorizationRequest(
        handle=secrets.token_urlsafe(32),
        request_uri=request_uri,
        client_pk=client.id,
        redirect_uri=redirect_uri,
        scope=params.scope,
        state=params.state,
        code_challenge=params.code_challenge,
        bank_code=params.bank_code,
        dpop_jkt=dpop_jkt,
        expires_at=utcnow() + timedelta(seconds=ttl_seconds),
        completed_at=None,
    )
    session.add(request)
    session.flush()
    return request


def pushed_request(session: Session, client: OAuthClient, request_uri: str) -> AuthorizationRequest | None:
    """The pending pushed request of `client` at `request_uri`; None when unknown, another client's,
    expired or already decided (single use: a decision completes it)."""
    request = session.scalar(
        select(AuthorizationRequest).where(AuthorizationRequest.request_uri == request_uri)
    )
    if request is None or request.client_pk != client.id:
        return None
    if request.completed_at is not None or request.expires_at <= utcnow():
        return None
    return request
