"""Drive the authorization-code flow over HTTP like a browser would (cookies, forms, redirects)."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import httpx
from sandbox_harness import REDIRECT_URI, RunningSandbox

from renkei_sandbox.oauth.clients import RegisteredClient
from renkei_sandbox.seed.seeder import DEMO_PASSWORD

ALL_BANK_SCOPES = (
    "accounts:read balances:read transactions:read transfers:read transfers:write transfers:cancel"
)
ALL_CARD_SCOPES = "cards:read card-statements:read card-transactions:read card-points:read"


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
    return verifier, challenge


def hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, f"no hidden field {name}"
    return match.group(1)


def query_of(location: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


@dataclass
class Authorized:
    code: str
    verifier: str
    state: str
    location: str


def authorize_url(
    sandbox: RunningSandbox,
    scope: str,
    challenge: str,
    state: str,
    bank_code: str | None,
    client_id: str | None = None,
) -> str:
    params = {
        "response_type": "code",
        "client_id": client_id or sandbox.client.client_id,
        "redirect_uri": REDIRECT_URI,
        "scope": scope,
        "state": state,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    if bank_code:
        params["bank_code"] = bank_code
    return str(httpx.URL(f"{sandbox.base_url}/oauth/authorize", params=params))


def login_and_consent(
    sandbox: RunningSandbox,
    login_id: str,
    bank_code: str | None,
    scope: str = ALL_BANK_SCOPES,
    decision: str = "approve",
    share: list[str] | None = None,
    client_id: str | None = None,
) -> Authorized:
    """Run authorize -> login -> consent in one cookie jar; returns the code from the final redirect."""
    verifier, challenge = pkce_pair()
    state = secrets.token_urlsafe(8)
    with httpx.Client(base_url=sandbox.base_url, follow_redirects=False, timeout=30) as browser:
        response = browser.get(authorize_url(sandbox, scope, challenge, state, bank_code, client_id))
        assert response.status_code == 303, response.text
        login_page = browser.get(response.headers["location"])
        assert login_page.status_code == 200
        handle = hidden(login_page.text, "request_handle")
        form = {"csrf": hidden(login_page.text, "csrf"), "request_handle": handle, "login_id": login_id}
        form["password"] = DEMO_PASSWORD
        if bank_code is None:
            form["bank_code"] = bank_of(sandbox, login_id)
        logged_in = browser.post("/login", data=form)
        assert logged_in.status_code == 303, logged_in.text
        consent = browser.get(logged_in.headers["location"])
        assert consent.status_code == 200, consent.text
        ids = re.findall(r'name="(?:account_ids|card_ids)" value="([^"]+)"', consent.text)
        chosen = ids if share is None else share
        data: dict[str, str | list[str]] = {
            "csrf": hidden(consent.text, "csrf"),
            "request_handle": handle,
            "decision": decision,
            "account_ids": [i for i in chosen if i.startswith("A")],
            "card_ids": [i for i in chosen if i.startswith("C")],
        }
        done = browser.post("/consent", data=data)
        assert done.status_code == 303, done.text
        location = done.headers["location"]
    params = query_of(location)
    assert params.get("state") == state
    return Authorized(params.get("code", ""), verifier, state, location)


def bank_of(sandbox: RunningSandbox, login_id: str) -> str:
    from sqlalchemy import select

    from renkei_sandbox.db.models import Customer

    with sandbox.db.session() as session:
        customer = session.scalar(select(Customer).where(Customer.login_id == login_id))
        assert customer is not None
        return customer.bank_code


def exchange(
    sandbox: RunningSandbox, authorized: Authorized, client: RegisteredClient | None = None
) -> dict[str, str]:
    client = client or sandbox.client
    response = httpx.post(
        f"{sandbox.base_url}/oauth/token",
        data={
            "grant_type": "authorization_code",
            "code": authorized.code,
            "redirect_uri": REDIRECT_URI,
            "code_verifier": authorized.verifier,
        },
        auth=(client.client_id, client.client_secret),
    )
    assert response.status_code == 200, response.text
    body: dict[str, str] = response.json()
    return body


def tokens_for(
    sandbox: RunningSandbox,
    login_id: str,
    scope: str = ALL_BANK_SCOPES,
    share: list[str] | None = None,
    client: RegisteredClient | None = None,
) -> dict[str, str]:
    """Tokens of `client` (default: the main test client) for `login_id` at the customer's bank."""
    client = client or sandbox.client
    authorized = login_and_consent(
        sandbox, login_id, bank_of(sandbox, login_id), scope, share=share, client_id=client.client_id
    )
    return exchange(sandbox, authorized, client)
