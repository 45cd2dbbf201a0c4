"""The OAuth flow's inputs for one customer of a provider profile."""

from __future__ import annotations

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
