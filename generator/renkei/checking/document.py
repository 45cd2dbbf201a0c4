"""A read-only view of a bundled OpenAPI document for the rules: operations, responses, schemas."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from renkei.loading import LoadedSpec
from renkei.loading.walk import (
    HTTP_METHODS,
    OperationNode,
    Pointer,
    get,
    iter_operations,
    ref_target,
    resolve,
)

__all__ = [
    "HTTP_METHODS",
    "Document",
    "OperationNode",
    "Pointer",
    "Property",
    "Response",
    "is_json_media_type",
]

# Keywords whose value is one subschema / a list of subschemas / a map of named subschemas.
_SUBSCHEMA = ("additionalProperties", "not", "if", "then", "else", "contains", "propertyNames",
              "unevaluatedProperties", "unevaluatedItems", "items")  # fmt: skip
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems", "items")
_SUBSCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")


@dataclass(frozen=True)
class Response:
    code: str
    node: dict[str, Any]
    pointer: Pointer  # where the response object is written (the shared component for a `$ref`)
    label: str  # "GET /cards: response 404", or "shared response NotFound"
    label_ja: str  # the same in Japanese


@dataclass(frozen=True)
class Property:
    name: str
    schema: dict[str, Any]
    pointer: Pointer  # of the property's schema (its key in `properties`)
    owner: Pointer  # of the object schema holding it


def is_json_media_type(media_type: str) -> bool:
    essence = media_type.split(";", 1)[0].strip().lower()
    return essence == "application/json" or essence.endswith("+json")


class Document:
    """Navigation helpers over `LoadedSpec.document`; every method tolerates invalid documents."""

    def __init__(self, spec: LoadedSpec) -> None:
        self.spec = spec
        self.root: dict[str, Any] = spec.document

    # -- references ---------------------------------------------------------------------------------

    def get(self, pointer: Pointer) -> Any:
        return get(self.root, pointer)

    @staticmethod
    def ref_pointer(node: Any) -> Pointer | None:
        """The target of a local `$ref` object, as tokens; None when `node` is not one."""
        return ref_target(node)

    @classmethod
    def ref_name(cls, node: Any, section: str = "schemas") -> str | None:
        """`X` for `{$ref: '#/components/<section>/X'}`."""
        target = cls.ref_pointer(node)
        if target is not None and len(target) == 3 and target[:2] == ("components", section):
            return str(target[2])
        return None

    def resolve(self, node: Any, pointer: Pointer) -> tuple[Any, Pointer]:
        """Follow local `$ref`s from `node` (at `pointer`): the final node and its pointer."""
        return resolve(self.root, node, pointer)

    # -- operations and responses -------------------------------------------------------------------

    def operations(self) -> Iterator[OperationNode]:
        return iter_operations(self.root)

    def responses(self, operation: OperationNode) -> Iterator[Response]:
        """The operation's responses, resolved; a shared (`$ref`) response is reported where it is defined."""
        responses = operation.node.get("responses")
        if not isinstance(responses, dict):
            return
        for code, response in responses.items():
            written_at: Pointer = (*operation.pointer, "responses", code)
            resolved, pointer = self.resolve(response, written_at)
            if not isinstance(resolved, dict):
                continue
            if pointer == written_at:
                label = f"{operation.label}: response {code}"
                label_ja = f"{operation.label}: 応答 {code}"
            elif len(pointer) == 3 and pointer[:2] == ("components", "responses"):
                label = f"shared response {pointer[-1]}"
                label_ja = f"共有の応答 {pointer[-1]}"
            else:
                label = f"shared response {pointer[-1]} (used as {code} by {operation.label})"
                label_ja = f"共有の応答 {pointer[-1]} ({operation.label} の {code})"
            yield Response(str(code), resolved, pointer, label, label_ja)

    def json_media(
        self, holder: dict[str, Any], pointer: Pointer
    ) -> Iterator[tuple[dict[str, Any], Pointer]]:
        """The JSON media type objects of a response or request body (at `pointer`, already resolved)."""
        content = holder.get("content")
        if not isinstance(content, dict):
            return
        for media_type, media in content.items():
            if is_json_media_type(media_type) and isinstance(media, dict):
                yield media, (*pointer, "content", media_type)

    def request_body(self, operation: OperationNode) -> tuple[dict[str, Any], Pointer] | None:
        body = operation.node.get("requestBody")
        if body is None:
            return None
        resolved, pointer = self.resolve(body, (*operation.pointer, "requestBody"))
        return (resolved, pointer) if isinstance(resolved, dict) else None

    def parameters(self) -> Iterator[tuple[str, dict[str, Any], Pointer]]:
        """Every parameter object written in the document (name, parameter, pointer); `$ref`s are skipped:
        the referenced parameter is visited where it is defined."""
        places: list[tuple[Any, Pointer]] = []
        components = self.root.get("components")
        entries = components.get("parameters") if isinstance(components, dict) else None
        if isinstance(entries, dict):
            places += [(parameter, ("components", "parameters", name)) for name, parameter in entries.items()]
        paths = self.root.get("paths")
        for path, item in paths.items() if isinstance(paths, dict) else ():
            if not isinstance(item, dict):
                continue
            holders: list[tuple[Any, Pointer]] = [(item, ("paths", path))]
            holders += [(item.get(method), ("paths", path, method)) for method in HTTP_METHODS]
            for holder, pointer in holders:
                listed = holder.get("parameters") if isinstance(holder, dict) else None
                if isinstance(listed, list):
                    places += [(parameter, (*pointer, "parameters", n)) for n, parameter in enumerate(listed)]
        for parameter, pointer in places:
            if (
                isinstance(parameter, dict)
                and "$ref" not in parameter
                and isinstance(parameter.get("name"), str)
            ):
                yield parameter["name"], parameter, pointer

    # -- schemas ------------------------------------------------------------------------------------

    def named_schemas(self) -> Iterator[tuple[str, dict[str, Any], Pointer]]:
        components = self.root.get("components")
        schemas = components.get("schemas") if isinstance(components, dict) else None
        if isinstance(schemas, dict):
            for name, schema in schemas.items():
                if isinstance(schema, dict):
                    yield name, schema, ("components", "schemas", name)

    def schema_roots(self) -> Iterator[tuple[Any, Pointer]]:
        """Every place a schema is written outside another schema."""
        for name, schema, pointer in self.named_schemas():
            del name
            yield schema, pointer

        def from_parameter_or_header(node: Any, pointer: Pointer) -> Iterator[tuple[Any, Pointer]]:
            if isinstance(node, dict):
                if "schema" in node:
                    yield node["schema"], (*pointer, "schema")
                yield from from_content(node, pointer)

        def from_content(node: Any, pointer: Pointer) -> Iterator[tuple[Any, Pointer]]:
            content = node.get("content") if isinstance(node, dict) else None
            if isinstance(content, dict):
                for media_type, media in content.items():
                    if isinstance(media, dict) and "schema" in media:
                        yield media["schema"], (*pointer, "content", media_type, "schema")

        def from_response(node: Any, pointer: Pointer) -> Iterator[tuple[Any, Pointer]]:
            yield from from_content(node, pointer)
            headers = node.get("headers") if isinstance(node, dict) else None
            if isinstance(headers, dict):
                for header_name, header in headers.items():
                    yield from from_parameter_or_header(header, (*pointer, "headers", header_name))

        components = self.root.get("components")
        if isinstance(components, dict):
            for section, visit in (
                ("parameters", from_parameter_or_header),
                ("headers", from_parameter_or_header),
                ("requestBodies", from_content),
                ("responses", from_response),
            ):
                entries = components.get(section)
                if isinstance(entries, dict):
                    for name, entry in entries.items():
                        yield from visit(entry, ("components", section, name))
        paths = self.root.get("paths")
        for path, item in paths.items() if isinstance(paths, dict) else ():
            if not isinstance(item, dict):
                continue
            for index, parameter in enumerate(item.get("parameters") or []):
                yield from from_parameter_or_header(parameter, ("paths", path, "parameters", index))
            for method in HTTP_METHODS:
                operation = item.get(method)
                if not isinstance(operation, dict):
                    continue
                at: Pointer = ("paths", path, method)
                parameters = operation.get("parameters")
                for index, parameter in enumerate(parameters if isinstance(parameters, list) else []):
                    yield from from_parameter_or_header(parameter, (*at, "parameters", index))
                yield from from_content(operation.get("requestBody"), (*at, "requestBody"))
                responses = operation.get("responses")
                if isinstance(responses, dict):
                    for code, response in responses.items():
                        yield from from_response(response, (*at, "responses", code))

    def schemas(self) -> Iterator[tuple[dict[str, Any], Pointer]]:
        """Every schema object written in the document (each once; `$ref`s are not followed)."""
        seen: set[int] = set()
        stack = list(self.schema_roots())
        stack.reverse()
        while stack:
            schema, pointer = stack.pop()
            if not isinstance(schema, dict) or id(schema) in seen:
                continue
            seen.add(id(schema))
            yield schema, pointer
            children: list[tuple[Any, Pointer]] = []
            for keyword in _SUBSCHEMA:
                if isinstance(schema.get(keyword), dict):
                    children.append((schema[keyword], (*pointer, keyword)))
            for keyword in _SUBSCHEMA_LISTS:
                if isinstance(schema.get(keyword), list):
                    children += [(sub, (*pointer, keyword, n)) for n, sub in enumerate(schema[keyword])]
            for keyword in _SUBSCHEMA_MAPS:
                if isinstance(schema.get(keyword), dict):
                    children += [(sub, (*pointer, keyword, name)) for name, sub in schema[keyword].items()]
            stack.extend(reversed(children))

    def properties(self) -> Iterator[Property]:
        for schema, pointer in self.schemas():
            properties = schema.get("properties")
            if isinstance(properties, dict):
                for name, property_schema in properties.items():
                    if isinstance(property_schema, dict):
                        yield Property(name, property_schema, (*pointer, "properties", name), pointer)


def schema_identity(document: Document, schema: Any) -> tuple[set[str], set[str]]:
    """The named schemas (`#/components/schemas/X`) and the `format`s a schema is made of.

    Follows `$ref` chains and the members of allOf/anyOf/oneOf (so a nullable
    `anyOf: [{$ref: JpyAmount}, {type: 'null'}]` counts as JpyAmount), never properties or items.
    """
    names: set[str] = set()
    formats: set[str] = set()
    stack: list[Any] = [schema]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if not isinstance(node, dict) or id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node.get("format"), str):
            formats.add(node["format"])
        name = document.ref_name(node)
        if name is not None:
            names.add(name)
        target = document.ref_pointer(node)
        if target is not None:
            stack.append(document.get(target))
        for keyword in ("allOf", "anyOf", "oneOf"):
            members = node.get(keyword)
            if isinstance(members, list):
                stack.extend(members)
    return names, formats
