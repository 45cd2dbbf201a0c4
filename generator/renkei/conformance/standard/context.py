"""What every standard check needs: the API, its root URL, tokens, real ids and a way to record results."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import httpx
from jsonschema import Draft202012Validator

from renkei.conformance.curl import as_curl
from renkei.conformance.results import CheckResult, Evidence, Outcome
from renkei.conformance.specs import ApiSpec, TargetOperation
from renkei.conformance.target import KnownData, Target

SUITE = "standard"
_BODY_LIMIT = 4000
_PLACEHOLDER = re.compile(r"\{([^}]+)\}")


def evidence_of(response: httpx.Response) -> Evidence:
    return Evidence(
        curl=as_curl(response.request),
        status=response.status_code,
        headers=dict(response.headers),
        body=response.text[:_BODY_LIMIT],
    )


@dataclass
class StandardContext:
    api: ApiSpec
    root: str
    target: Target
    known: KnownData
    http: httpx.Client
    results: list[CheckResult] = field(default_factory=list)
    cache: dict[str, Any] = field(default_factory=dict)
    """Responses several checks compare with (the wide list walks), per API run."""

    def pass_(self, operation: str, check: str, message: str = "") -> None:
        self.results.append(CheckResult(self.api.name, operation, check, SUITE, Outcome.passed, message))

    def fail(self, operation: str, check: str, message: str, *responses: httpx.Response) -> None:
        evidence = tuple(evidence_of(r) for r in responses)
        self.results.append(
            CheckResult(self.api.name, operation, check, SUITE, Outcome.failed, message, evidence)
        )

    def skip(self, operation: str, check: str, message: str) -> None:
        self.results.append(CheckResult(self.api.name, operation, check, SUITE, Outcome.skipped, message))

    def verdict(self, operation: str, check: str, problems: list[tuple[str, httpx.Response]]) -> None:
        """Pass when `problems` is empty; else one failure listing each problem with its response."""
        if not problems:
            self.pass_(operation, check)
            return
        self.fail(operation, check, "\n".join(p for p, _ in problems), *[r for _, r in problems[:3]])

    def auth(self, token: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {token or self.target.token}"}

    def path_values(self) -> dict[str, str | None]:
        """A real value for each path parameter we know one for."""
        k = self.known
        return {
            "bankCode": self.target.bank_code,
            "accountId": k.account_ids[0] if k.account_ids else None,
            "transferId": k.transfer_ids[0] if k.transfer_ids else None,
            "cardId": k.card_ids[0] if k.card_ids else None,
            "billingMonth": k.billing_months[0] if k.billing_months else None,
        }

    def url(self, operation: TargetOperation, overrides: dict[str, str] | None = None) -> str | None:
        """The operation's URL with real (or overridden) path values; None when one is unknown."""
        values = {**self.path_values(), **(overrides or {})}
        missing = [name for name in _PLACEHOLDER.findall(operation.path) if not values.get(name)]
        if missing:
            return None
        return self.root + _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), operation.path)

    def send(
        self,
        operation: TargetOperation,
        url: str,
        headers: dict[str, str] | None = None,
        params: dict[str, str] | None = None,
        body: Any = None,
    ) -> httpx.Response:
        content = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
        send_headers = dict(headers or {})
        if content is not None:
            send_headers["Content-Type"] = "application/json"
        return self.http.request(operation.method, url, headers=send_headers, params=params, content=content)

    def error_schema(self) -> Draft202012Validator | None:
        components = self.api.document.get("components", {})
        schema = components.get("schemas", {}).get("ErrorResponse")
        if schema is None:
            return None
        return Draft202012Validator({**schema, "components": components})


def error_body_problem(context: StandardContext, response: httpx.Response) -> str | None:
    """Why a 4xx response does not carry the standard error body (None when it does)."""
    if not response.headers.get("content-type", "").startswith("application/json"):
        return (
            f"HTTP {response.status_code}: content-type is {response.headers.get('content-type')!r}, not JSON"
        )
    try:
        body = response.json()
    except ValueError:
        return f"HTTP {response.status_code}: the body is not JSON"
    validator = context.error_schema()
    if validator is None:
        required = isinstance(body, dict) and isinstance(body.get("errorCode"), str)
        return None if required and isinstance(body.get("errorMessage"), str) else "no errorCode/errorMessage"
    errors = sorted(validator.iter_errors(body), key=lambda e: list(e.path))
    if errors:
        return f"HTTP {response.status_code}: error body violates ErrorResponse: {errors[0].message}"
    return None
