"""The IR of a prepared document (schemas already named and turned into model classes)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, Literal, cast

from renkei.ir.hinting import TypeHinter as TypeHints
from renkei.ir.media import pick_media_type
from renkei.ir.model import (
    Api,
    Operation,
    Pagination,
    Parameter,
    RequestBody,
    Response,
    SecurityRequirement,
    SecurityScheme,
    Server,
)
from renkei.ir.naming import class_name, snake_case, unique
from renkei.ir.operations import RawOperation, iter_operations
from renkei.loading.walk import deref

__all__ = ["build_api"]

_IMPLICIT_HEADERS = {"authorization", "x-fapi-interaction-id", "accept", "content-type"}


def _shape(schema: Any) -> Literal["scalar", "array", "object"]:
    kind = schema.get("type") if isinstance(schema, dict) else None
    kinds = kind if isinstance(kind, list) else [kind]
    if "array" in kinds:
        return "array"
    if "object" in kinds or (isinstance(schema, dict) and "properties" in schema):
        return "object"
    return "scalar"


def _default_literal(schema: Any) -> str | None:
    if not isinstance(schema, dict) or "default" not in schema:
        return None
    value = schema["default"]
    if isinstance(value, bool | int | float | str) or value is None:
        return repr(value)
    return None


def _declares_uuid_interaction_id(raw: RawOperation, hints: TypeHints) -> bool:
    for node in raw.parameters:
        if node.get("in") == "header" and str(node.get("name", "")).lower() == "x-fapi-interaction-id":
            schema = hints.resolve(node.get("schema", {}))
            return isinstance(schema, dict) and schema.get("format") == "uuid"
    return False


def _parameters(raw: RawOperation, document: Mapping[str, Any], hints: TypeHints) -> tuple[Parameter, ...]:
    taken = {"ctx", "body", "self"}
    result = []
    for node in raw.parameters:
        location = str(node["in"])
        wire = str(node["name"])
        if location not in ("path", "query", "header", "cookie"):
            continue
        if location == "header" and wire.lower() in _IMPLICIT_HEADERS:
            continue
        schema = hints.resolve(node.get("schema", {}))
        if not isinstance(schema, dict) and "content" in node:
            schema = {}
        name = snake_case(wire, fallback="param")
        if name in taken:
            name = snake_case(f"{wire}_{location}", fallback="param")
        name = unique(name, taken)
        shape = _shape(schema)
        style = str(node.get("style") or ("form" if location in ("query", "cookie") else "simple"))
        keys = tuple(schema.get("properties", {})) if shape == "object" else ()
        required = bool(node.get("required")) or location == "path"
        default = None if required else _default_literal(schema)
        result.append(
            Parameter(
                wire_name=wire,
                location=cast(Literal["path", "query", "header", "cookie"], location),
                python_name=name,
                required=required,
                type_hint=hints.hint(node.get("schema", {}), "request"),
                validated_hint=hints.hint(node.get("schema", {}), "request", constrained=True),
                default=default,
                shape=shape,
                style=style,
                explode=bool(node.get("explode", style == "form")),
                object_keys=keys,
                description=node.get("description"),
            )
        )
    required_first = sorted(result, key=lambda p: not p.required)
    return tuple(required_first)


def _request_body(raw: RawOperation, document: Mapping[str, Any], hints: TypeHints) -> RequestBody | None:
    body = deref(document, raw.node.get("requestBody"))
    if not isinstance(body, dict):
        return None
    picked = pick_media_type(body.get("content"))
    if picked is None:
        return None
    media_type, kind, media = picked
    if kind == "json":
        type_hint = hints.hint(media.get("schema", {}), "request")
    elif kind in ("multipart", "form"):
        return _form_body(kind, media_type, body, media, document, hints)
    else:
        type_hint = "bytes"
    return RequestBody(
        kind=kind,
        media_type=media_type,
        required=bool(body.get("required")),
        type_hint=type_hint,
        description=body.get("description"),
    )


def _form_body(
    kind: Literal["form", "multipart"],
    media_type: str,
    body: Mapping[str, Any],
    media: Mapping[str, Any],
    document: Mapping[str, Any],
    hints: TypeHints,
) -> RequestBody:
    """A form or multipart body: validated into its model when its schema is an object with properties."""
    schema = media.get("schema", {})
    resolved = deref(document, schema)
    properties = resolved.get("properties") if isinstance(resolved, dict) else None
    plain = RequestBody(
        kind=kind,
        media_type=media_type,
        required=bool(body.get("required")),
        type_hint="dict[str, typing.Any]",
        description=body.get("description"),
    )
    if not isinstance(properties, dict) or not properties:
        return plain
    declared_encoding = media.get("encoding")
    encoding: Mapping[str, Any] = declared_encoding if isinstance(declared_encoding, dict) else {}
    deep = [
        str(wire)
        for wire in properties
        if isinstance(encoding.get(wire), dict) and encoding[wire].get("style") == "deepObject"
    ]
    lists, objects = [], []
    for wire, prop in properties.items():
        if wire in deep:
            continue
        prop = deref(document, prop)
        declared = prop.get("type") if isinstance(prop, dict) else None
        kinds = set(declared) if isinstance(declared, list) else {declared}
        if "array" in kinds:
            lists.append(str(wire))
        elif "object" in kinds or (isinstance(prop, dict) and ("properties" in prop or "allOf" in prop)):
            objects.append(str(wire))
        elif isinstance(prop, dict) and _may_be_object(document, prop):  # anyOf [object, enum [""]]
            objects.append(str(wire))
    return dataclasses.replace(
        plain,
        type_hint=hints.hint(schema, "request"),
        validated=True,
        list_fields=tuple(lists),
        json_fields=tuple(objects),
        deep_fields=tuple(deep),
    )


def _may_be_object(document: Mapping[str, Any], schema: Mapping[str, Any]) -> bool:
    """A union (`anyOf`/`oneOf`) with an object member: its form part holds JSON when it is an object."""
    for member in schema.get("anyOf") or schema.get("oneOf") or []:
        member = deref(document, member)
        if isinstance(member, dict) and (member.get("type") == "object" or "properties" in member):
            return True
    return False


def _status(code: str) -> int | None:
    if code == "default":
        return None
    if code[:1].isdigit() and code[1:].upper() == "XX":
        return int(code[0]) * 100
    return int(code) if code.isdigit() else None


def _responses(raw: RawOperation, document: Mapping[str, Any], hints: TypeHints) -> tuple[Response, ...]:
    result = []
    for code, node in (raw.node.get("responses") or {}).items():
        response = deref(document, node)
        if not isinstance(response, dict):
            continue
        picked = pick_media_type(response.get("content"))
        if picked is None:
            kind: Literal["json", "bytes", "empty"] = "empty"
            media_type, type_hint = None, "None"
        elif picked[1] == "json":
            kind, media_type = "json", picked[0]
            type_hint = hints.hint(picked[2].get("schema", {}), "response")
        else:
            kind, media_type, type_hint = "bytes", picked[0], "bytes"
        result.append(Response(_status(str(code)), kind, media_type, type_hint, response.get("description")))
    return tuple(sorted(result, key=lambda r: (r.status_code is None, r.status_code or 0)))


def _security(node: Any) -> tuple[SecurityRequirement, ...]:
    if not isinstance(node, list):
        return ()
    return tuple(
        SecurityRequirement(tuple((str(k), tuple(str(s) for s in v or ())) for k, v in item.items()))
        for item in node
        if isinstance(item, dict)
    )


def _security_schemes(document: Mapping[str, Any]) -> tuple[SecurityScheme, ...]:
    schemes = []
    raw_schemes = (document.get("components") or {}).get("securitySchemes") or {}
    for name, node in raw_schemes.items():
        node = deref(document, node)
        kind = node.get("type")
        scopes: list[str] = []
        token_url = None
        for flow_name, flow in (node.get("flows") or {}).items():
            scopes.extend(s for s in flow.get("scopes") or {} if s not in scopes)
            if flow_name != "implicit" and token_url is None:
                token_url = flow.get("tokenUrl")
        if kind == "apiKey":
            location = node.get("in", "header")
            schemes.append(SecurityScheme(name, "apiKey", location, str(node.get("name", "")), (), None))
        elif kind == "http" and str(node.get("scheme", "")).lower() == "basic":
            schemes.append(SecurityScheme(name, "basic", "header", "Authorization", (), None))
        else:
            schemes.append(
                SecurityScheme(name, "bearer", "header", "Authorization", tuple(scopes), token_url)
            )
    return tuple(schemes)


def _pagination(
    parameters: tuple[Parameter, ...], success: Response, fields: Mapping[str, Mapping[str, str]]
) -> Pagination | None:
    if not any(p.location == "query" and p.wire_name == "cursor" for p in parameters):
        return None
    model = success.type_hint.removeprefix("models.")
    if not success.type_hint.startswith("models.") or model not in fields:
        return None
    model_fields = fields[model]
    if "nextCursor" not in model_fields:
        return None
    arrays = [
        (alias, hint)
        for alias, hint in model_fields.items()
        if not alias.startswith("name:") and hint.startswith("list[")
    ]
    if len(arrays) != 1:
        return None
    alias, hint = arrays[0]
    item = hint.removeprefix("list[").removesuffix("]").removesuffix(" | None")
    return Pagination(
        items_field=model_fields.get(f"name:{alias}", alias),
        item_type=item,
        cursor_field=model_fields.get("name:nextCursor", "next_cursor"),
    )


def _idempotency_header(parameters: tuple[Parameter, ...]) -> str | None:
    for parameter in parameters:
        if parameter.location == "header" and parameter.wire_name.lower() == "idempotency-key":
            return parameter.wire_name
    return None


def _route_path(path: str, parameters: tuple[Parameter, ...]) -> str:
    for parameter in parameters:
        if parameter.location == "path":
            path = path.replace("{" + parameter.wire_name + "}", "{" + parameter.python_name + "}")
    return path


def build_api(
    document: Mapping[str, Any], package: str, hints: TypeHints, fields: Mapping[str, Mapping[str, str]]
) -> Api:
    """`fields`: model class -> {wire alias: Python type of the field, "name:<alias>": attribute name}."""
    root_security = _security(document.get("security"))
    operations = []
    for raw in iter_operations(document):
        parameters = _parameters(raw, document, hints)
        responses = _responses(raw, document, hints)
        successes = [r for r in responses if r.status_code is not None and 200 <= r.status_code < 300]
        success = successes[0] if successes else Response(200, "empty", None, "None", None)
        node = raw.node
        security = _security(node["security"]) if "security" in node else root_security
        operations.append(
            Operation(
                operation_id=raw.operation_id,
                python_name=raw.python_name,
                method=raw.method,
                path=raw.path,
                route_path=_route_path(raw.path, parameters),
                summary=node.get("summary"),
                description=node.get("description"),
                deprecated=bool(node.get("deprecated")),
                parameters=parameters,
                request_body=_request_body(raw, document, hints),
                responses=responses,
                success=success,
                security=security,
                idempotency_header=_idempotency_header(parameters),
                pagination=_pagination(parameters, success, fields),
                interaction_id_is_uuid=_declares_uuid_interaction_id(raw, hints),
            )
        )
    info = document.get("info") or {}
    servers = tuple(
        Server(
            str(s.get("url", "/")),
            s.get("description"),
            tuple((str(k), str(v.get("default", ""))) for k, v in (s.get("variables") or {}).items()),
        )
        for s in document.get("servers") or ()
        if isinstance(s, dict)
    )
    return Api(
        package=package,
        class_prefix=class_name(package, fallback="Api"),
        title=str(info.get("title", package)),
        version=str(info.get("version", "")),
        description=info.get("description"),
        servers=servers,
        security_schemes=_security_schemes(document),
        operations=tuple(operations),
    )
