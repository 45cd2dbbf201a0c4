"""Get an access token from a provider's authorization server the way a person would: authorize with PKCE,
log in, consent to every offered account and card, take the code from the redirect, redeem it.

With `private_jwk` in the credentials the flow is FAPI 2.0's (renkei_runtime.fapi): a pushed authorization
request authenticated with private_key_jwt, /authorize with only client_id + request_uri, and the code
redeemed with a DPoP proof; `obtain_fapi_auth` returns the httpx auth that signs every API call.

The pages are the sandbox's (`/login`, `/consent` forms with a `csrf` and `request_handle` field); the client
must have `redirect_uri` registered exactly (nothing listens there: the redirect is read, never followed).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx

from renkei.conformance.errors import CannotRun
from renkei.conformance.forms import checkbox_values, hidden_value

DEFAULT_REDIRECT_URI = "http://127.0.0.1:9/callback"


@dataclass(frozen=True)
class FlowCredentials:
    client_id: str
    client_secret: str
    username: str
    password: str
    bank_code: str | None
    redirect_uri: str = DEFAULT_REDIRECT_URI
    private_jwk: str | None = None
    """FAPI 2.0: the client's private key (a JWK, JSON) for private_key_jwt; `client_secret` unused."""


def _pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _fail(step: str, response: httpx.Response) -> CannotRun:
    return CannotRun(f"authentication failed at {step}: HTTP {response.status_code} from {response.url}")


def _location(response: httpx.Response, step: str) -> str:
    if response.status_code not in (302, 303) or "location" not in response.headers:
        raise _fail(step, response)
    return urljoin(str(response.url), response.headers["location"])


def _redirect_query(location: str, state: str) -> str:
    params = {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}
    if "error" in params:
        raise CannotRun(f"authentication failed: the provider answered {params['error']}")
    if params.get("state") != state or "code" not in params:
        raise CannotRun("authentication failed: the redirect carries no code for our state")
    return params["code"]


def _authorize(
    browser: httpx.Client, credentials: FlowCredentials, scope: str, challenge: str, state: str
) -> str:
    params = {
        "response_type": "code",
        "client_id": credentials.client_id,
        "redirect_uri": credentials.redirect_uri,
        "scope": scope,
        "state": state,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    if credentials.bank_code:
        params["bank_code"] = credentials.bank_code
    return _redirect_query(
        _log_in_and_consent(browser, credentials, "/oauth/authorize", params, state), state
    )


def _log_in_and_consent(
    browser: httpx.Client, credentials: FlowCredentials, url: str, params: dict[str, str] | None, state: str
) -> str:
    """From the authorization endpoint through the login and consent pages: the final redirect's URL."""
    start = browser.get(url, params=params) if params else browser.get(url)
    login_url = _location(start, "authorize")
    if login_url.startswith(credentials.redirect_uri):
        _redirect_query(login_url, state)
    login_page = browser.get(login_url)
    handle = hidden_value(login_page.text, "request_handle")
    csrf = hidden_value(login_page.text, "csrf")
    if login_page.status_code != 200 or not handle or not csrf:
        raise _fail("the login page", login_page)
    form = {"csrf": csrf, "request_handle": handle, "login_id": credentials.username}
    form["password"] = credentials.password
    form["bank_code"] = credentials.bank_code or ""
    logged_in = browser.post("/login", data=form)
    if logged_in.status_code != 303:
        raise CannotRun(f"authentication failed: login as {credentials.username} was refused")
    consent = browser.get(_location(logged_in, "login"))
    consent_csrf = hidden_value(consent.text, "csrf")
    if consent.status_code != 200 or not consent_csrf:
        raise _fail("the consent page", consent)
    decision: dict[str, str | list[str]] = {
        "csrf": consent_csrf,
        "request_handle": handle,
        "decision": "approve",
        "account_ids": checkbox_values(consent.text, "account_ids"),
        "card_ids": checkbox_values(consent.text, "card_ids"),
    }
    done = browser.post("/consent", data=decision)
    return _location(done, "consent")


def obtain_fapi_auth(base_url: str, credentials: FlowCredentials, scopes: list[str]) -> httpx.Auth:
    """FAPI 2.0: DPoP-bound tokens for `scopes` as an httpx auth (a DPoP proof on every request, refresh with
    rotation); CannotRun with one line when any step fails."""
    from renkei_runtime.fapi import FapiClient, FapiError, private_key_from_json

    if credentials.private_jwk is None:
        raise CannotRun("the FAPI flow needs the client's private key (private_jwk)")
    try:
        key = private_key_from_json(credentials.private_jwk)
    except ValueError as error:
        raise CannotRun(f"the client's private key is not usable: {error}") from None
    try:
        with httpx.Client(base_url=base_url, follow_redirects=False, timeout=30) as browser:
            fapi = FapiClient(base_url, credentials.client_id, key, credentials.redirect_uri, http=browser)
            extra = {"bank_code": credentials.bank_code} if credentials.bank_code else {}
            pending = fapi.start(" ".join(scopes), **extra)
            callback = _log_in_and_consent(
                browser, credentials, pending.authorization_url, None, pending.state
            )
            return fapi.finish(pending, callback)
    except FapiError as error:
        raise CannotRun(f"authentication failed: {error}") from None
    except httpx.HTTPError as error:
        raise CannotRun(f"cannot reach {base_url}: {error.__class__.__name__}: {error}") from None


def obtain_token(base_url: str, credentials: FlowCredentials, scopes: list[str]) -> str:
    """An access token for `scopes`; CannotRun with one line when any step fails. With `private_jwk` the
    FAPI 2.0 flow runs and the token is DPoP-bound (use `obtain_fapi_auth` to call the API with it)."""
    if credentials.private_jwk is not None:
        from renkei_runtime.fapi import DPoPTokenAuth

        auth = obtain_fapi_auth(base_url, credentials, scopes)
        assert isinstance(auth, DPoPTokenAuth)
        return auth.tokens.access_token
    verifier, challenge = _pkce_pair()
    state = secrets.token_urlsafe(12)
    try:
        with httpx.Client(base_url=base_url, follow_redirects=False, timeout=30) as browser:
            code = _authorize(browser, credentials, " ".join(scopes), challenge, state)
            response = browser.post(
                "/oauth/token",
                data={
                    "grant_type": "authorization_code",
                    "code": code,
                    "redirect_uri": credentials.redirect_uri,
                    "code_verifier": verifier,
                },
                auth=(credentials.client_id, credentials.client_secret),
            )
    except httpx.HTTPError as error:
        raise CannotRun(f"cannot reach {base_url}: {error.__class__.__name__}: {error}") from None
    if response.status_code != 200:
        raise CannotRun(f"authentication failed: the token endpoint answered HTTP {response.status_code}")
    token = (
        response.json().get("access_token") if "json" in response.headers.get("content-type", "") else None
    )
    if not isinstance(token, str):
        raise CannotRun("authentication failed: the token response carries no access_token")
    return token
