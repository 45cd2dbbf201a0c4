"""The validator with the Rust-first meta-schema check finds exactly what openapi-spec-validator finds."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

from renkei.generation.fast_meta import fast_spec_validator

BAD_SCHEMAS: list[Any] = [
    {"type": "strin"},
    {"type": "string", "minLength": -1},
    {"type": "object", "required": "name"},
    {"type": "object", "properties": {"a": {"type": 5}}},
    {"type": "object", "properties": {"a": {"items": {"maxItems": "3"}}}},
    {"type": "string", "pattern": "[unclosed"},
    {"enum": "not-a-list"},
    {"allOf": {"type": "string"}},
    {"anyOf": []},
    {"$ref": 3},
    {"type": ["string", "nul"]},
    {"properties": {"deep": {"properties": {"deeper": {"multipleOf": 0}}}}},
]
EITHER_SCHEMAS: list[Any] = [
    # an ECMA-262 named group: `re` refuses it, regress (when installed) accepts it
    {"type": "string", "pattern": "(?<year>[0-9]{4})"},
]
GOOD_SCHEMAS: list[Any] = [
    {"type": "string", "pattern": "^[0-9]{4}$", "maxLength": 4},
    {"type": ["number", "null"], "description": "x"},
    {"type": "object", "required": ["a"], "properties": {"a": {"type": "string", "format": "date-time"}}},
    {"type": "array", "items": {"$ref": "#/components/schemas/Other"}},
    {"oneOf": [{"type": "string"}, {"type": "integer"}], "discriminator": {"propertyName": "kind"}},
    True,
]


def _document(schema: Any, version: str = "3.1.0") -> dict[str, Any]:
    return {
        "openapi": version,
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/a": {
                "post": {
                    "requestBody": {"content": {"application/json": {"schema": schema}}},
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
        "components": {"schemas": {"Thing": schema, "Other": {"type": "string"}}},
    }


def _first_error(validator_class: type[Any], document: dict[str, Any]) -> tuple[str, list[Any]] | None:
    error = next(iter(validator_class(document).iter_errors()), None)
    return None if error is None else (str(error.message), list(error.absolute_path))


@pytest.mark.parametrize("schema", BAD_SCHEMAS + EITHER_SCHEMAS + GOOD_SCHEMAS, ids=repr)
@pytest.mark.parametrize("version", ["3.1.0", "3.0.3"])
def test_same_first_error_as_openapi_spec_validator(schema: Any, version: str) -> None:
    if version == "3.0.3" and isinstance(schema, bool):
        pytest.skip("3.0 has no boolean schemas")
    plain = OpenAPIV31SpecValidator if version.startswith("3.1") else OpenAPIV30SpecValidator
    fast = fast_spec_validator(version.startswith("3.1"))
    document = _document(schema, version)
    expected = _first_error(plain, document)
    assert _first_error(fast, document) == expected
    if version == "3.1.0" and schema not in EITHER_SCHEMAS:
        assert (expected is None) == (schema in GOOD_SCHEMAS)


KEYWORDS = st.sampled_from(
    ["type", "minLength", "maxLength", "pattern", "required", "enum", "items", "format", "minimum", "const"]
)
VALUES = st.one_of(
    st.sampled_from(["string", "integer", "object", "nul", "^a+$", "(?<n>a)", "[", "date", "uri"]),
    st.integers(min_value=-2, max_value=3),
    st.lists(st.sampled_from(["a", "b", 1]), max_size=3),
    st.booleans(),
    st.none(),
)
SCHEMAS = st.recursive(
    st.dictionaries(KEYWORDS, VALUES, max_size=4),
    lambda inner: st.dictionaries(
        st.sampled_from(["properties", "items", "allOf", "not"]),
        st.one_of(
            st.dictionaries(st.sampled_from(["a", "b"]), inner, max_size=2),
            inner,
            st.lists(inner, max_size=2),
        ),
        max_size=2,
    ),
    max_leaves=6,
)


@settings(max_examples=150, deadline=None)
@given(SCHEMAS)
def test_random_schemas_give_the_same_verdict(schema: dict[str, Any]) -> None:
    document = _document(schema)
    expected = _first_error(OpenAPIV31SpecValidator, document)
    assert _first_error(fast_spec_validator(True), document) == expected


def test_python_meta_check_runs_only_for_schemas_rust_rejects(monkeypatch: pytest.MonkeyPatch) -> None:
    from openapi_spec_validator.validation import keywords

    calls: list[Any] = []
    original = keywords.OpenAPIV31SchemaValidator._validate_schema_meta

    def counting(self: Any, schema: Any, value: Any) -> Any:
        calls.append(value)
        return original(self, schema, value)

    monkeypatch.setattr(keywords.OpenAPIV31SchemaValidator, "_validate_schema_meta", counting)
    assert _first_error(fast_spec_validator(True), _document(GOOD_SCHEMAS[2])) is None
    assert calls == []
    assert _first_error(fast_spec_validator(True), _document(BAD_SCHEMAS[0])) is not None
    assert calls == [BAD_SCHEMAS[0]]
