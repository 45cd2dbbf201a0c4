"""Served bodies of the three APIs are exact: a response built from only the required fields is served
with exactly those fields (absent optional fields stay absent, never `null`), for every operation."""

from __future__ import annotations

import asyncio
import importlib
import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from renkei.ir.operations import iter_operations
from renkei_runtime.server import RequestContext, VerifiedToken

REPO = Path(__file__).resolve().parents[2]
APIS = ["bank_inquiry", "bank_transfer", "card"]
SAMPLES = {
    "date": "2026-04-01",
    "date-time": "2026-04-01T09:00:00+09:00",
    "jst-date-time": "2026-04-01T09:00:00+09:00",
    "jpy-amount": "1000",
    "decimal": "12.5",
    "bank-code": "2963",
    "branch-code": "001",
    "account-number": "1234567",
    "deposit-type": "1",
    "zengin-kana": "ﾃｽﾄ",
    "uuid": "123e4567-e89b-12d3-a456-426614174000",
}


def _resolve(document: dict[str, Any], schema: Any) -> Any:
    while isinstance(schema, dict) and "$ref" in schema:
        node: Any = document
        for part in schema["$ref"][2:].split("/"):
            node = node[part]
        schema = node
    return schema


def minimal(document: dict[str, Any], schema: Any) -> Any:
    """The smallest valid instance: required properties only, examples where the spec gives them."""
    schema = _resolve(document, schema)
    if not isinstance(schema, dict):
        return None
    if "allOf" in schema:
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            value = minimal(document, part)
            if isinstance(value, dict):
                merged.update(value)
        own = {k: v for k, v in schema.items() if k != "allOf"}
        if "properties" in own:
            merged.update(minimal(document, {**own, "type": "object"}))
        return merged
    for key in ("oneOf", "anyOf"):
        if key in schema:
            options = [o for o in schema[key] if _resolve(document, o).get("type") != "null"]
            value = minimal(document, options[0])
            discriminator = schema.get("discriminator", {})
            if discriminator.get("mapping") and isinstance(value, dict):
                tag = next(iter(discriminator["mapping"]))
                value[discriminator["propertyName"]] = tag
                value = minimal(document, {"$ref": discriminator["mapping"][tag]}) | {
                    discriminator["propertyName"]: tag
                }
            return value
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next(k for k in kind if k != "null")
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return next(v for v in schema["enum"] if v is not None)
    if kind == "object" or "properties" in schema:
        properties = schema.get("properties", {})
        return {name: minimal(document, properties[name]) for name in schema.get("required", [])}
    if kind == "array":
        count = schema.get("minItems", 0)
        return [minimal(document, schema.get("items", {})) for _ in range(count)]
    if "example" in schema:
        return schema["example"]
    if schema.get("examples"):
        return schema["examples"][0]
    if kind == "string":
        if schema.get("format", "") in SAMPLES:
            return SAMPLES[schema["format"]]
        size = max(1, schema.get("minLength", 1))
        candidates = ["x" * size, "0" * size, "A" * size, "ｱ" * size]
        pattern = schema.get("pattern")
        return next((c for c in candidates if pattern is None or re.search(pattern, c)), candidates[0])
    if kind == "integer":
        return schema.get("minimum", 1)
    if kind == "number":
        return schema.get("minimum", 1.5)
    if kind == "boolean":
        return False
    return None


def _success(operation: dict[str, Any]) -> tuple[int, Any]:
    code = sorted(c for c in operation["responses"] if str(c).startswith("2"))[0]
    return int(code), operation["responses"][code]


class AllScopes:
    async def verify(self, token: str) -> VerifiedToken | None:
        return VerifiedToken("customer", "client", frozenset(_ALL_SCOPES), "2963")


_ALL_SCOPES: set[str] = set()


class Canned:
    """A service answering every operation with a prepared value."""

    def __init__(self, answers: dict[str, Any]) -> None:
        self.answers = answers

    def __getattr__(self, name: str) -> Any:
        async def answer(ctx: RequestContext, **kwargs: Any) -> Any:
            return self.answers[name]

        return answer


def _cases() -> list[tuple[str, str]]:
    cases = []
    for api in APIS:
        server = importlib.import_module(f"renkei_{api}.server")
        for raw in iter_operations(server.OPENAPI_DOCUMENT):
            cases.append((api, raw.python_name))
    return cases


@pytest.mark.parametrize(("api", "operation_name"), _cases())
def test_only_required_fields_are_served(api: str, operation_name: str) -> None:
    server = importlib.import_module(f"renkei_{api}.server")
    document = server.OPENAPI_DOCUMENT
    raw = next(r for r in iter_operations(document) if r.python_name == operation_name)
    for scheme in document["components"]["securitySchemes"].values():
        for flow in scheme.get("flows", {}).values():
            _ALL_SCOPES.update(flow.get("scopes", {}))
    status, response = _success(dict(raw.node))
    response = _resolve(document, response)
    schema = response.get("content", {}).get("application/json", {}).get("schema")
    expected = minimal(document, schema) if schema is not None else None
    operation = getattr(server, "_" + operation_name.upper())
    output = operation.outputs[status]
    answer = output.adapter.validate_json(json.dumps(expected)) if output.adapter is not None else None

    path = raw.path
    headers = {"authorization": "Bearer any", "x-fapi-interaction-id": "0b7e9d4c-5f1a-4c2e-9d3b-6a8f2e1c4d5b"}
    query: dict[str, Any] = {}
    for parameter in raw.parameters:
        value = minimal(document, parameter.get("schema", {}))
        if parameter["in"] == "path":
            path = path.replace("{" + parameter["name"] + "}", str(value))
        elif parameter.get("required") and parameter["in"] == "header":
            headers[parameter["name"]] = str(value)
        elif parameter.get("required") and parameter["in"] == "query":
            query[parameter["name"]] = value
    body = None
    request_body = _resolve(document, raw.node.get("requestBody"))
    if request_body:
        body = minimal(document, request_body["content"]["application/json"]["schema"])

    app = server.create_app(Canned({operation_name: answer}), AllScopes())

    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://test" + server.BASE_PATH
        ) as client:
            return await client.request(raw.method, path, params=query, headers=headers, json=body)

    served = asyncio.run(call())
    assert served.status_code == status, served.text
    assert served.headers["x-fapi-interaction-id"] == "0b7e9d4c-5f1a-4c2e-9d3b-6a8f2e1c4d5b"
    if expected is None:
        assert served.content == b""
    else:
        assert served.json() == expected
        assert not re.search(rb":null\b", served.content)
