"""Every example in the shipped standard validates against its schema (JSON Schema 2020-12 over the bundled
document): component schemas' `example`s, media types' `example`/`examples`, parameters' `example`s."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from checking_support import REPO
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from renkei.loading import load_spec

SPECS = [REPO / "spec" / name for name in ("bank-inquiry.yaml", "bank-transfer.yaml", "card.yaml")]
ROOT = "urn:renkei:spec"


def _examples(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any], Any]]:
    """(where, schema, example) for every example with a schema next to it."""
    for name, schema in document.get("components", {}).get("schemas", {}).items():
        if "example" in schema:
            yield f"schema {name}", {"$ref": f"{ROOT}#/components/schemas/{name}"}, schema["example"]
    for name, response in document.get("components", {}).get("responses", {}).items():
        for media_type, media in response.get("content", {}).items():
            if "example" in media:
                yield f"response {name} {media_type}", media["schema"], media["example"]
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            label = f"{method.upper()} {path}"
            for parameter in operation.get("parameters", []):
                if "$ref" not in parameter and "example" in parameter:
                    yield f"{label} parameter {parameter['name']}", parameter["schema"], parameter["example"]
            body = operation.get("requestBody", {})
            holders = [("request", body)] + [
                (f"response {code}", response) for code, response in operation["responses"].items()
            ]
            for where, holder in holders:
                for media_type, media in holder.get("content", {}).items():
                    values = [media["example"]] if "example" in media else []
                    values += [e["value"] for e in media.get("examples", {}).values() if "value" in e]
                    for value in values:
                        yield f"{label} {where} {media_type}", media["schema"], value


@pytest.mark.parametrize("path", SPECS, ids=[path.stem for path in SPECS])
def test_every_example_validates_against_its_schema(path: Any) -> None:
    document = load_spec(path).document
    registry = _registry(document)
    checked = 0
    problems = []
    for where, schema, example in _examples(document):
        schema = _absolute(schema)
        validator = Draft202012Validator(schema, registry=registry)
        for error in validator.iter_errors(example):
            problems.append(f"{where}: {'/'.join(map(str, error.absolute_path))}: {error.message}")
        checked += 1
    assert checked >= 30
    assert not problems, "\n".join(problems)


def _registry(document: dict[str, Any]) -> Registry[Any]:
    resource: Resource[Any] = Resource.from_contents(document, default_specification=DRAFT202012)
    return Registry().with_resource(ROOT, resource)


def _absolute(node: Any) -> Any:
    """Local `#/...` references -> the registered document's URI (a schema taken out of the document)."""
    if isinstance(node, dict):
        return {
            key: (f"{ROOT}{value}" if key == "$ref" and str(value).startswith("#") else _absolute(value))
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_absolute(item) for item in node]
    return node


def test_a_wrong_example_is_caught() -> None:
    document = load_spec(SPECS[1]).document
    registry = _registry(document)
    schema = {"$ref": f"{ROOT}#/components/schemas/TransferRequest"}
    example = dict(document["components"]["schemas"]["TransferRequest"]["example"], transferAmount="0")
    assert list(Draft202012Validator(schema, registry=registry).iter_errors(example))
