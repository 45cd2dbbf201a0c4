"""`--lenient`: repair the structural errors of upstream specs that have one obvious repair, as warnings.

Public specs that nobody here can edit often carry small flaws that openapi-spec-validator rightly refuses.
`repair(spec)` applies, in place, the repair each of these has, and returns one located warning per repair:

- a repeated `enum` value: the repetition is dropped;
- `const` in an OpenAPI 3.0 schema (a 3.1 keyword): becomes a one-value `enum`; `examples` (a list) in a 3.0
  schema becomes `example`;
- an unknown fixed field (not `x-...`) of an OpenAPI object (`title` on an operation, ...), or an unknown
  keyword of a 3.0 schema: dropped;
- a `default` of the wrong type (`default: 1` on a string): converted when the conversion is exact
  (`1` -> `"1"`, `"10"` -> `10`, `"true"` -> `true`), else dropped;
- a `null` description or summary: dropped.

Everything else stays an error. Without `--lenient` nothing here runs and behaviour stays strict.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from renkei.loading.errors import SourceLocation
from renkei.loading.spec import LoadedSpec
from renkei.loading.text import Text

__all__ = ["Repair", "repair"]

Pointer = tuple[str | int, ...]

_EXTENSIBLE = ("x-",)
_FIELDS: dict[str, frozenset[str]] = {
    "openapi": frozenset(
        {"openapi", "info", "jsonSchemaDialect", "servers", "paths", "webhooks", "components", "security",
         "tags", "externalDocs"}
    ),
    "info": frozenset({"title", "summary", "description", "termsOfService", "contact", "license", "version"}),
    "pathItem": frozenset(
        {"$ref", "summary", "description", "get", "put", "post", "delete", "options", "head", "patch",
         "trace", "servers", "parameters"}
    ),
    "operation": frozenset(
        {"tags", "summary", "description", "externalDocs", "operationId", "parameters", "requestBody",
         "responses", "callbacks", "deprecated", "security", "servers"}
    ),
    "parameter": frozenset(
        {"name", "in", "description", "required", "deprecated", "allowEmptyValue", "style", "explode",
         "allowReserved", "schema", "example", "examples", "content", "$ref"}
    ),
    "header": frozenset(
        {"description", "required", "deprecated", "allowEmptyValue", "style", "explode", "allowReserved",
         "schema", "example", "examples", "content", "$ref"}
    ),
    "requestBody": frozenset({"description", "content", "required", "$ref"}),
    "mediaType": frozenset({"schema", "example", "examples", "encoding"}),
    "response": frozenset({"description", "headers", "content", "links", "$ref"}),
    "tag": frozenset({"name", "description", "externalDocs"}),
    "server": frozenset({"url", "description", "variables"}),
}  # fmt: skip
_SCHEMA_30 = frozenset(
    {"title", "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength",
     "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "maxProperties", "minProperties",
     "required", "enum", "type", "allOf", "oneOf", "anyOf", "not", "items", "properties",
     "additionalProperties", "description", "format", "default", "nullable", "discriminator", "readOnly",
     "writeOnly", "xml", "externalDocs", "example", "deprecated", "$ref"}
)  # fmt: skip
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_TEXT_FIELDS = ("description", "summary")


@dataclass(frozen=True)
class Repair:
    """One repair `--lenient` applied: where, what was wrong and what was done."""

    location: SourceLocation | None
    message: str
    ja: str = ""
    """The message in Japanese (`--lang ja`); without the location suffix's `[lenient]`."""

    @property
    def text(self) -> Text:
        """Both languages, without the `[lenient]` suffix (the `lenient-repair` rule id says it)."""
        english = self.message.removesuffix(" [lenient]")
        return Text(english, self.ja or english)

    def __str__(self) -> str:
        return f"{self.location}: warning: {self.message}" if self.location else f"warning: {self.message}"


def _fragment(pointer: Pointer) -> str:
    return "#/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in pointer)


class _Repairer:
    def __init__(self, spec: LoadedSpec) -> None:
        self.spec = spec
        self.document = spec.document
        self.is_30 = str(self.document.get("openapi", "")).startswith("3.0")
        self.repairs: list[Repair] = []
        self.seen: set[int] = set()

    def note(self, pointer: Pointer, message: str, ja: str) -> None:
        at = _fragment(pointer)
        self.repairs.append(
            Repair(self.spec.locate(pointer), f"{message} (at {at}) [lenient]", f"{ja} (場所 {at})")
        )

    def run(self) -> list[Repair]:
        document = self.document
        self.fields(document, (), "openapi")
        info = document.get("info")
        if isinstance(info, dict):
            self.fields(info, ("info",), "info")
        for number, server in enumerate(_list(document.get("servers"))):
            self.fields(server, ("servers", number), "server")
        for number, tag in enumerate(_list(document.get("tags"))):
            self.fields(tag, ("tags", number), "tag")
        for path, item in _dict(document.get("paths")).items():
            self.path_item(item, ("paths", path))
        components = _dict(document.get("components"))
        for name, schema in _dict(components.get("schemas")).items():
            self.schema(schema, ("components", "schemas", name))
        for name, parameter in _dict(components.get("parameters")).items():
            self.parameter(parameter, ("components", "parameters", name), "parameter")
        for name, header in _dict(components.get("headers")).items():
            self.parameter(header, ("components", "headers", name), "header")
        for name, body in _dict(components.get("requestBodies")).items():
            self.request_body(body, ("components", "requestBodies", name))
        for name, response in _dict(components.get("responses")).items():
            self.response(response, ("components", "responses", name))
        return self.repairs

    # -- objects --------------------------------------------------------------------------------------

    def fields(self, node: Any, pointer: Pointer, kind: str) -> None:
        """Drop unknown fixed fields and null texts of an OpenAPI object."""
        if not isinstance(node, dict):
            return
        for key in list(node):
            if key in _TEXT_FIELDS and node[key] is None:
                self.note((*pointer, key), f"`{key}: null` dropped", f"`{key}: null` を削除しました")
                del node[key]
            elif key not in _FIELDS[kind] and not key.startswith(_EXTENSIBLE):
                self.note(
                    (*pointer, key),
                    f"unknown field `{key}` of {_article(kind)} dropped",
                    f"{_ARTICLE_JA.get(kind, kind)}の未知の項目 `{key}` を削除しました",
                )
                del node[key]

    def path_item(self, item: Any, pointer: Pointer) -> None:
        if not isinstance(item, dict):
            return
        self.fields(item, pointer, "pathItem")
        for number, parameter in enumerate(_list(item.get("parameters"))):
            self.parameter(parameter, (*pointer, "parameters", number), "parameter")
        for method in _METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict):
                continue
            here = (*pointer, method)
            self.fields(operation, here, "operation")
            for number, parameter in enumerate(_list(operation.get("parameters"))):
                self.parameter(parameter, (*here, "parameters", number), "parameter")
            self.request_body(operation.get("requestBody"), (*here, "requestBody"))
            for status, response in _dict(operation.get("responses")).items():
                self.response(response, (*here, "responses", status))

    def parameter(self, parameter: Any, pointer: Pointer, kind: str) -> None:
        if not isinstance(parameter, dict) or "$ref" in parameter:
            return
        self.fields(parameter, pointer, kind)
        if "schema" in parameter:
            self.schema(parameter["schema"], (*pointer, "schema"))
        self.content(parameter.get("content"), (*pointer, "content"))

    def request_body(self, body: Any, pointer: Pointer) -> None:
        if not isinstance(body, dict) or "$ref" in body:
            return
        self.fields(body, pointer, "requestBody")
        self.content(body.get("content"), (*pointer, "content"))

    def response(self, response: Any, pointer: Pointer) -> None:
        if not isinstance(response, dict) or "$ref" in response:
            return
        self.fields(response, pointer, "response")
        if response.get("description") is None and "description" not in response:
            response["description"] = ""
            self.note(
                pointer,
                "missing response `description` set to an empty one",
                "応答に `description` がないため空の説明を補いました",
            )
        for name, header in _dict(response.get("headers")).items():
            self.parameter(header, (*pointer, "headers", name), "header")
        self.content(response.get("content"), (*pointer, "content"))

    def content(self, content: Any, pointer: Pointer) -> None:
        for media_type, entry in _dict(content).items():
            if isinstance(entry, dict):
                self.fields(entry, (*pointer, media_type), "mediaType")
                if "schema" in entry:
                    self.schema(entry["schema"], (*pointer, media_type, "schema"))

    # -- schemas --------------------------------------------------------------------------------------

    def schema(self, schema: Any, pointer: Pointer) -> None:
        for node, here in _schemas(schema, pointer):
            if id(node) in self.seen or "$ref" in node:
                continue
            self.seen.add(id(node))
            self.schema_node(node, here)

    def schema_node(self, node: dict[str, Any], pointer: Pointer) -> None:
        for key in _TEXT_FIELDS:
            if key in node and node[key] is None:
                self.note((*pointer, key), f"`{key}: null` dropped", f"`{key}: null` を削除しました")
                del node[key]
        if self.is_30 and "const" in node:
            value = node["const"]
            self.note(
                (*pointer, "const"),
                f"`const: {_short(value)}` (OpenAPI 3.1) became `enum: [{_short(value)}]`",
                f"`const: {_short(value)}` (OpenAPI 3.1) を `enum: [{_short(value)}]` にしました",
            )
            del node["const"]
            if "enum" not in node:
                node["enum"] = [value]
        if self.is_30 and isinstance(node.get("examples"), list):
            self.note(
                (*pointer, "examples"),
                "`examples` (OpenAPI 3.1) became `example` (its first item)",
                "`examples` (OpenAPI 3.1) を `example` (その最初の値) にしました",
            )
            examples = node.pop("examples")
            if examples and "example" not in node:
                node["example"] = examples[0]
        if self.is_30:
            for key in list(node):
                if key not in _SCHEMA_30 and not key.startswith(_EXTENSIBLE):
                    self.note(
                        (*pointer, key),
                        f"unknown schema keyword `{key}` (OpenAPI 3.0) dropped",
                        f"スキーマの未知のキーワード `{key}` (OpenAPI 3.0) を削除しました",
                    )
                    del node[key]
        enum = node.get("enum")
        if isinstance(enum, list):
            unique: list[Any] = []
            keys: set[str] = set()
            for value in enum:
                key = json.dumps(value, sort_keys=True)
                if key in keys:
                    self.note(
                        (*pointer, "enum"),
                        f"repeated enum value {_short(value)} dropped",
                        f"enum で重複した値 {_short(value)} を削除しました",
                    )
                    continue
                keys.add(key)
                unique.append(value)
            enum[:] = unique
        if "default" in node:
            self.default(node, pointer)

    def default(self, node: dict[str, Any], pointer: Pointer) -> None:
        kind = node.get("type")
        kinds = [k for k in kind if k != "null"] if isinstance(kind, list) else [kind] if kind else []
        value = node["default"]
        if len(kinds) != 1 or value is None or _fits(value, kinds[0]):
            return
        converted = _convert(value, kinds[0])
        where = (*pointer, "default")
        if converted is _NOTHING:
            self.note(
                where,
                f"`default: {_short(value)}` is not {_an(kinds[0])}: dropped",
                f"`default: {_short(value)}` は {kinds[0]} ではないため削除しました",
            )
            del node["default"]
        else:
            self.note(
                where,
                f"`default: {_short(value)}` is not {_an(kinds[0])}: became {_short(converted)}",
                f"`default: {_short(value)}` は {kinds[0]} ではないため {_short(converted)} にしました",
            )
            node["default"] = converted


_NOTHING = object()


def _fits(value: Any, kind: str) -> bool:
    if kind == "string":
        return isinstance(value, str)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "array":
        return isinstance(value, list)
    if kind == "object":
        return isinstance(value, dict)
    return True


def _convert(value: Any, kind: str) -> Any:
    """`value` as a `kind` when the conversion loses nothing, else _NOTHING."""
    if kind == "string" and isinstance(value, bool):
        return "true" if value else "false"
    if kind == "string" and isinstance(value, int | float):
        return json.dumps(value)
    if kind == "integer" and isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    if kind == "integer" and isinstance(value, float) and value.is_integer():
        return int(value)
    if kind == "number" and isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return _NOTHING
        return int(number) if number.is_integer() and "." not in value else number
    if kind == "boolean" and value in ("true", "false"):
        return value == "true"
    if kind == "array" and not isinstance(value, list | dict):
        return [value]
    return _NOTHING


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "..."


def _an(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


_ARTICLE_JA = {"openapi": "文書", "pathItem": "パス", "mediaType": "メディアタイプ",
               "requestBody": "リクエスト本文", "info": "info", "operation": "操作",
               "parameter": "パラメータ", "header": "ヘッダー", "response": "応答", "tag": "タグ",
               "server": "サーバー"}  # fmt: skip


def _article(kind: str) -> str:
    names = {"openapi": "the document", "pathItem": "a path item", "mediaType": "a media type",
             "requestBody": "a request body", "info": "info", "operation": "an operation"}  # fmt: skip
    return names.get(kind, f"a {kind}")


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _schemas(schema: Any, pointer: Pointer) -> Iterator[tuple[dict[str, Any], Pointer]]:
    """`schema` and every schema inside it (properties, items, compositions, ...), with their pointers."""
    stack = [(schema, pointer)]
    while stack:
        node, here = stack.pop()
        if not isinstance(node, dict):
            continue
        yield node, here
        for key in (
            "items",
            "additionalProperties",
            "not",
            "contains",
            "propertyNames",
            "if",
            "then",
            "else",
        ):
            if isinstance(node.get(key), dict):
                stack.append((node[key], (*here, key)))
        for key in ("allOf", "anyOf", "oneOf", "prefixItems"):
            for number, part in enumerate(_list(node.get(key))):
                stack.append((part, (*here, key, number)))
        for key in ("properties", "patternProperties", "$defs", "dependentSchemas"):
            for name, part in _dict(node.get(key)).items():
                stack.append((part, (*here, key, name)))


def repair(spec: LoadedSpec) -> list[Repair]:
    """Apply the repairs described in the module docstring to `spec.document` (in place)."""
    return _Repairer(spec).run()
