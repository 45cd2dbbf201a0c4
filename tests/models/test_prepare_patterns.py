"""`prepare_document` translates every schema `pattern`, also under names that start with `x-`."""

from __future__ import annotations

from typing import Any

from renkei.models.prepare import PYTHON_PATTERN_PREFIX, prepare_document

LOOK_AHEAD = r"^(?!\s)(.*)(\S)$"  # UK Open Banking's x-idempotency-key


def _document() -> dict[str, Any]:
    key = {"type": "string", "maxLength": 40, "pattern": LOOK_AHEAD}
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/p": {
                "post": {
                    "parameters": [{"$ref": "#/components/parameters/x-idempotency-key"}],
                    "responses": {
                        "201": {
                            "description": "ok",
                            "headers": {"x-fapi-interaction-id": {"schema": dict(key)}},
                        }
                    },
                    "x-extension": {"schema": dict(key)},
                }
            }
        },
        "components": {
            "parameters": {"x-idempotency-key": {"name": "x-idempotency-key", "in": "header", "schema": key}},
            "schemas": {"x-Thing": {"type": "object", "properties": {"x-code": dict(key)}}},
        },
    }


def test_patterns_under_names_starting_with_x_are_translated() -> None:
    prepared = prepare_document(_document())
    document = prepared.document
    parameter = document["components"]["parameters"]["x-idempotency-key"]["schema"]["pattern"]
    header = document["paths"]["/p"]["post"]["responses"]["201"]["headers"]["x-fapi-interaction-id"]
    [schema] = document["components"]["schemas"].values()
    for pattern in (parameter, header["schema"]["pattern"], schema["properties"]["x-code"]["pattern"]):
        assert pattern.startswith(PYTHON_PATTERN_PREFIX)
        assert prepared.python_patterns[pattern] != LOOK_AHEAD  # translated for Python's re (`$` -> `\Z`)


def test_extensions_are_left_alone() -> None:
    document = prepare_document(_document()).document
    assert document["paths"]["/p"]["post"]["x-extension"]["schema"]["pattern"] == LOOK_AHEAD
