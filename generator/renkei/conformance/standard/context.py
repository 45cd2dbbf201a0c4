"""What every standard check needs: the API, its root URL, tokens, real ids and a way to record results."""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx
from jsonschema import Draft202012Validator

from renkei.conformance.curl import as_curl
from renkei.conformance.results import CheckResult, Evidence, Outcome
from renkei.conformance.specs import ApiSpec, TargetOperation
from renkei.conformance.target import KnownData, Target

SUITE = "standard"
_BODY_LIMIT = 4000
_PLACEHOLDER = re.compile(r"\{([^}]+)\}")


@functools.cache
def _template(path: str) -> re.Pattern[str]:
    """A path template (`/accounts/{accountId}`) as a pattern of the paths it names."""
    parts = _PLACEHOLDER.split(path)
    return re.compile("".join(re.escape(p) if i % 2 == 0 else "[^/]+" for i, p in enumerate(parts)))


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

    def operation_of(self, request: httpx.Request) -> TargetOperation | None:
        """The operation of the API a request was sent to (by method and path template), if any."""
        path = request.url.path
        root = urlsplit(self.root).path.rstrip("/")
        if root and path.startswith(root):
            path = path[len(root) :]
        method = request.method.upper()
        for operation in self.api.operations:
            if operation.method.upper() == method and _template(operation.path).fullmatch(path):
                return operation
        return None

    def error_schema(self) -> Draft202012Validator | None:
        components = self.api.document.get("components", {})
        schema = components.get("schemas", {}).get("ErrorResponse")
        if schema is None:
            return None
        return Draft202012Validator({**schema, "components": components})


def _resolved(document: dict[str, Any], node: Any) -> Any:
    for _ in range(32):
        ref = node.get("$ref") if isinstance(node, dict) else None
        if not (isinstance(ref, str) and ref.startswith("#/")):
            return node
        node = document
        for part in ref[2:].split("/"):
            node = node.get(part.replace("~1", "/").replace("~0", "~"), {}) if isinstance(node, dict) else {}
    return node


def _is_json(media_type: str) -> bool:
    base = media_type.split(";")[0].strip().lower()
    return base == "application/json" or base.endswith("+json")


@dataclass(frozen=True)
class DeclaredError:
    """The error body a spec declares for one response of one operation."""

    name: str
    """The schema's component name (`OBErrorResponse1`), or `declared error` for an inline schema."""
    schema: Any
    media_types: frozenset[str]
    """The JSON media types declared for it (without parameters, lower case)."""


def declared_error(context: StandardContext, response: httpx.Response) -> DeclaredError | None:
    """The error body the spec declares for this response: of the operation the request went to, for its
    status, else `4XX`, else `default`. None when the operation declares none (or no JSON schema)."""
    operation = context.operation_of(response.request)
    if operation is None:
        return None
    document = context.api.document
    item = _resolved(document, (document.get("paths") or {}).get(operation.path) or {})
    responses = (_resolved(document, item.get(operation.method.lower()) or {}).get("responses")) or {}
    status = response.status_code
    key = next((k for k in (str(status), f"{status // 100}XX", "default") if k in responses), None)
    if key is None:
        return None
    content = _resolved(document, responses[key]).get("content") or {}
    json_media = {
        str(media_type).split(";")[0].strip().lower(): media
        for media_type, media in content.items()
        if _is_json(str(media_type)) and isinstance(media, dict) and "schema" in media
    }
    if not json_media:
        return None
    schema = next(iter(json_media.values()))["schema"]
    ref = schema.get("$ref") if isinstance(schema, dict) else None
    name = ref.rsplit("/", 1)[-1] if isinstance(ref, str) else "declared error"
    return DeclaredError(name, schema, frozenset(json_media))


def error_body_problem(context: StandardContext, response: httpx.Response) -> str | None:
    """Why a 4xx response does not carry the error body its spec declares for it (the operation's response
    for that status, `4XX` or `default`: media type and schema), or, where the spec declares none, the
    standard's error body; None when it does. A provider whose spec has its own error schema (UK Open
    Banking's `OBErrorResponse1`) is judged by that schema, not by the standard's errorCode/errorMessage."""
    content_type = response.headers.get("content-type", "")
    declared = declared_error(context, response)
    expected = declared.media_types if declared is not None else frozenset({"application/json"})
    if content_type.split(";")[0].strip().lower() not in expected:
        wanted = " or ".join(sorted(expected))
        return f"HTTP {response.status_code}: content-type is {content_type!r}, not JSON ({wanted})"
    try:
        body = response.json()
    except ValueError:
        return f"HTTP {response.status_code}: the body is not JSON"
    if declared is None:
        return _standard_problem(context, response, body)
    from openapi_schema_validator import OAS30Validator, OAS31Validator

    document = context.api.document
    dialect = OAS31Validator if str(document.get("openapi", "")).startswith("3.1") else OAS30Validator
    validator = dialect({"components": document.get("components", {}), "allOf": [declared.schema]})
    errors = sorted(validator.iter_errors(body), key=lambda e: list(e.path))
    if errors:
        return f"HTTP {response.status_code}: error body violates {declared.name}: {errors[0].message}"
    return None


def _standard_problem(context: StandardContext, response: httpx.Response, body: Any) -> str | None:
    validator = context.error_schema()
    if validator is None:
        required = isinstance(body, dict) and isinstance(body.get("errorCode"), str)
        return None if required and isinstance(body.get("errorMessage"), str) else "no errorCode/errorMessage"
    errors = sorted(validator.iter_errors(body), key=lambda e: list(e.path))
    if errors:
        return f"HTTP {response.status_code}: error body violates ErrorResponse: {errors[0].message}"
    return None
