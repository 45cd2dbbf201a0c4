"""Access tokens the resource server must refuse (FAPI 2.0 / RFC 6750 / RFC 7009), once per run, on a plain
list operation; the suite gets its tokens itself through the provider's OAuth flow:

- `token-expired`: the profile's `expired_access_token` gets 401 with `error="invalid_token"`;
- `token-revoked`: a fresh token that worked is revoked at the AS's `revocation_endpoint`, then gets 401;
- `token-other-client`: another client (the profile's `other_client`) revoking our token leaves it working
  (RFC 7009 §2.1: the AS checks the token was issued to the client making the request).

Wrong-scope tokens are `rfc6750-challenge` (403 insufficient_scope), other-bank tokens are `isolation`.
"""

from __future__ import annotations

import httpx

from renkei.conformance.credentials import flow_credentials
from renkei.conformance.errors import CannotRun
from renkei.conformance.oauth_flow import obtain_token
from renkei.conformance.profile import ClientCredentials
from renkei.conformance.specs import TargetOperation
from renkei.conformance.standard.challenges import challenge_problems
from renkei.conformance.standard.context import StandardContext

CHECK_EXPIRED = "token-expired"
CHECK_REVOKED = "token-revoked"
CHECK_OTHER_CLIENT = "token-other-client"
CHECKS = (CHECK_EXPIRED, CHECK_REVOKED, CHECK_OTHER_CLIENT)
_ONCE = "tokens"


def _plain_get(context: StandardContext) -> TargetOperation | None:
    return next(
        (
            op
            for op in context.api.operations
            if op.method == "GET" and "{" not in op.path.replace("{bankCode}", "") and op.scopes
        ),
        None,
    )


def _revocation_endpoint(context: StandardContext) -> str | None:
    profile = context.target.profile
    if profile is None:
        return None
    try:
        response = context.http.get(profile.metadata_url())
        endpoint = response.json().get("revocation_endpoint") if response.status_code == 200 else None
    except (httpx.HTTPError, ValueError, AttributeError):
        return None
    return str(endpoint) if isinstance(endpoint, str) else None


def _revoke(context: StandardContext, endpoint: str, client: ClientCredentials, token: str) -> httpx.Response:
    return context.http.post(
        endpoint,
        data={"token": token, "token_type_hint": "access_token"},
        auth=(client.client_id, client.client_secret or ""),
    )


def _fresh_token(context: StandardContext, operation: TargetOperation) -> str | None:
    profile = context.target.profile
    credentials = flow_credentials(profile, profile.customers.primary) if profile else None
    if credentials is None:
        return None
    try:
        return obtain_token(context.target.base_url, credentials, list(operation.scopes))
    except CannotRun:
        return None


def check_tokens(context: StandardContext) -> None:
    operation = _plain_get(context)
    if operation is None or _ONCE in context.target.once:
        return
    context.target.once.add(_ONCE)
    url = context.url(operation)
    if url is None:
        return
    name = operation.operation_id
    profile = context.target.profile
    expired = profile.expired_access_token if profile else None
    if expired is None:
        context.skip(name, CHECK_EXPIRED, "the profile gives no expired_access_token")
    else:
        response = context.send(operation, url, context.auth(expired))
        context.verdict(
            name,
            CHECK_EXPIRED,
            [
                (f"an expired token: {p}", response)
                for p in challenge_problems(response, 401, "invalid_token")
            ],
        )
    endpoint = _revocation_endpoint(context)
    if endpoint is None or profile is None or profile.client is None:
        for check in (CHECK_REVOKED, CHECK_OTHER_CLIENT):
            context.skip(
                name, check, "no revocation_endpoint in the AS metadata, or no client in the profile"
            )
        return
    _revoked(context, operation, url, endpoint, profile.client)
    if profile.other_client is None:
        context.skip(name, CHECK_OTHER_CLIENT, "the profile gives no other_client")
    else:
        _other_client(context, operation, url, endpoint, profile.other_client)


def _revoked(
    context: StandardContext, operation: TargetOperation, url: str, endpoint: str, client: ClientCredentials
) -> None:
    name = operation.operation_id
    token = _fresh_token(context, operation)
    if token is None:
        context.skip(
            name, CHECK_REVOKED, "no token from the OAuth flow (the profile lacks a customer's login)"
        )
        return
    before = context.send(operation, url, context.auth(token))
    if before.status_code != 200:
        context.fail(
            name, CHECK_REVOKED, f"a fresh token got HTTP {before.status_code}, expected 200", before
        )
        return
    revoked = _revoke(context, endpoint, client, token)
    if revoked.status_code != 200:
        context.fail(
            name, CHECK_REVOKED, f"the revocation endpoint answered HTTP {revoked.status_code}", revoked
        )
        return
    after = context.send(operation, url, context.auth(token))
    problems = [(f"a revoked token: {p}", after) for p in challenge_problems(after, 401, "invalid_token")]
    context.verdict(name, CHECK_REVOKED, problems)


def _other_client(
    context: StandardContext, operation: TargetOperation, url: str, endpoint: str, other: ClientCredentials
) -> None:
    name = operation.operation_id
    token = _fresh_token(context, operation)
    if token is None:
        context.skip(name, CHECK_OTHER_CLIENT, "no token from the OAuth flow")
        return
    _revoke(context, endpoint, other, token)
    after = context.send(operation, url, context.auth(token))
    if after.status_code != 200:
        context.fail(
            name,
            CHECK_OTHER_CLIENT,
            f"after another client ({other.client_id}) asked to revoke our token, it got HTTP "
            f"{after.status_code}: a client can revoke tokens it was never issued",
            after,
        )
    else:
        context.pass_(name, CHECK_OTHER_CLIENT)
