"""`renkei sandbox authorize`: register (or reuse) the demo client, send the customer's browser to the
authorization endpoint, catch the redirect on a loopback port, exchange the code and save the tokens."""

from __future__ import annotations

import secrets
import time
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from renkei_runtime.client import TokenFile
from renkei_sandbox.devclient.callback import catching_callback
from renkei_sandbox.devclient.flow import (
    AuthorizationFlow,
    AuthorizationRequest,
    FlowError,
    SecretPkceFlow,
    ServerMetadata,
)

DEFAULT_SCOPE = (
    "accounts:read balances:read transactions:read transfers:read transfers:write transfers:cancel"
)
DEFAULT_TOKEN_FILE = Path("var") / "renkei-tokens.json"


@dataclass(frozen=True)
class Credentials:
    client_id: str
    client_secret: str


@dataclass(frozen=True)
class AuthorizeOptions:
    base_url: str
    scope: str = DEFAULT_SCOPE
    bank_code: str | None = None
    callback_port: int = 0
    open_browser: bool = True
    timeout: float = 300.0
    token_file: Path = DEFAULT_TOKEN_FILE


ClientFor = Callable[[str], Credentials]
"""Given the redirect URI, the client to use (registered or reused so that it allows that URI)."""


def authorize(
    options: AuthorizeOptions,
    client_for: ClientFor,
    say: Callable[[str], None],
    show_url: Callable[[str], None],
) -> TokenFile:
    """Run the whole flow; raises FlowError with a message for the user when a step fails. `say` gets the
    progress messages, `show_url` the authorization URL (printed even by --quiet)."""
    with httpx.Client(timeout=30.0) as http, catching_callback(options.callback_port) as catcher:
        metadata = ServerMetadata.discover(http, options.base_url)
        credentials = client_for(catcher.redirect_uri)
        flow: AuthorizationFlow = SecretPkceFlow(
            http, metadata, credentials.client_id, credentials.client_secret
        )
        request = AuthorizationRequest(
            catcher.redirect_uri, options.scope, secrets.token_urlsafe(16), options.bank_code
        )
        url = flow.authorization_url(request)
        say("Open this URL in a browser (log in as a demo customer, tick the accounts, press 許可する):")
        show_url(url)
        if options.open_browser:
            webbrowser.open(url)
        say(f"Waiting for the redirect to {catcher.redirect_uri} ...")
        redirect = catcher.wait(options.timeout)
        if redirect is None:
            raise FlowError(f"no redirect within {options.timeout:.0f} seconds")
        params = redirect.params
        if params.get("state") != request.state:
            raise FlowError("the redirect's state does not match this request (an old or forged redirect)")
        if params.get("iss", metadata.issuer) != metadata.issuer:
            raise FlowError(f"the redirect came from issuer {params.get('iss')}, expected {metadata.issuer}")
        if "error" in params:
            raise FlowError(
                f"not authorized: {params['error']} {params.get('error_description', '')}".rstrip()
            )
        if "code" not in params:
            raise FlowError("the redirect carries neither a code nor an error")
        tokens = flow.exchange(params["code"], request)
        details = flow.introspect(tokens["access_token"])
    expires_in = tokens.get("expires_in")
    saved = TokenFile(
        path=options.token_file,
        issuer=metadata.issuer,
        token_url=metadata.token_endpoint,
        api_base_url=f"{metadata.issuer}/v2",
        client_id=credentials.client_id,
        client_secret=credentials.client_secret,
        access_token=tokens["access_token"],
        refresh_token=tokens.get("refresh_token"),
        expires_at=time.time() + float(expires_in) if expires_in is not None else None,
        scope=tokens.get("scope"),
        bank_code=details.get("bank_code") or options.bank_code,
    )
    saved.save()
    return saved
