"""Units of the pipeline: safe names, schema preparation for datamodel-code-generator, type hints, the IR."""

from __future__ import annotations

import keyword
from typing import Any

import pytest

from renkei.ir.build import build_api
from renkei.ir.hoisting import hoist_inline_schemas
from renkei.ir.naming import MAX_CLASS_NAME, class_name, package_name, snake_case
from renkei.models.hints import TypeHints
from renkei.models.prepare import prepare_document


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("listAccounts", "list_accounts"),
        ("account-id", "account_id"),
        ("Idempotency-Key", "idempotency_key"),
        ("getHTTPResponse", "get_http_response"),
        ("class", "class_"),
        ("body", "body_"),
        ("2fa", "value_2fa"),
    ],
)
def test_snake_case(given: str, expected: str) -> None:
    assert snake_case(given) == expected


def test_names_without_ascii_letters_are_stable_identifiers() -> None:
    name = snake_case("口座一覧")
    assert name.isidentifier() and name == snake_case("口座一覧") != snake_case("残高")
    assert class_name("口座").isidentifier()


def test_class_names_from_dots_and_very_long_names() -> None:
    assert class_name("foo.Bar-baz") == "FooBarBaz"
    long_a, long_b = class_name("A" * 300 + "x"), class_name("A" * 300 + "y")
    assert len(long_a) <= MAX_CLASS_NAME and long_a != long_b
    assert not keyword.iskeyword(class_name("None"))


def test_package_names() -> None:
    assert package_name("bank-inquiry") == "bank_inquiry"
    assert package_name("3ds") == "_3ds"


def _document(schemas: dict[str, Any], paths: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": paths or {},
        "components": {"schemas": schemas},
    }


def test_prepare_maps_custom_formats_to_domain_types_everywhere() -> None:
    prepared = prepare_document(
        _document(
            {
                "JpyAmount": {"type": "string", "format": "jpy-amount", "pattern": "^[0-9]+$"},
                "Fee": {"type": "string", "format": "jpy-amount"},
                "Payee": {
                    "type": "object",
                    "properties": {
                        "fee": {"$ref": "#/components/schemas/Fee"},
                        "name": {"type": "string", "format": "zengin-kana", "maxLength": 30},
                        "other": {"type": "string", "format": "zengin-kana", "maxLength": 12},
                        "at": {"type": ["string", "null"], "format": "jst-date-time"},
                    },
                },
            }
        )
    )
    assert set(prepared.overrides) == {"JpyAmount", "ZenginKana30", "ZenginKana12", "JstDateTime"}
    properties = prepared.schemas["Payee"]["properties"]
    assert properties["fee"] == {"$ref": "#/components/schemas/JpyAmount"}  # the alias component is inlined
    assert properties["name"] == {"$ref": "#/components/schemas/ZenginKana30"}
    assert properties["at"]["anyOf"][1] == {"type": "null"}
    assert "Fee" not in prepared.schemas


def test_prepare_renames_components_and_rewrites_refs() -> None:
    prepared = prepare_document(
        _document(
            {
                "com.example.Account": {"type": "object", "properties": {"id": {"type": "string"}}},
                "List": {"type": "array", "items": {"$ref": "#/components/schemas/com.example.Account"}},
                "DepositType": {"type": "string", "enum": ["a", "b"]},
            }
        )
    )
    assert prepared.names["com.example.Account"] == "ComExampleAccount"
    assert "ComExampleAccount" in prepared.schemas
    assert "List" not in prepared.schemas  # a primitive array: inlined where used
    assert prepared.names["DepositType"] == "DepositTypeModel"  # not the domain type: no clash


def test_hoisting_names_inline_bodies_and_responses() -> None:
    document = _document(
        {},
        {
            "/things": {
                "post": {
                    "operationId": "createThing",
                    "requestBody": {
                        "content": {"application/json": {"schema": {"type": "object", "properties": {}}}}
                    },
                    "responses": {
                        "201": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {"type": "array", "items": {"type": "object", "properties": {}}}
                                }
                            },
                        }
                    },
                }
            }
        },
    )
    hoist_inline_schemas(document)
    assert set(document["components"]["schemas"]) == {"CreateThingBody", "CreateThingResponseItem"}


def test_type_hints_for_parameters() -> None:
    hints = TypeHints({"Status": {"enum": ["a"]}}, frozenset({"Status"}), {"BankCode": "x"})
    assert hints.hint({"type": "integer", "minimum": 1}, "request") == "int"
    assert (
        hints.hint({"type": "integer", "minimum": 1, "maximum": 5}, "request", constrained=True)
        == "typing.Annotated[int, pydantic.Field(ge=1, le=5)]"
    )
    assert hints.hint({"type": "array", "items": {"type": "string", "format": "date"}}, "request") == (
        "list[rt.IsoDate]"
    )
    assert hints.hint({"$ref": "#/components/schemas/Status"}, "request") == "models.Status"
    assert hints.hint({"$ref": "#/components/schemas/BankCode"}, "request") == "rt.BankCode"
    assert hints.hint({"type": ["string", "null"]}, "request") == "str | None"
    assert hints.hint({"enum": ["x", "y", "x"]}, "request") == 'typing.Literal["x", "y"]'
    members = {"type": "object", "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}}}
    assert hints.hint(members, "request") == "dict[str, int]"


def test_ir_of_an_operation() -> None:
    document = _document(
        {"Item": {"type": "object", "properties": {"id": {"type": "string"}}}},
        {
            "/shops/{shop-id}/items": {
                "parameters": [
                    {"name": "shop-id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "get": {
                    "security": [{"oauth": ["items:read"]}, {}],
                    "parameters": [
                        {"name": "x-fapi-interaction-id", "in": "header", "schema": {"type": "string"}},
                        {"name": "limit", "in": "query", "schema": {"type": "integer", "default": 10}},
                    ],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/Item"}}
                            },
                        }
                    },
                    "x-internal": True,
                },
            }
        },
    )
    api = build_api(
        document, "shop_api", TypeHints(document["components"]["schemas"], frozenset({"Item"}), {}), {}
    )
    (op,) = api.operations
    assert op.python_name == "get_shops_shop_id_items"
    assert op.route_path == "/shops/{shop_id}/items"
    assert [p.python_name for p in op.parameters] == ["shop_id", "limit"]  # interaction id is in ctx
    assert op.parameters[1].default == "10"
    assert op.return_type == "models.Item"
    assert [r.schemes for r in op.security] == [(("oauth", ("items:read",)),), ()]
    assert api.class_prefix == "ShopApi"
