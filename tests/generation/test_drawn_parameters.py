"""Property: parameters drawn from their schemas round-trip, in every style the corpus uses.

For every operation of every corpus spec (tests/generation/corpus/) with path, query, header or cookie
parameters: values drawn from each parameter's schema (`drawn`, hypothesis) that the generated client's
signature accepts are sent over real HTTP (127.0.0.1) by the generated client, in the parameter's
style/explode (form exploded or not, pipe- and space-delimited, deepObject, simple, object forms), accepted
by the generated server and reach the service equal to what was sent.

What a style cannot carry is not drawn (HTTP or OpenAPI say so, not renkei): header and cookie values are
visible ASCII without surrounding blanks (RFC 9110 field values: parsers strip the blanks; RFC 6265 cookie
octets); the items of a delimited array (form without explode, pipeDelimited, spaceDelimited; simple) and
the keys and values of an object in such a style neither contain the delimiter, since the style has no escape
for it, nor are empty (`ids=` is `[]` or `[""]`); an empty array or object is not drawn (no style tells it
from an absent parameter); a path value is not empty (the URL would name another path). Values are those
the parameter's schema accepts (the OpenAPI dialect's validator) and the client's signature accepts.
"""

from __future__ import annotations

import inspect
import re
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

from renkei.ir.naming import snake_case

_FIELD_VALUE = re.compile(r"[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?")
_DELIMITERS = {"form": ",", "pipeDelimited": "|", "spaceDelimited": " "}


def _style(parameter: dict[str, Any]) -> tuple[str, bool]:
    default = "form" if parameter["in"] in ("query", "cookie") else "simple"
    style = parameter.get("style", default)
    return style, bool(parameter.get("explode", style == "form"))


def _texts(value: Any) -> list[str]:
    """Every piece of text a value puts on the wire (items, keys and values)."""
    if isinstance(value, dict):
        return [text for key, item in value.items() for text in (str(key), *_texts(item))]
    if isinstance(value, list):
        return [text for item in value for text in _texts(item)]
    return [] if value is None or isinstance(value, bool | int | float) else [str(value)]


def carried(parameter: dict[str, Any], value: Any) -> bool:
    """Whether the parameter's location and style can carry `value` at all (see the module docstring)."""
    style, explode = _style(parameter)
    if parameter["in"] == "path" and "" in _texts(value):
        return False
    if parameter["in"] in ("header", "cookie") and not all(_FIELD_VALUE.fullmatch(t) for t in _texts(value)):
        return False
    if parameter["in"] == "cookie" and any(c in t for t in _texts(value) for c in ';,"\\'):
        return False
    delimiter = _DELIMITERS.get(style) if not explode or style != "form" else None
    if parameter["in"] in ("path", "header"):
        delimiter = "," if isinstance(value, list | dict) else None
    if delimiter is not None and isinstance(value, list | dict):
        if any(delimiter in t or not t for t in _texts(value)):
            return False
    return not (isinstance(value, list | dict) and not value)


def _kwargs(generated: Generated, method: Any) -> dict[str, dict[str, Any]]:
    """Client keyword -> spec parameter, for the parameters (not the body) of the operation `method` calls."""
    found = spec_operation(generated, method)
    assert found is not None, method.__name__
    by_name = {
        candidate: parameter
        for parameter in found[1]
        for candidate in (snake_case(parameter["name"]), snake_case(parameter["name"], fallback="param"))
    }
    return {
        name: by_name[name]
        for name, p in inspect.signature(method).parameters.items()
        if p.kind is inspect.Parameter.KEYWORD_ONLY and name in by_name and "schema" in by_name[name]
    }


def _strategy(document: dict[str, Any], parameter: dict[str, Any], annotation: Any) -> st.SearchStrategy[Any]:
    adapter: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(annotation)
    schema = schema_validator(document, parameter["schema"])

    def accepted(value: Any) -> bool:
        if not schema.is_valid(value):
            return False
        try:
            adapter.validate_python(value)
        except (pydantic.ValidationError, ValueError):
            return False
        return value is not None and carried(parameter, value)

    values = drawn(document, resolve(document, parameter["schema"]))
    return values.filter(accepted).map(adapter.validate_python)


def _round_trips_drawn_parameters(trip: RoundTrip, name: str, method: Any, examples: int) -> None:
    generated = trip.generated
    parameters = _kwargs(generated, method)
    hints = typing.get_type_hints(method)
    strategies = {kw: _strategy(generated.document, p, hints[kw]) for kw, p in parameters.items()}
    base = {k: v for k, v in call_arguments(generated, method).items() if k not in parameters}

    @property_settings(examples)
    @given(values=st.fixed_dictionaries(strategies))  # every parameter present (absent ones: test_corpus)
    def one(values: dict[str, Any]) -> None:
        arguments = {**base, **values}
        trip.check(name, arguments, method(**arguments))

    one()


def run(generated: Generated, examples: int) -> None:
    checked = 0
    with client_round_trip(generated) as (trip, client):
        for name in sorted(client_methods(type(client))):
            method = getattr(client, name)
            if _kwargs(generated, method):
                _round_trips_drawn_parameters(trip, name, method, examples)
                checked += 1
    if not checked:
        pytest.skip("no operation with parameters")


@pytest.mark.parametrize("examples", EXAMPLE_COUNTS)
@pytest.mark.parametrize("spec", ROUND_TRIP_CASES)
def test_drawn_parameters_round_trip(
    spec: Path,
    examples: int,
    generated_cases: dict[Path, Generated],  # noqa: F811
) -> None:
    run(generated_cases[spec], examples)
