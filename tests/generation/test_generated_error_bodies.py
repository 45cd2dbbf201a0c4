"""Error bodies in the spec's own shape: an operation declaring UK Open Banking's `OBErrorResponse1` or the
Berlin Group's `tppMessages` answers its 400s, 401s and service problems in that shape (valid against the
generated model of that schema), over real HTTP; the provider overrides the mapping; an operation with the
standard's error schema keeps the standard body."""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType
from typing import Any

import httpx
import pytest
from generated_package import generated_package
from live_server import serve

from renkei_runtime.server import ApiProblem, VerifiedToken

PACKAGE = "own_errors"


def _op(operation_id: str, error: str) -> dict[str, Any]:
    return {
        "get": {
            "operationId": operation_id,
            "security": [{"bearer": []}],
            "parameters": [
                {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 10}}
            ],
            "responses": {
                "200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}},
                "400": {
                    "description": "bad",
                    "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{error}"}}},
                },
                "default": {
                    "description": "error",
                    "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{error}"}}},
                },
            },
        }
    }


OB_CODES = ["UK.OBIE.Field.Invalid", "UK.OBIE.Resource.NotFound", "UK.OBIE.UnexpectedError"]
SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "own errors", "version": "1.0.0"},
    "servers": [{"url": "/api"}],
    "paths": {
        "/ob/accounts": _op("obAccounts", "OBErrorResponse1"),
        "/bg/accounts": _op("bgAccounts", "Error400NGAIS"),
        "/std/accounts": _op("stdAccounts", "StandardError"),
    },
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "OBErrorResponse1": {
                "type": "object",
                "required": ["Code", "Message", "Errors"],
                "additionalProperties": False,
                "properties": {
                    "Code": {"type": "string", "minLength": 1, "maxLength": 40},
                    "Id": {"type": "string", "minLength": 1, "maxLength": 40},
                    "Message": {"type": "string", "minLength": 1, "maxLength": 500},
                    "Errors": {
                        "type": "array",
                        "minItems": 1,
                        "items": {"$ref": "#/components/schemas/OBError1"},
                    },
                },
            },
            "OBError1": {
                "type": "object",
                "required": ["ErrorCode", "Message"],
                "additionalProperties": False,
                "properties": {
                    "ErrorCode": {"type": "string", "enum": OB_CODES},
                    "Message": {"type": "string", "minLength": 1, "maxLength": 500},
                    "Path": {"type": "string", "minLength": 1, "maxLength": 500},
                    "Url": {"type": "string"},
                },
            },
            "Error400NGAIS": {
                "type": "object",
                "properties": {
                    "tppMessages": {
                        "type": "array",
                        "items": {"$ref": "#/components/schemas/TppMessage400AIS"},
                    },
                    "_links": {"type": "object"},
                },
            },
            "TppMessage400AIS": {
                "type": "object",
                "required": ["category", "code"],
                "properties": {
                    "category": {"type": "string", "enum": ["ERROR", "WARNING"]},
                    "code": {
                        "type": "string",
                        "enum": ["FORMAT_ERROR", "PARAMETER_NOT_SUPPORTED", "TOKEN_INVALID"],
                    },
                    "path": {"type": "string"},
                    "text": {"type": "string", "maxLength": 500},
                },
            },
            "StandardError": {
                "type": "object",
                "required": ["errorCode", "errorMessage"],
                "properties": {"errorCode": {"type": "string"}, "errorMessage": {"type": "string"}},
            },
        },
    },
}


class Tokens:
    async def verify(self, token: str) -> VerifiedToken | None:
        return (
            VerifiedToken(subject="alice", client_id="app", scopes=frozenset()) if token == "good" else None
        )


class Service:
    async def _answer(self, limit: int | None) -> Any:
        if limit == 7:
            raise ApiProblem(404, "not_found", "no such account")
        return {}

    async def ob_accounts(self, ctx: Any, *, limit: int | None = None) -> Any:
        return await self._answer(limit)

    async def bg_accounts(self, ctx: Any, *, limit: int | None = None) -> Any:
        return await self._answer(limit)

    async def std_accounts(self, ctx: Any, *, limit: int | None = None) -> Any:
        return await self._answer(limit)


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    with generated_package(SPEC, "own-errors.yaml", tmp_path_factory.mktemp("errors")) as generated:
        yield generated


def _get(base_url: str, path: str, **params: Any) -> httpx.Response:
    token = params.pop("token", "good")
    with httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {token}"}) as http:
        return http.get(f"/api/{path}/accounts", params=params)


@pytest.fixture(scope="module")
def base_url(package: ModuleType) -> Iterator[str]:
    with serve(package.server.create_app(Service(), Tokens())) as url:
        yield url


@pytest.mark.parametrize(
    ("params", "status"), [({"limit": 0}, 400), ({"limit": 7}, 404), ({"token": "bad"}, 401)]
)
def test_open_banking_errors_have_the_declared_shape(
    package: ModuleType, base_url: str, params: Any, status: int
) -> None:
    response = _get(base_url, "ob", **params)
    assert response.status_code == status
    body = package.models.OBErrorResponse1.model_validate(response.json())  # valid against the schema
    assert body.errors and all(error.error_code in OB_CODES for error in body.errors)
    if status == 400:
        assert body.code == "invalid_request"
        assert [error.path for error in body.errors] == ["query.limit"]
    if status == 404:
        assert body.message == "no such account"


@pytest.mark.parametrize(("params", "status"), [({"limit": 11}, 400), ({"limit": 7}, 404)])
def test_berlin_group_errors_have_the_declared_shape(
    package: ModuleType, base_url: str, params: Any, status: int
) -> None:
    response = _get(base_url, "bg", **params)
    assert response.status_code == status
    body = package.models.Error400NGAIS.model_validate(response.json())
    assert body.tpp_messages and body.tpp_messages[0].category.value == "ERROR"
    if status == 400:
        assert body.tpp_messages[0].path == "query.limit"


def test_the_standard_error_schema_keeps_the_standard_body(base_url: str) -> None:
    response = _get(base_url, "std", limit=0)
    assert response.status_code == 400
    assert response.json()["errorCode"] == "invalid_request"
    assert response.json()["errorDetails"][0]["errorDetailsField"] == "query.limit"


def test_the_provider_overrides_the_mapping(package: ModuleType) -> None:
    assert set(package.server.ERROR_BODIES) == {"OBErrorResponse1", "Error400NGAIS"}

    def mine(problem: ApiProblem) -> Any:
        return {"Code": f"X-{problem.status}", "Message": problem.message, "Errors": [
            {"ErrorCode": "UK.OBIE.UnexpectedError", "Message": problem.message}]}  # fmt: skip

    app = package.server.create_app(Service(), Tokens(), error_bodies={"OBErrorResponse1": mine})
    with serve(app) as url:
        response = _get(url, "ob", limit=7)
        assert response.json()["Code"] == "X-404"
        assert "tppMessages" in _get(url, "bg", limit=7).json()


def test_a_failing_mapping_falls_back_to_the_standard_body(package: ModuleType) -> None:
    def broken(problem: ApiProblem) -> Any:
        raise RuntimeError("bug in the provider's mapping")

    with serve(
        package.server.create_app(Service(), Tokens(), error_bodies={"OBErrorResponse1": broken})
    ) as url:
        response = _get(url, "ob", limit=7)
    assert response.status_code == 404
    assert response.json()["errorCode"] == "not_found"
