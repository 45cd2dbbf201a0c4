"""The client side of the authorization-code flow, behind one seam (`AuthorizationFlow`).

`SecretPkceFlow` is today's sandbox flow: a front-channel authorization request with PKCE (S256) and a
token request authenticated with client_secret_basic. A FAPI 2.0 flow (PAR, private_key_jwt, DPoP) is a
second implementation of the same two steps; `authorize.py` does not change.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlencode

import httpx

from renkei_sandbox.oauth.pkce import s256


class FlowError(Exception):
    """The authorization server refused a step; the message says which and why."""


@dataclass(frozen=True)
class ServerMetadata:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    introspection_endpoint: str | None

    @classmethod
    def discover(cls, http: httpx.Client, base_url: str) -> ServerMetadata:
        url = f"{base_url.rstrip('/')}/.well-known/oauth-authorization-server"
        try:
            response = http.get(url)
        except httpx.HTTPError as error:
            raise FlowError(
                f"cannot reach the sandbox at {base_url} ({error}); is `make serve` running?"
            ) from None
        if response.status_code != 200:
            raise FlowError(f"{url} answered {response.status_code}; is {base_url} a renkei sandbox?")
        document: dict[str, Any] = response.json()
        return cls(
            issuer=document["issuer"],
            authorization_endpoint=document["authorization_endpoint"],
            token_endpoint=document["token_endpoint"],
            introspection_endpoint=document.get("introspection_endpoint"),
        )


@dataclass(frozen=True)
class AuthorizationRequest:
    redirect_uri: str
    scope: str
    state: str
    bank_code: str | None


class AuthorizationFlow(Protocol):
    """The two steps that differ between client profiles."""

    def authorization_url(self, request: AuthorizationRequest) -> str:
        """The URL the customer's browser opens (after pushing the request, for PAR)."""
        ...

    def exchange(self, code: str, request: AuthorizationRequest) -> dict[str, Any]:
        """The token response (RFC 6749 §5.1) for the authorization code."""
        ...

    def introspect(self, access_token: str) -> dict[str, Any]:
        """The introspection response (RFC 7662) of the access token, or {} when unsupported."""
        ...


@dataclass
class SecretPkceFlow:
    """PKCE S256 + client_secret_basic."""

    http: httpx.Client
    metadata: ServerMetadata
    client_id: str
    client_secret: str
    verifier: str = field(default_factory=lambda: secrets.token_urlsafe(48))

    def authorization_url(self, request: AuthorizationRequest) -> str:
        params = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": request.redirect_uri,
            "scope": request.scope,
            "state": request.state,
            "code_challenge": s256(self.verifier),
            "code_challenge_method": "S256",
        }
        if request.bank_code:
            params["bank_code"] = request.bank_code
        return f"{self.metadata.authorization_endpoint}?{urlencode(params)}"

    def exchange(self, code: str, request: AuthorizationRequest) -> dict[str, Any]:
        response = self.http.post(
            self.metadata.token_endpoint,
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": request.redirect_uri,
                "code_verifier": self.verifier,
            },
            auth=(self.client_id, self.client_secret),
        )
        body: dict[str, Any] = response.json()
        if response.status_code != 200:
            reason = f"{body.get('error')} {body.get('error_description') or ''}".strip()
            raise FlowError(f"the token endpoint refused the code: {reason}")
        return body

    def introspect(self, access_token: str) -> dict[str, Any]:
        if self.metadata.introspection_endpoint is None:
            return {}
        response = self.http.post(
            self.metadata.introspection_endpoint,
            data={"token": access_token},
            auth=(self.client_id, self.client_secret),
        )
        return dict(response.json()) if response.status_code == 200 else {}
