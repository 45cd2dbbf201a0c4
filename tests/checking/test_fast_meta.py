"""The 3.1 dialect check with jsonschema-rs first finds exactly what the pure-Python check finds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renkei.checking import structure
from renkei.checking.fast_meta import rust_dialect_validator
from renkei.loading import load_spec

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
GOOD_SCHEMAS: list[Any] = [
    {"type": "string", "pattern": "^[0-9]{4}$", "maxLength": 4},
    {"type": ["number", "null"], "description": "x"},
    {"type": "object", "required": ["a"], "properties": {"a": {"type": "string", "format": "date-time"}}},
    {"type": "array", "items": {"$ref": "#/components/schemas/Other"}},
    {"oneOf": [{"type": "string"}, {"type": "integer"}], "discriminator": {"propertyName": "kind"}},
    True,
]


def _document(schema: Any) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
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


def _findings(directory: Path, schema: Any) -> list[tuple[Any, str]]:
    path = directory / "doc.json"
    path.write_text(json.dumps(_document(schema)), encoding="utf-8")
    spec = load_spec(path)
    return sorted(
        ((spec.locate(pointer), text.en) for pointer, text in structure.validate_structure(spec)), key=repr
    )


def _python_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(structure, "rust_dialect_validator", lambda: None)


def test_jsonschema_rs_is_installed() -> None:
    assert rust_dialect_validator() is not None  # else the check below compares Python with Python


@pytest.mark.parametrize("schema", BAD_SCHEMAS + GOOD_SCHEMAS, ids=repr)
def test_same_findings_as_the_python_check(
    schema: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = _findings(tmp_path, schema)
    _python_only(monkeypatch)
    assert _findings(tmp_path, schema) == fast
    assert bool(fast) == (schema in BAD_SCHEMAS)


KEYWORDS = st.sampled_from(
    ["type", "minLength", "maxLength", "pattern", "required", "enum", "items", "format", "minimum", "const"]
)
VALUES = st.one_of(
    st.sampled_from(["string", "integer", "object", "nul", "^a+$", "[", "date", "uri"]),
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


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(schema=SCHEMAS)
def test_random_schemas_give_the_same_findings(
    schema: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = _findings(tmp_path, schema)
    with monkeypatch.context() as patched:
        patched.setattr(structure, "rust_dialect_validator", lambda: None)
        assert _findings(tmp_path, schema) == fast


def test_python_check_runs_only_for_schemas_rust_rejects(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked: list[Any] = []
    python = structure._dialect_checker()

    class Counting:
        def iter_errors(self, schema: Any) -> Any:
            checked.append(schema)
            return python.iter_errors(schema)

    monkeypatch.setattr(structure, "_dialect_checker", lambda: Counting())
    assert _findings(tmp_path, GOOD_SCHEMAS[2]) == []
    assert checked == []
    assert _findings(tmp_path, BAD_SCHEMAS[0]) != []
    assert BAD_SCHEMAS[0] in checked and GOOD_SCHEMAS[2] not in checked
