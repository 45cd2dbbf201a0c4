"""Write a synthetic OpenAPI 3.1 document of several megabytes with hundreds of operations (deterministic).

Usage: python make_large.py OUT.yaml [--resources N] [--properties P] [--stripe-size]. The test suite calls
`write_large_spec(path)`; `--stripe-size` (94 resources, 470 operations, 125 properties a model: about 4 MB of
YAML) is the size of Stripe's public spec, the generation-scale benchmark's input.
Every resource has CRUD operations (list with cursor pagination, create, get, replace, delete) and a model
with many properties of varied types, so that the document is large in both operations and schemas.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path
from typing import Any

import yaml

DEFAULT_RESOURCES = 200  # 5 operations each: 1000 operations
PROPERTIES_PER_MODEL = 48
STRIPE_SIZE = {"resources": 94, "properties": 125}


def _property(rng: random.Random, index: int, resource: int, resources: int) -> dict[str, Any]:
    kind = index % 8
    filler = "Lorem ipsum dolor sit amet. " * rng.randint(3, 9)
    description = f"Property {index} of resource {resource}. {filler}"
    if kind == 0:
        return {"type": "string", "maxLength": 64, "description": description}
    if kind == 1:
        return {"type": "integer", "minimum": 0, "maximum": 10**9, "description": description}
    if kind == 2:
        return {"type": "string", "format": "date-time", "description": description}
    if kind == 3:
        return {
            "type": "string",
            "enum": [f"value{j}" for j in range(rng.randint(2, 8))],
            "description": description,
        }
    if kind == 4:
        return {"type": "array", "items": {"type": "string"}, "description": description}
    if kind == 5:
        return {"type": ["number", "null"], "description": description}
    if kind == 6:
        return {"type": "boolean", "description": description}
    return {
        "$ref": f"#/components/schemas/Resource{(resource + 1) % resources:04d}Summary",
        "description": description,
    }


def build_spec(
    resources: int = DEFAULT_RESOURCES, seed: int = 20261122, properties_per_model: int = PROPERTIES_PER_MODEL
) -> dict[str, Any]:
    rng = random.Random(seed)
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {
        "ErrorResponse": {
            "type": "object",
            "required": ["errorCode", "errorMessage"],
            "properties": {"errorCode": {"type": "string"}, "errorMessage": {"type": "string"}},
        }
    }
    error = {
        "description": "Error",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}},
    }
    for r in range(resources):
        name = f"Resource{r:04d}"
        plural = f"resource-{r:04d}s"
        ref = {"$ref": f"#/components/schemas/{name}"}
        properties = {f"field{i:02d}": _property(rng, i, r, resources) for i in range(properties_per_model)}
        properties["id"] = {"type": "string", "readOnly": True}
        properties["name"] = {"type": "string", "minLength": 1}
        schemas[name] = {"type": "object", "required": ["id", "name"], "properties": properties}
        schemas[f"{name}Summary"] = {
            "type": "object",
            "required": ["id"],
            "properties": {"id": {"type": "string"}, "label": {"type": "string"}},
        }
        schemas[f"{name}List"] = {
            "type": "object",
            "required": ["items", "hasNext"],
            "properties": {
                "items": {"type": "array", "items": ref},
                "hasNext": {"type": "boolean"},
                "nextCursor": {"type": "string"},
            },
        }
        item_path = {
            "name": "itemId",
            "in": "path",
            "required": True,
            "schema": {"type": "string"},
        }
        paths[f"/{plural}"] = {
            "get": {
                "operationId": f"list{name}s",
                "tags": [plural],
                "parameters": [
                    {
                        "name": "limit",
                        "in": "query",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 500},
                    },
                    {"name": "cursor", "in": "query", "schema": {"type": "string"}},
                ],
                "responses": {
                    "200": {
                        "description": "A page",
                        "content": {
                            "application/json": {"schema": {"$ref": f"#/components/schemas/{name}List"}}
                        },
                    },
                    "400": error,
                },
            },
            "post": {
                "operationId": f"create{name}",
                "tags": [plural],
                "requestBody": {"required": True, "content": {"application/json": {"schema": ref}}},
                "responses": {
                    "201": {"description": "Created", "content": {"application/json": {"schema": ref}}},
                    "400": error,
                },
            },
        }
        paths[f"/{plural}/{{itemId}}"] = {
            "parameters": [item_path],
            "get": {
                "operationId": f"get{name}",
                "tags": [plural],
                "responses": {
                    "200": {"description": "One", "content": {"application/json": {"schema": ref}}},
                    "404": error,
                },
            },
            "put": {
                "operationId": f"replace{name}",
                "tags": [plural],
                "requestBody": {"required": True, "content": {"application/json": {"schema": ref}}},
                "responses": {
                    "200": {"description": "Replaced", "content": {"application/json": {"schema": ref}}},
                    "404": error,
                },
            },
            "delete": {
                "operationId": f"delete{name}",
                "tags": [plural],
                "responses": {"204": {"description": "Deleted"}, "404": error},
            },
        }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Synthetic large API",
            "version": "1.0.0",
            "description": f"{resources} resources, {5 * resources} operations, generated by make_large.py.",
        },
        "servers": [{"url": "https://large.example/v1"}],
        "paths": paths,
        "components": {"schemas": schemas},
    }


def write_large_spec(
    path: Path, resources: int = DEFAULT_RESOURCES, properties: int = PROPERTIES_PER_MODEL
) -> Path:
    """Write the synthetic spec to `path` (JSON when it ends in .json, else YAML); return `path`."""
    spec = build_spec(resources, properties_per_model=properties)
    if path.suffix == ".json":
        text = json.dumps(spec, indent=2, ensure_ascii=False) + "\n"
    else:
        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
        text = yaml.dump(spec, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100)
    path.write_text(text, encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--resources", type=int, default=DEFAULT_RESOURCES)
    parser.add_argument("--properties", type=int, default=PROPERTIES_PER_MODEL)
    parser.add_argument("--stripe-size", action="store_true", help="94 resources x 125 properties (~4 MB)")
    args = parser.parse_args()
    if args.stripe_size:
        write_large_spec(args.out, STRIPE_SIZE["resources"], STRIPE_SIZE["properties"])
    else:
        write_large_spec(args.out, args.resources, args.properties)


if __name__ == "__main__":
    main()
