"""Run the FAPI 2.0 group against a provider profile: one login of the primary customer through PAR,
private_key_jwt and DPoP, then the authorization-server and resource-server checks (refresh last: a
detected reuse revokes that login's grant)."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from renkei.conformance.credentials import fapi_credentials
from renkei.conformance.errors import CannotRun
from renkei.conformance.fapi.authorization import (
    check_client_secret_refused,
    check_par_required,
    check_request_uri_single_use,
)
from renkei.conformance.fapi.context import FapiContext, Probe
from renkei.conformance.fapi.refresh import check_refresh_rotation
from renkei.conformance.fapi.resource import check_resource_server
from renkei.conformance.fapi.session import log_in
from renkei.conformance.profile import Profile
from renkei.conformance.results import CheckResult
from renkei.conformance.specs import ApiSpec, api_root
from renkei_runtime.fapi import private_key_from_json

EXTRA_SCOPES = ("accounts:read", "balances:read")


def _metadata(url: str) -> dict[str, object]:
    try:
        response = httpx.get(url, timeout=30)
        body = response.json() if response.status_code == 200 else None
    except (httpx.HTTPError, ValueError):
        body = None
    if not isinstance(body, dict) or not isinstance(body.get("issuer"), str):
        raise CannotRun(f"the FAPI group needs the authorization server's metadata (RFC 8414) at {url}")
    return body


def _probes(profile: Profile, origin: str, apis: list[ApiSpec]) -> list[Probe]:
    """Per API its first protected (scoped) GET without path ids besides bankCode."""
    bank_code = profile.customers.primary.bank_code or ""
    probes = []
    for api in apis:
        root = (profile.base_url_for(api.name) or api_root(origin, api)).rstrip("/")
        plain = [
            op
            for op in api.operations
            if op.method == "GET" and op.scopes and "{" not in op.path.replace("{bankCode}", "")
        ]
        if plain:
            probes.append(
                Probe(api.name, plain[0].operation_id, root + plain[0].path.replace("{bankCode}", bank_code))
            )
    return probes


def fapi_context(
    profile: Profile, origin: str, apis: list[ApiSpec], http: httpx.Client, api_http: httpx.Client
) -> FapiContext:
    credentials = fapi_credentials(profile, profile.customers.primary)
    if credentials is None or credentials.private_jwk is None:
        raise CannotRun(
            "the FAPI group needs client.private_key_jwk and the primary customer's username and password"
        )
    try:
        key = private_key_from_json(
            credentials.private_jwk, str(profile.client.private_key_jwk if profile.client else "")
        )
    except ValueError as error:
        raise CannotRun(str(error)) from None
    metadata = _metadata(profile.metadata_url())
    offered = metadata.get("scopes_supported")
    offered_scopes = [str(s) for s in offered] if isinstance(offered, list) else []
    scopes = list(dict.fromkeys(scope for api in apis for scope in api.scopes))
    scopes += [s for s in EXTRA_SCOPES if s not in scopes and s in offered_scopes]
    return FapiContext(
        profile=profile,
        issuer=str(metadata["issuer"]),
        metadata=metadata,
        credentials=credentials,
        client_key=key,
        scopes=scopes,
        probes=_probes(profile, origin, apis),
        http=http,
        api_http=api_http,
    )


def run_fapi_checks(
    profile: Profile, origin: str, apis: list[ApiSpec], on_step: Callable[[str], None] | None = None
) -> list[CheckResult]:
    """The group's results; CannotRun when the profile lacks the key client or the login fails."""
    step = on_step or (lambda _: None)
    with (
        httpx.Client(base_url=origin, follow_redirects=False, timeout=30) as http,
        httpx.Client(timeout=30) as api_http,
    ):
        context = fapi_context(profile, origin, apis, http, api_http)
        step("PAR required")
        check_par_required(context)
        step("client secrets refused")
        check_client_secret_refused(context)
        step("login (PAR, private_key_jwt, DPoP)")
        login = log_in(context)
        step("request_uri single use")
        check_request_uri_single_use(context, login)
        step("DPoP at the resource server")
        check_resource_server(context, login)
        step("refresh-token rotation")
        check_refresh_rotation(context, login)
    return context.results
