"""Get an access token from a provider's authorization server the way a person would: authorize with PKCE,
log in, consent to every offered account and card, take the code from the redirect, redeem it.

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
    login_url = _location(browser.get("/oauth/authorize", params=params), "authorize")
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
    return _redirect_query(_location(done, "consent"), state)


def obtain_token(base_url: str, credentials: FlowCredentials, scopes: list[str]) -> str:
    """An access token for `scopes`; CannotRun with one line when any step fails."""
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
