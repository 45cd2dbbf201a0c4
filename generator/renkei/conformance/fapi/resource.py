"""The resource server's side of FAPI 2.0: DPoP-bound access tokens are accepted only with a valid proof of
their key (RFC 9449 §4.3, §7.1), each proof once, and never as bearer tokens (§7.2; FAPI 2.0 §5.3.4-5)."""

from __future__ import annotations

import httpx

from renkei.conformance.fapi.context import FapiContext, Probe
from renkei.conformance.fapi.session import FapiLogin, api_get, dpop_get, nonce_for
from renkei_runtime.fapi import DPoPProver

CHECK_PROOF = "fapi-dpop-proof-required"
CHECK_KEY = "fapi-dpop-key-bound"
CHECK_REPLAY = "fapi-dpop-replay-refused"
CHECK_HTU_HTM = "fapi-dpop-htu-htm"
CHECK_BEARER = "fapi-no-bearer"
CHECKS = (CHECK_PROOF, CHECK_KEY, CHECK_REPLAY, CHECK_HTU_HTM, CHECK_BEARER)

Problems = list[tuple[str, httpx.Response]]


def _refused(label: str, response: httpx.Response, problems: Problems) -> None:
    """A probe that must be refused: 401 (RFC 9449 §7.1: invalid_token, invalid_dpop_proof) or 400, what the
    OIDF FAPI 2.0 suite accepts for its failing DPoP cases."""
    if response.status_code not in (400, 401):
        problems.append((f"{label}: HTTP {response.status_code}, not 401 (or 400)", response))


def _headers(token: str, proof: str | None, scheme: str = "DPoP") -> dict[str, str]:
    headers = {"Authorization": f"{scheme} {token}"}
    if proof is not None:
        headers["DPoP"] = proof
    return headers


def _probe_checks(context: FapiContext, login: FapiLogin, probe: Probe) -> None:
    token, prover, url = login.access_token, login.prover, probe.url
    baseline = dpop_get(context, url, token, prover)
    if not baseline.is_success:
        message = f"a correct DPoP request (token and proof of its key) got HTTP {baseline.status_code}"
        for check in CHECKS:
            context.fail(probe.api, probe.operation, check, message, baseline)
        return

    def proof(method: str = "GET", target: str = url, key: DPoPProver = prover) -> str:
        return key.proof(method, target, token, nonce_for(context, url))

    problems: Problems = []
    _refused("DPoP scheme without a DPoP proof", api_get(context, url, _headers(token, None)), problems)
    context.verdict(probe.api, probe.operation, CHECK_PROOF, problems)

    problems = []
    other = proof(key=DPoPProver())
    response = api_get(context, url, _headers(token, other))
    _refused("a proof signed by another key than the token's", response, problems)
    context.verdict(probe.api, probe.operation, CHECK_KEY, problems)

    problems = []
    once = proof()
    first = api_get(context, url, _headers(token, once))
    if not first.is_success:
        problems.append((f"the first use of a fresh proof got HTTP {first.status_code}", first))
    _refused("the same proof (same jti) sent again", api_get(context, url, _headers(token, once)), problems)
    context.verdict(probe.api, probe.operation, CHECK_REPLAY, problems)

    problems = []
    elsewhere = url.rstrip("/") + "/elsewhere"
    response = api_get(context, url, _headers(token, proof(target=elsewhere)))
    _refused("a proof whose htu is another URL", response, problems)
    response = api_get(context, url, _headers(token, proof("POST")))
    _refused("a proof whose htm is POST on a GET", response, problems)
    context.verdict(probe.api, probe.operation, CHECK_HTU_HTM, problems)

    problems = []
    response = api_get(context, url, _headers(token, None, "Bearer"))
    _refused("the DPoP-bound token as Bearer, no proof", response, problems)
    response = api_get(context, url, _headers(token, proof(), "Bearer"))
    _refused("the DPoP-bound token as Bearer with a valid proof", response, problems)
    context.verdict(probe.api, probe.operation, CHECK_BEARER, problems)


def check_resource_server(context: FapiContext, login: FapiLogin) -> None:
    for probe in context.probes:
        _probe_checks(context, login, probe)
