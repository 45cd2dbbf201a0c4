"""HTTP endpoints of the authorization server: /oauth/* and /.well-known/oauth-authorization-server."""
# The FAPI 2.0 profile (settings.profile == "fapi"): PAR required, private_key_jwt only, DPoP proofs
# required at PAR (optional there: it binds the code) and token; the plain profile keeps OAuth 2.0 + PKCE.

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from renkei_sandbox.config import Settings
from renkei_sandbox.db.models import OAuthClient
from renkei_sandbox.limits.rates import Verdict, count_request, refused_already
from renkei_sandbox.logs import audit
from renkei_sandbox.oauth import tokens
from renkei_sandbox.oauth.authorize import AuthorizationPageError, RedirectResult, start_authorization
from renkei_sandbox.oauth.client_auth import ClientAuthInput, authenticate_client
from renkei_sandbox.oauth.dpop import DPoPError, check_proof
from renkei_sandbox.oauth.errors import OAuthError, invalid_request
from renkei_sandbox.oauth.metadata import server_metadata
from renkei_sandbox.oauth.nonces import current_nonce
from renkei_sandbox.oauth.par import push_request
from renkei_sandbox.oauth.profiles import authenticators_for
from renkei_sandbox.rendering import render_error_page
from renkei_sandbox.state import sandbox_state

router = APIRouter()
_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def oauth_error_response(error: OAuthError) -> JSONResponse:
    headers = dict(_NO_STORE)
    if error.status_code == 401:
        headers["WWW-Authenticate"] = 'Basic realm="renkei-sandbox"'
    headers.update(error.headers)
    return JSONResponse(
        {"error": error.error, "error_description": error.description},
        status_code=error.status_code,
        headers=headers,
    )


@router.get("/.well-known/oauth-authorization-server")
def metadata(request: Request) -> JSONResponse:
    return JSONResponse(server_metadata(sandbox_state(request).settings))


@router.get("/oauth/authorize", response_model=None)
def authorize(request: Request) -> Response:
    state = sandbox_state(request)
    params = dict(request.query_params)
    if len(request.query_params.multi_items()) != len(params):
        return render_error_page(request, "同じパラメータが複数回指定されています。")
    with state.db.write_session() as session, session.begin():
        try:
            result = start_authorization(session, params, state.settings.issuer, state.settings.fapi)
        except AuthorizationPageError as error:
            audit("authorization_request", "rejected", client_id=params.get("client_id"))
            return render_error_page(request, str(error))
        if isinstance(result, RedirectResult):
            audit("authorization_request", "error_redirect", client_id=params.get("client_id"))
            return RedirectResponse(result.location, status_code=303)
        handle = result.handle
    audit("authorization_request", "accepted", client_id=params.get("client_id"))
    return RedirectResponse(f"/login?request={handle}", status_code=303)


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    items = [(k, v) for k, v in form.multi_items() if isinstance(v, str)]
    values = dict(items)
    if len(values) != len(form.multi_items()):
        raise invalid_request("a parameter is repeated or not a plain value")
    return values


@dataclass
class _Outcome:
    result: dict[str, Any] | None = None
    error: OAuthError | None = None
    client_id: str | None = None
    verdict: Verdict | None = None
    headers: dict[str, str] | None = None


Action = Callable[[Session, OAuthClient, dict[str, str]], dict[str, Any] | None]


def _rate_limited(verdict: Verdict) -> JSONResponse:
    return JSONResponse(
        {"error": "too_many_requests", "error_description": "rate limit exceeded; retry after Retry-After"},
        status_code=429,
        headers={**_NO_STORE, **verdict.headers()},
    )


def _source_of(request: Request) -> str:
    return f"source:{request.client.host if request.client else 'unknown'}"


async def _client_endpoint(
    request: Request,
    event: str,
    limit: str,
    action: Callable[[Request, Settings], Action],
    success_status: int = 200,
) -> Response:
    """Parse the form, authenticate the client and run `action` in one write transaction.

    The transaction commits on OAuth errors too, so that a consumed code or a revoked grant stays so.
    Rate limit `limit` counts per client; a caller that fails to authenticate counts per source address,
    and once that is full it is refused before its credentials are even looked at.
    """
    state = sandbox_state(request)
    limits = state.settings.rate_limits
    try:
        form = await _form(request)
    except OAuthError as error:
        return oauth_error_response(error)
    given = ClientAuthInput(request.headers.get("authorization"), form)
    source = _source_of(request)
    authenticators = authenticators_for(state.settings)
    run_action = action(request, state.settings)

    def run() -> _Outcome:
        with state.db.write_session() as session:
            outcome = _Outcome(verdict=refused_already(session, limits, limit, source))
            if outcome.verdict is not None:
                return outcome
            try:
                try:
                    client = authenticate_client(session, given, authenticators)
                except OAuthError:
                    count_request(session, limits, limit, source)
                    raise
                outcome.client_id = client.client_id
                outcome.verdict = count_request(session, limits, limit, f"client:{client.client_id}")
                if outcome.verdict is None or outcome.verdict.allowed:
                    outcome.result = run_action(session, client, form)
            except OAuthError as error:
                outcome.error = error
            if state.settings.dpop_nonce and limit in ("token", "par"):
                outcome.headers = {"DPoP-Nonce": current_nonce(session)}
            session.commit()
            return outcome

    outcome = await run_in_threadpool(run)
    limit_headers = outcome.verdict.headers() if outcome.verdict is not None else {}
    if outcome.verdict is not None and not outcome.verdict.allowed:
        audit(event, "rate_limited", client_id=outcome.client_id)
        return _rate_limited(outcome.verdict)
    if outcome.error is not None:
        audit(event, "failure", client_id=outcome.client_id, error=outcome.error.error)
        response: Response = oauth_error_response(outcome.error)
    else:
        audit(event, "success", client_id=outcome.client_id)
        if outcome.result is None:
            response = Response(status_code=200, headers=_NO_STORE)
        else:
            response = JSONResponse(outcome.result, status_code=success_status, headers=_NO_STORE)
    response.headers.update(limit_headers)
    if outcome.headers and "DPoP-Nonce" not in response.headers:
        response.headers.update(outcome.headers)
    return response


def _proof_jkt(request: Request, settings: Settings, session: Session, required: bool) -> str | None:
    """The thumbprint of the request's DPoP proof (checked), None when there is none and none is required."""
    proofs = request.headers.getlist("dpop")
    if not proofs and not required:
        return None
    url = settings.issuer + request.url.path
    try:
        return check_proof(session, proofs, request.method, url, require_nonce=settings.dpop_nonce).jkt
    except DPoPError as error:
        headers = {"DPoP-Nonce": error.nonce} if error.nonce else None
        raise OAuthError(error.error, error.description, 400, headers) from None


def _token_action(request: Request, settings: Settings) -> Action:
    def run(session: Session, client: OAuthClient, form: dict[str, str]) -> dict[str, Any]:
        grant_type = form.get("grant_type")
        if grant_type not in ("authorization_code", "refresh_token"):
            if not grant_type:
                raise invalid_request("grant_type is required")
            raise OAuthError("unsupported_grant_type", f"grant_type {grant_type} is not supported")
        jkt = _proof_jkt(request, settings, session, required=settings.fapi)
        if grant_type == "authorization_code":
            code, redirect_uri, verifier = (
                form.get("code"),
                form.get("redirect_uri"),
                form.get("code_verifier"),
            )
            return tokens.redeem_code(session, client, code, redirect_uri, verifier, jkt)
        refresh_token, scope = form.get("refresh_token"), form.get("scope")
        rotate = settings.rotate_refresh_tokens
        return tokens.refresh_access_token(session, client, refresh_token, scope, rotate, jkt)

    return run


def _par_action(request: Request, settings: Settings) -> Action:
    def run(session: Session, client: OAuthClient, form: dict[str, str]) -> dict[str, Any]:
        jkt = _proof_jkt(request, settings, session, required=False)
        return push_request(session, client, form, jkt)

    return run


def _revoke_action(request: Request, settings: Settings) -> Action:
    def run(session: Session, client: OAuthClient, form: dict[str, str]) -> None:
        tokens.revoke_token(session, client, form.get("token"))

    return run


def _introspect_action(request: Request, settings: Settings) -> Action:
    def run(session: Session, client: OAuthClient, form: dict[str, str]) -> dict[str, Any]:
        return tokens.introspect(session, client, form.get("token"), audience=f"{settings.issuer}/v2")

    return run


@router.post("/oauth/par")
async def par(request: Request) -> Response:
    """RFC 9126 §2: 201 with `request_uri` and `expires_in`."""
    return await _client_endpoint(request, "par", "par", _par_action, success_status=201)


@router.post("/oauth/token")
async def token(request: Request) -> Response:
    return await _client_endpoint(request, "token", "token", _token_action)


@router.post("/oauth/revoke")
async def revoke(request: Request) -> Response:
    return await _client_endpoint(request, "revocation", "revocation", _revoke_action)


@router.post("/oauth/introspect")
async def introspect(request: Request) -> Response:
    return await _client_endpoint(request, "introspection", "introspection", _introspect_action)
