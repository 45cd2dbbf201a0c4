"""What every FAPI check needs: the provider's metadata, the key client, the customer's DPoP-bound tokens,
the APIs' probe URLs, and a way to record results (suite `fapi`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx
from joserfc.jwk import Key

from renkei.conformance.oauth_flow import FlowCredentials
from renkei.conformance.profile import Profile
from renkei.conformance.results import CheckResult, Outcome
from renkei.conformance.standard.context import evidence_of

SUITE = "fapi"
AUTHORIZATION_SERVER = "authorization-server"
"""The `api` of results about the authorization server's endpoints (JUnit: their own test suite)."""


@dataclass(frozen=True)
class Probe:
    """One API's harmless GET (a plain list operation) that the resource-server checks send."""

    api: str
    operation: str
    url: str


@dataclass
class FapiContext:
    profile: Profile
    issuer: str
    metadata: dict[str, Any]
    credentials: FlowCredentials
    client_key: Key
    scopes: list[str]
    probes: list[Probe]
    http: httpx.Client
    """The browser and the client's calls to the authorization server: the provider's origin as base URL,
    cookies kept, no redirect followed (the authorization endpoint's answer is what is checked)."""
    api_http: httpx.Client
    """API calls: no cookies, so that only the token and its proof authenticate them."""
    results: list[CheckResult] = field(default_factory=list)
    nonces: dict[str, str] = field(default_factory=dict)
    """The last `DPoP-Nonce` of each origin (authorization server, resource server)."""

    def endpoint(self, name: str) -> str | None:
        value = self.metadata.get(name)
        return value if isinstance(value, str) else None

    def pass_(self, api: str, operation: str, check: str, message: str = "") -> None:
        self.results.append(CheckResult(api, operation, check, SUITE, Outcome.passed, message))

    def fail(self, api: str, operation: str, check: str, message: str, *responses: httpx.Response) -> None:
        evidence = tuple(evidence_of(r) for r in responses)
        self.results.append(CheckResult(api, operation, check, SUITE, Outcome.failed, message, evidence))

    def skip(self, api: str, operation: str, check: str, message: str) -> None:
        self.results.append(CheckResult(api, operation, check, SUITE, Outcome.skipped, message))

    def verdict(
        self, api: str, operation: str, check: str, problems: list[tuple[str, httpx.Response]]
    ) -> None:
        """Pass when `problems` is empty; else one failure listing each problem with its response."""
        if not problems:
            self.pass_(api, operation, check)
            return
        self.fail(api, operation, check, "\n".join(p for p, _ in problems), *[r for _, r in problems[:3]])
