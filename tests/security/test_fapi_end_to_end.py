"""The FAPI 2.0 flow end to end over HTTP: raw protocol steps, and the runtime's FapiClient (sync, async)."""

from __future__ import annotations

import asyncio

import httpx
from fapi_harness import BANK_SCOPES, FapiSandbox, api_get, bank_of, consent, full_flow, query_of
from sandbox_harness import REDIRECT_URI

from renkei_runtime.fapi import AsyncFapiClient, FapiClient, PendingAuthorization

ACCOUNTS = "/v2/banks/{bank}/accounts"


def test_par_consent_dpop_token_api_call(fapi: FapiSandbox) -> None:
    tokens = full_flow(fapi)
    assert tokens.body["token_type"] == "DPoP"
    response = api_get(fapi, tokens, ACCOUNTS.format(bank=bank_of(fapi, "demo01")))
    assert response.status_code == 200, response.text
    assert response.json()["accounts"]


def _browser(fapi: FapiSandbox, pending: PendingAuthorization) -> str:
    """The customer's part: open the authorization URL, log in, consent; the callback URL."""
    from fapi_harness import Pushed

    request_uri = query_of(pending.authorization_url)["request_uri"]
    return consent(fapi, Pushed(request_uri, "", pending.state, httpx.Response(201)))


def test_runtime_fapi_client_sync(fapi: FapiSandbox) -> None:
    fapi_client = FapiClient(fapi.issuer, fapi.client.client_id, fapi.client.key, REDIRECT_URI)
    pending = fapi_client.start(BANK_SCOPES, bank_code=bank_of(fapi, "demo01"))
    auth = fapi_client.finish(pending, _browser(fapi, pending))
    with httpx.Client(base_url=fapi.base_url, auth=auth) as api:
        first = api.get(ACCOUNTS.format(bank=bank_of(fapi, "demo01")))
        assert first.status_code == 200, first.text
        old_refresh = auth.tokens.refresh_token
        auth._tokens = type(auth.tokens)("expired-token", old_refresh, None, auth.tokens.scope)
        again = api.get(ACCOUNTS.format(bank=bank_of(fapi, "demo01")))  # 401 -> refresh (rotated) -> retry
        assert again.status_code == 200, again.text
        assert auth.tokens.refresh_token not in (None, old_refresh)
    fapi_client.close()


def test_runtime_fapi_client_async(fapi: FapiSandbox) -> None:
    async def run() -> int:
        fapi_client = AsyncFapiClient(fapi.issuer, fapi.other.client_id, fapi.other.key, REDIRECT_URI)
        pending = await fapi_client.start(BANK_SCOPES)
        callback = await asyncio.to_thread(_browser_other, fapi, pending)
        auth = await fapi_client.finish(pending, callback)
        async with httpx.AsyncClient(base_url=fapi.base_url, auth=auth) as api:
            response = await api.get(ACCOUNTS.format(bank=bank_of(fapi, "demo02")))
        await fapi_client.aclose()
        return response.status_code

    assert asyncio.run(run()) == 200


def _browser_other(fapi: FapiSandbox, pending: PendingAuthorization) -> str:
    from fapi_harness import Pushed

    request_uri = query_of(pending.authorization_url)["request_uri"]
    return consent(fapi, Pushed(request_uri, "", pending.state, httpx.Response(201)), "demo02", fapi.other)


def test_conformance_oauth_flow_in_the_fapi_profile(fapi: FapiSandbox) -> None:
    """The toolkit's conformance flow (generator/renkei/conformance/oauth_flow.py) with a private key."""
    import json

    from renkei.conformance.oauth_flow import FlowCredentials, obtain_fapi_auth
    from renkei_sandbox.seed.seeder import DEMO_PASSWORD

    credentials = FlowCredentials(
        client_id=fapi.client.client_id,
        client_secret="",
        username="demo01",
        password=DEMO_PASSWORD,
        bank_code=bank_of(fapi, "demo01"),
        redirect_uri=REDIRECT_URI,
        private_jwk=json.dumps(dict(fapi.client.key.as_dict(private=True))),
    )
    auth = obtain_fapi_auth(fapi.base_url, credentials, BANK_SCOPES.split())
    with httpx.Client(base_url=fapi.base_url, auth=auth) as api:
        assert api.get(ACCOUNTS.format(bank=bank_of(fapi, "demo01"))).status_code == 200
