"""The OAuth flow's inputs for one customer of a provider profile."""

from __future__ import annotations

from renkei.conformance.errors import CannotRun
from renkei.conformance.oauth_flow import FlowCredentials
from renkei.conformance.profile import Customer, Profile


def flow_credentials(profile: Profile, customer: Customer) -> FlowCredentials | None:
    """None when the profile lacks a client secret or the customer's login."""
    client = profile.client
    if client is None or client.client_secret is None or not customer.username or not customer.password:
        return None
    return FlowCredentials(
        client.client_id,
        client.client_secret,
        customer.username,
        customer.password,
        customer.bank_code,
        client.redirect_uri,
    )


def fapi_credentials(profile: Profile, customer: Customer) -> FlowCredentials | None:
    """The FAPI 2.0 flow's inputs (the client's private JWK read from `client.private_key_jwk`); None when
    the profile has no key client or no login for `customer`."""
    client = profile.client
    if client is None or client.private_key_jwk is None or not customer.username or not customer.password:
        return None
    try:
        private_jwk = client.private_key_jwk.read_text(encoding="utf-8")
    except OSError as error:
        raise CannotRun(f"cannot read the client key {client.private_key_jwk}: {error.strerror}") from None
    return FlowCredentials(
        client.client_id,
        "",
        customer.username,
        customer.password,
        customer.bank_code,
        client.redirect_uri,
        private_jwk=private_jwk,
    )
