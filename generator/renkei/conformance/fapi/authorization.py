"""The authorization server's side of FAPI 2.0: PAR required, `request_uri` single use, client secrets
refused (private_key_jwt only)."""

from __future__ import annotations

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlsplit

import httpx

from renkei.conformance.fapi.context import AUTHORIZATION_SERVER, FapiContext
from renkei.conformance.fapi.session import FapiLogin

CHECK_PAR = "fapi-par-required"
CHECK_REQUEST_URI = "fapi-request-uri-single-use"
CHECK_SECRET = "fapi-client-secret-refused"
SECRET_METHODS = ("client_secret_basic", "client_secret_post", "client_secret_jwt")


def _pkce_challenge() -> str:
    digest = hashlib.sha256(secrets.token_urlsafe(48).encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _served(response: httpx.Response, redirect_uri: str) -> str | None:
    """None when the authorization endpoint refused the request (a 4xx page, or an error redirect to the
    client); else what it did instead."""
    if 400 <= response.status_code < 500:
        return None
    location = response.headers.get("location", "")
    if response.is_redirect:
        query = parse_qs(urlsplit(location).query)
        if location.startswith(redirect_uri) and "error" in query:
            return None
        return f"HTTP {response.status_code} to {location}: the request goes on (login, consent)"
    return f"HTTP {response.status_code}: the request was served"


def check_par_required(context: FapiContext) -> None:
    """FAPI 2.0 §5.3.2.2-3: an authorization request sent without PAR (all parameters in the query) is
    refused; RFC 9126 §5: the metadata says `require_pushed_authorization_requests: true`."""
    authorize = context.endpoint("authorization_endpoint")
    if authorize is None:
        context.fail(
            AUTHORIZATION_SERVER, "authorize", CHECK_PAR, "the metadata has no authorization_endpoint"
        )
        return
    credentials = context.credentials
    params = {
        "response_type": "code",
        "client_id": credentials.client_id,
        "redirect_uri": credentials.redirect_uri,
        "scope": " ".join(context.scopes),
        "state": secrets.token_urlsafe(12),
        "code_challenge": _pkce_challenge(),
        "code_challenge_method": "S256",
    }
    if credentials.bank_code:
        params["bank_code"] = credentials.bank_code
    response = context.http.get(authorize, params=params)
    problems: list[tuple[str, httpx.Response]] = []
    served = _served(response, credentials.redirect_uri)
    if served is not None:
        problems.append(
            (f"an authorization request without PAR (no request_uri) was accepted: {served}", response)
        )
    if context.metadata.get("require_pushed_authorization_requests") is not True:
        problems.append(("the metadata lacks require_pushed_authorization_requests: true", response))
    context.verdict(AUTHORIZATION_SERVER, "authorize", CHECK_PAR, problems)


def check_request_uri_single_use(context: FapiContext, login: FapiLogin) -> None:
    """RFC 9126 §4 / FAPI 2.0 §5.3.2.2 (Note 3: one-time use enforced at the point of authorization): the
    `request_uri` of an authorization that has been decided is refused at the authorization endpoint."""
    again = context.http.get(login.pending.authorization_url)
    served = _served(again, context.credentials.redirect_uri)
    problems = []
    if served is not None:
        problems.append((f"the request_uri of a completed authorization was accepted again: {served}", again))
    context.verdict(AUTHORIZATION_SERVER, "authorize", CHECK_REQUEST_URI, problems)


def _invalid_client(response: httpx.Response) -> bool:
    if response.status_code not in (400, 401):
        return False
    try:
        body = response.json()
    except ValueError:
        return False
    return isinstance(body, dict) and body.get("error") == "invalid_client"


def check_client_secret_refused(context: FapiContext) -> None:
    """FAPI 2.0 §5.3.2.1-6: clients authenticate with private_key_jwt or mTLS only; a registered client's
    correct secret (client_secret_basic, client_secret_post) is answered `invalid_client` (RFC 6749 §5.2)
    at the PAR and token endpoints, and the metadata offers no secret-based method."""
    operation = "par"
    secret_client = context.profile.fapi.secret_client
    par = context.endpoint("pushed_authorization_request_endpoint")
    token = context.endpoint("token_endpoint")
    if secret_client is None or not secret_client.client_secret:
        context.skip(AUTHORIZATION_SERVER, operation, CHECK_SECRET, "give fapi.secret_client in the profile")
        return
    if par is None or token is None:
        context.fail(
            AUTHORIZATION_SERVER, operation, CHECK_SECRET, "the metadata lacks the PAR or token endpoint"
        )
        return
    secret = secret_client.client_secret
    basic = httpx.BasicAuth(secret_client.client_id, secret)
    request = {
        "response_type": "code",
        "redirect_uri": secret_client.redirect_uri,
        "scope": " ".join(context.scopes),
        "state": secrets.token_urlsafe(12),
        "code_challenge": _pkce_challenge(),
        "code_challenge_method": "S256",
    }
    if context.credentials.bank_code:
        request["bank_code"] = context.credentials.bank_code
    problems: list[tuple[str, httpx.Response]] = []
    code_form = {
        "grant_type": "authorization_code",
        "code": "not-a-code",
        "redirect_uri": secret_client.redirect_uri,
        "code_verifier": secrets.token_urlsafe(48),
    }
    posted = {**request, "client_id": secret_client.client_id, "client_secret": secret}
    probes = (
        ("PAR, client_secret_basic", par, request, basic),
        ("PAR, client_secret_post", par, posted, None),
        ("token, client_secret_basic", token, code_form, basic),
    )
    last: httpx.Response | None = None
    for label, url, form, auth in probes:
        last = context.http.post(url, data=form, auth=auth) if auth else context.http.post(url, data=form)
        if not _invalid_client(last):
            text = last.text[:200]
            problems.append((f"{label}: HTTP {last.status_code}, not invalid_client: {text}", last))
    offered = context.metadata.get("token_endpoint_auth_methods_supported")
    if last is not None and isinstance(offered, list):
        if listed := [m for m in offered if m in SECRET_METHODS]:
            problems.append((f"token_endpoint_auth_methods_supported offers {', '.join(listed)}", last))
    context.verdict(AUTHORIZATION_SERVER, operation, CHECK_SECRET, problems)
