"""Property: form and multipart bodies drawn from their schemas round-trip.

For every operation of every corpus spec whose body the generated code sends as
`application/x-www-form-urlencoded` (with the spec's `encoding`: deepObject, exploded arrays) or
`multipart/form-data` (files with their name, bytes and media type, text and number fields): bodies drawn
from the schema (`drawn`, hypothesis) that the schema and the generated client's model accept are sent over
real HTTP (127.0.0.1), accepted by the generated server and reach the service equal to what was sent.

What a form cannot carry is not drawn: an empty array or object (no field at all, as when absent), `null`.
"""

from __future__ import annotations

import typing
from pathlib import Path
from typing import Any

import pydantic
import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_corpus import (
    EXAMPLE_COUNTS,
    ROUND_TRIP_CASES,
    Generated,
    RoundTrip,
    call_arguments,
    client_methods,
    client_round_trip,
    drawn,
    generated_cases,  # noqa: F401  (the module fixture, shared)
    property_settings,
    resolve,
    schema_validator,
    spec_operation,
)

from renkei.ir.media import pick_media_type

_FILES = st.tuples(
    st.sampled_from(["a.pdf", "請求書.pdf", "scan 1.png"]),
    st.binary(max_size=64),
    st.sampled_from(["application/pdf", "image/png", "application/octet-stream"]),
)


def _empty(value: Any) -> bool:
    if isinstance(value, dict):
        return not value or any(_empty(item) for item in value.values())
    if isinstance(value, list):
        return not value or any(_empty(item) for item in value)
    return value is None


def _form_operations(generated: Generated, client: Any) -> list[tuple[str, Any, str, dict[str, Any]]]:
    """(client method name, method, body kind, media object) of the operations with a form body."""
    found = []
    for name in sorted(client_methods(type(client))):
        method = getattr(client, name)
        operation = spec_operation(generated, method)
        assert operation is not None, name
        body = resolve(generated.document, operation[0].get("requestBody") or {})
        picked = pick_media_type(body.get("content"))
        if picked is not None and picked[1] in ("form", "multipart") and "schema" in picked[2]:
            found.append((name, method, picked[1], dict(picked[2])))
    return found


def _body_strategy(document: dict[str, Any], kind: str, media: dict[str, Any]) -> st.SearchStrategy[Any]:
    schema = resolve(document, media["schema"])
    properties = {name: resolve(document, prop) for name, prop in (schema.get("properties") or {}).items()}
    fields = {
        name: _FILES if kind == "multipart" and prop.get("format") == "binary" else drawn(document, prop, 1)
        for name, prop in properties.items()
    }
    required = set(schema.get("required") or []) & set(fields)
    return st.fixed_dictionaries(
        {name: fields[name] for name in required},
        optional={name: value for name, value in fields.items() if name not in required},
    )


def _round_trips_drawn_forms(
    trip: RoundTrip, name: str, method: Any, kind: str, media: dict[str, Any], examples: int
) -> None:
    document = trip.generated.document
    annotation = typing.get_type_hints(method)["body"]
    adapter: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(annotation)
    binary = {
        field
        for field, prop in (resolve(document, media["schema"]).get("properties") or {}).items()
        if resolve(document, prop).get("format") == "binary"
    }
    schema = schema_validator(document, media["schema"])

    def accepted(body: dict[str, Any]) -> bool:
        if any(_empty(value) for value in body.values()):
            return False
        as_json = {k: ("file" if k in binary else v) for k, v in body.items()}
        if not schema.is_valid(as_json):
            return False
        if kind == "multipart":
            return True  # the client takes the fields as a mapping (files as tuples)
        try:
            adapter.validate_python(body)
        except (pydantic.ValidationError, ValueError):
            return False
        return True

    base = call_arguments(trip.generated, method)

    @property_settings(examples)
    @given(body=_body_strategy(document, kind, media).filter(accepted))
    def one(body: dict[str, Any]) -> None:
        value = body if kind == "multipart" else adapter.validate_python(body)
        arguments = {**base, "body": value}
        trip.check(name, arguments, method(**arguments))

    one()


def run(generated: Generated, examples: int) -> None:
    checked = 0
    with client_round_trip(generated) as (trip, client):
        for name, method, kind, media in _form_operations(generated, client):
            _round_trips_drawn_forms(trip, name, method, kind, media, examples)
            checked += 1
    if not checked:
        pytest.skip("no operation with a form or multipart body")


@pytest.mark.parametrize("examples", EXAMPLE_COUNTS)
@pytest.mark.parametrize("spec", ROUND_TRIP_CASES)
def test_drawn_form_bodies_round_trip(
    spec: Path,
    examples: int,
    generated_cases: dict[Path, Generated],  # noqa: F811
) -> None:
    run(generated_cases[spec], examples)
