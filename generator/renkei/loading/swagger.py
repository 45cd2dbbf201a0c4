"""Swagger 2.0 -> OpenAPI 3.0.3, in place, keeping the source position of every node.

`convert_swagger(document, index)` rewrites a bundled Swagger 2.0 document into the OpenAPI 3.0 document it
describes (the mapping of the OpenAPI 3.0 specification's "Swagger 2.0 compatibility" and of the common
converters): `host`/`basePath`/`schemes` become `servers`; `definitions`, global `parameters`, `responses`
and `securityDefinitions` move under `components`; `body` parameters become `requestBody` (one media type
per `consumes`), `formData` parameters a form or multipart body; parameter `type`/`format`/`items`/bounds move
into `schema` and `collectionFormat` becomes `style`/`explode`; a response's `schema` becomes `content` (one
media type per `produces`), its `examples` the media types' `example`; `x-nullable` becomes `nullable`,
`type: file` a binary string, a string `discriminator` `{propertyName}`; oauth2 flows become `flows`.

Nodes are converted where they are, so keys that survive keep their positions; each key the conversion adds
is located at the Swagger key it came from, so a finding on the converted document names the line of the
Swagger file. Remote converters (swagger2openapi) run on Node and lose positions; this one has no dependency.
"""

from __future__ import annotations

from typing import Any

from renkei.loading.errors import SourceLocation, SpecError
from renkei.loading.locations import Key, LocationIndex

__all__ = ["OPENAPI_VERSION", "convert_swagger", "is_swagger"]

OPENAPI_VERSION = "3.0.3"
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch")
# Keywords of a Swagger parameter (or items / header object) that describe its value: they move to `schema`.
_SCHEMA_KEYS = (
    "type", "format", "items", "default", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum",
    "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "enum", "multipleOf",
)  # fmt: skip
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
_QUERY_STYLES = {
    "csv": ("form", False),
    "ssv": ("spaceDelimited", False),
    "pipes": ("pipeDelimited", False),
    "multi": ("form", True),
    "tsv": ("form", False),  # no OpenAPI 3 equivalent: the nearest (comma-separated)
}
_OAUTH_FLOWS = {
    "implicit": ("implicit", ("authorizationUrl",)),
    "password": ("password", ("tokenUrl",)),
    "application": ("clientCredentials", ("tokenUrl",)),
    "accessCode": ("authorizationCode", ("authorizationUrl", "tokenUrl")),
}
_REF_PREFIXES = (
    ("#/definitions/", "#/components/schemas/"),
    ("#/responses/", "#/components/responses/"),
)


def is_swagger(document: dict[str, Any]) -> bool:
    return "swagger" in document and "openapi" not in document


class _Converter:
    def __init__(self, document: dict[str, Any], index: LocationIndex) -> None:
        self.root = document
        self.index = index
        self.consumes: list[str] = _media_list(document.get("consumes"))
        self.produces: list[str] = _media_list(document.get("produces"))
        components = document.get("components")
        self.bundled: dict[str, Any] = components if isinstance(components, dict) else {}
        # Global parameters (the document's own and those the bundler copied from other files), by ref.
        self.parameters: dict[str, dict[str, Any]] = {}
        for prefix, source in (
            ("#/parameters/", document.get("parameters")),
            ("#/components/parameters/", self.bundled.get("parameters")),
        ):
            if isinstance(source, dict):
                for name, parameter in source.items():
                    if isinstance(parameter, dict):
                        self.parameters[prefix + _escape(name)] = parameter
        self.converted_schemas: set[int] = set()

    # -- positions ------------------------------------------------------------------------------------

    def at(self, container: Any, key: Key, source: Any, source_key: Key | None) -> None:
        """`container[key]` is located where `source[source_key]` is."""
        self.index.alias(container, key, source, source_key)

    def location(self, container: Any, key: Key) -> SourceLocation | None:
        return self.index.get(container, key)

    # -- the document ---------------------------------------------------------------------------------

    def convert(self) -> dict[str, Any]:
        root = self.root
        version = root.get("swagger")
        if str(version) != "2.0":
            raise SpecError(
                "openapi-version",
                f"Swagger {version!r} is not supported: only Swagger 2.0 (converted to OpenAPI"
                f" {OPENAPI_VERSION}) and OpenAPI 3.0/3.1",
                self.location(root, "swagger"),
            )
        old = dict(root)  # the values; positions stay keyed by `root` itself
        root.clear()
        root["openapi"] = OPENAPI_VERSION
        self.at(root, "openapi", root, "swagger")
        for key in ("info",):
            self.keep(root, old, key)
        servers = self.servers(old)
        if servers is not None:
            root["servers"] = servers
            anchor = next((k for k in ("host", "basePath", "schemes") if k in old), "swagger")
            self.at(root, "servers", root, anchor)
        for key in ("tags", "externalDocs", "security"):
            self.keep(root, old, key)
        paths = old.get("paths")
        if isinstance(paths, dict):
            self.paths(paths)
        self.keep(root, old, "paths")
        components = self.components(old)
        if components:
            root["components"] = components
            anchor = next(
                (k for k in ("definitions", "parameters", "responses", "securityDefinitions") if k in old),
                "components",
            )
            self.at(root, "components", root, anchor)
        for key, value in old.items():
            if key.startswith("x-"):
                root[key] = value
        return root

    def keep(self, new: dict[str, Any], old: dict[str, Any], key: str) -> None:
        """`new[key] = old[key]`; when `new` is another container, located where it was."""
        if key in old:
            new[key] = old[key]
            if new is not self.root:
                self.at(new, key, old, key)

    def servers(self, old: dict[str, Any]) -> list[dict[str, Any]] | None:
        host = old.get("host")
        base_path = old.get("basePath")
        base = base_path if isinstance(base_path, str) else ""
        if not isinstance(host, str) or not host:
            return [{"url": base or "/"}] if base else None
        schemes = [s for s in old.get("schemes") or ["https"] if isinstance(s, str)] or ["https"]
        ordered = sorted(schemes, key=lambda s: s != "https")  # the secure scheme first: the default
        return [{"url": f"{scheme}://{host}{base}"} for scheme in ordered]

    def components(self, old: dict[str, Any]) -> dict[str, Any]:
        components: dict[str, Any] = dict(self.bundled)
        for key in list(components):
            self.at(components, key, self.bundled, key)
        definitions = old.get("definitions")
        if isinstance(definitions, dict):
            schemas = components.setdefault("schemas", {})
            for name, schema in definitions.items():
                schemas[name] = schema
                self.at(schemas, name, definitions, name)
            self.at(components, "schemas", self.root, "definitions")
        for schema in (components.get("schemas") or {}).values():
            self.schema(schema)
        parameters: dict[str, Any] = {}
        bodies: dict[str, Any] = {}
        for source in (old.get("parameters"), self.bundled.get("parameters")):
            if not isinstance(source, dict):
                continue
            for name, parameter in source.items():
                if not isinstance(parameter, dict):
                    continue
                where = parameter.get("in")
                if where == "body":
                    bodies[name] = self.request_body([parameter], self.consumes)
                    self.at(bodies, name, source, name)
                elif where != "formData":  # form fields are inlined into each operation's body
                    parameters[name] = self.parameter(parameter)
                    self.at(parameters, name, source, name)
        if parameters:
            components["parameters"] = parameters
            self.at(components, "parameters", self.root, "parameters")
        else:
            components.pop("parameters", None)
        if bodies:
            components["requestBodies"] = bodies
            self.at(components, "requestBodies", self.root, "parameters")
        responses = old.get("responses")
        if isinstance(responses, dict):
            converted = components.setdefault("responses", {})
            for name, response in responses.items():
                converted[name] = response
                self.at(converted, name, responses, name)
            self.at(components, "responses", self.root, "responses")
        for response in (components.get("responses") or {}).values():
            self.response(response, self.produces)
        security = old.get("securityDefinitions")
        if isinstance(security, dict):
            schemes = components.setdefault("securitySchemes", {})
            for name, scheme in security.items():
                schemes[name] = self.security_scheme(scheme)
                self.at(schemes, name, security, name)
            self.at(components, "securitySchemes", self.root, "securityDefinitions")
        return components

    def security_scheme(self, scheme: Any) -> Any:
        if not isinstance(scheme, dict):
            return scheme
        kind = scheme.get("type")
        if kind == "basic":
            scheme["type"] = "http"
            scheme["scheme"] = "basic"
            self.at(scheme, "scheme", scheme, "type")
        elif kind == "oauth2":
            flow = scheme.pop("flow", None)
            name, urls = _OAUTH_FLOWS.get(str(flow), ("authorizationCode", ("authorizationUrl", "tokenUrl")))
            converted: dict[str, Any] = {}
            for url in urls:
                if url in scheme:
                    converted[url] = scheme[url]
                    self.at(converted, url, scheme, url)
            for url in ("authorizationUrl", "tokenUrl"):
                scheme.pop(url, None)
            scopes = scheme.pop("scopes", None)
            converted["scopes"] = scopes if isinstance(scopes, dict) else {}
            self.at(converted, "scopes", scheme, "scopes")
            scheme["flows"] = {name: converted}
            self.at(scheme, "flows", scheme, "flow")
            self.at(scheme["flows"], name, scheme, "flow")
        return scheme

    # -- paths and operations -------------------------------------------------------------------------

    def paths(self, paths: dict[str, Any]) -> None:
        for item in paths.values():
            if not isinstance(item, dict) or "$ref" in item:
                continue
            shared = item.get("parameters")
            shared_list = shared if isinstance(shared, list) else []
            plain, payload = self.split_parameters(shared_list)
            if isinstance(shared, list):
                if plain:
                    item["parameters"] = self.parameter_list(plain, shared)
                    self.at(item, "parameters", item, "parameters")
                else:
                    del item["parameters"]
            for method in _METHODS:
                operation = item.get(method)
                if isinstance(operation, dict):
                    self.operation(operation, payload)

    def split_parameters(
        self, parameters: list[Any]
    ) -> tuple[list[tuple[int, Any]], list[tuple[int, dict[str, Any], Any]]]:
        """(plain parameters with their list positions, body/formData parameters (resolved) with theirs)."""
        plain: list[tuple[int, Any]] = []
        payload: list[tuple[int, dict[str, Any], Any]] = []
        for number, parameter in enumerate(parameters):
            resolved = self.resolve_parameter(parameter)
            if isinstance(resolved, dict) and resolved.get("in") in ("body", "formData"):
                payload.append((number, resolved, parameter))
            else:
                plain.append((number, parameter))
        return plain, payload

    def resolve_parameter(self, parameter: Any) -> Any:
        if isinstance(parameter, dict) and isinstance(parameter.get("$ref"), str):
            return self.parameters.get(parameter["$ref"], parameter)
        return parameter

    def parameter_list(self, items: list[tuple[int, Any]], source: list[Any]) -> list[Any]:
        converted: list[Any] = []
        for number, parameter in items:
            if isinstance(parameter, dict) and isinstance(parameter.get("$ref"), str):
                ref = parameter["$ref"]
                if ref.startswith("#/parameters/"):
                    parameter["$ref"] = "#/components/parameters/" + ref[len("#/parameters/") :]
            else:
                self.parameter(parameter)
            self.at(converted, len(converted), source, number)
            converted.append(parameter)
        return converted

    def operation(
        self, operation: dict[str, Any], shared_payload: list[tuple[int, dict[str, Any], Any]]
    ) -> None:
        consumes = _media_list(operation.pop("consumes", None)) or self.consumes
        produces = _media_list(operation.pop("produces", None)) or self.produces
        operation.pop("schemes", None)
        own = operation.get("parameters")
        own_list = own if isinstance(own, list) else []
        plain, payload = self.split_parameters(own_list)
        names = {(p.get("in"), p.get("name")) for _, p, _ in payload}
        own_body = any(p.get("in") == "body" for _, p, _ in payload)
        inherited = [
            entry
            for entry in shared_payload
            if (entry[1].get("in"), entry[1].get("name")) not in names
            and not (own_body and entry[1].get("in") == "body")  # one body: the operation's own
        ]
        payload = inherited + payload
        if isinstance(own, list):
            if plain:
                operation["parameters"] = self.parameter_list(plain, own)
                self.at(operation, "parameters", operation, "parameters")
            else:
                del operation["parameters"]
        body = [p for _, p, _ in payload if p.get("in") == "body"]
        form = [p for _, p, _ in payload if p.get("in") == "formData"]
        if body:
            [*_, raw] = [r for _, p, r in payload if p.get("in") == "body"]
            if isinstance(raw, dict) and isinstance(raw.get("$ref"), str):
                ref = raw["$ref"]
                name = ref.rsplit("/", 1)[-1]
                operation["requestBody"] = {"$ref": "#/components/requestBodies/" + name}
                self.at(operation["requestBody"], "$ref", raw, "$ref")
            else:
                operation["requestBody"] = self.request_body(body, consumes)
        elif form:
            operation["requestBody"] = self.form_body(form, consumes)
        if "requestBody" in operation and "responses" in operation:  # requestBody before responses
            keys = list(operation)
            for key in keys[keys.index("responses") : keys.index("requestBody")]:
                operation[key] = operation.pop(key)
        if "requestBody" in operation:
            anchor_list = own_list if any(r in own_list for _, _, r in payload) else None
            if anchor_list is not None:
                first = next(n for n, _, r in payload if r in own_list)
                self.at(operation, "requestBody", anchor_list, first)
            else:
                self.at(operation, "requestBody", operation, "parameters")
        responses = operation.get("responses")
        if isinstance(responses, dict):
            for response in responses.values():
                if isinstance(response, dict) and isinstance(response.get("$ref"), str):
                    response["$ref"] = _rewrite_ref(response["$ref"])
                else:
                    self.response(response, produces)

    # -- parameters and bodies ------------------------------------------------------------------------

    def parameter(self, parameter: Any) -> Any:
        """A query/path/header parameter: value keywords into `schema`, `collectionFormat` into style."""
        if not isinstance(parameter, dict) or "schema" in parameter:
            return parameter
        if id(parameter) in self.converted_schemas:
            return parameter
        self.converted_schemas.add(id(parameter))
        where = parameter.get("in")
        schema = self.value_schema(parameter)
        collection = parameter.pop("collectionFormat", None)
        if schema.get("type") == "array":
            style, explode = (
                _QUERY_STYLES.get(str(collection or "csv"), ("form", False))
                if where in ("query", "cookie")
                else ("simple", False)
            )
            parameter["style"] = style
            parameter["explode"] = explode
        if where == "path":
            parameter["required"] = True
        if where != "query":
            parameter.pop("allowEmptyValue", None)
        parameter["schema"] = schema
        self.at(parameter, "schema", parameter, "type")
        return parameter

    def value_schema(self, holder: dict[str, Any]) -> dict[str, Any]:
        """Move the value keywords of a parameter, header or items object into a schema."""
        schema: dict[str, Any] = {}
        for key in _SCHEMA_KEYS:
            if key in holder:
                value = holder.pop(key)
                if key == "items":
                    _items(value)
                schema[key] = value
                self.at(schema, key, holder, key)
        if holder.pop("x-nullable", False) is True:
            schema["nullable"] = True
        if schema.get("type") == "file":
            schema["type"] = "string"
            schema["format"] = "binary"
        return schema

    def request_body(self, bodies: list[dict[str, Any]], consumes: list[str]) -> dict[str, Any]:
        parameter = bodies[-1]
        schema = parameter.get("schema", {})
        self.schema(schema)
        media_types = [m for m in consumes if m not in _FORM_TYPES] or consumes or ["application/json"]
        content: dict[str, Any] = {}
        for media_type in media_types:
            content[media_type] = {"schema": schema}
            self.at(content[media_type], "schema", parameter, "schema")
        body: dict[str, Any] = {}
        if "description" in parameter:
            self.keep(body, parameter, "description")
        body["content"] = content
        self.at(body, "content", parameter, "schema" if "schema" in parameter else "in")
        if parameter.get("required") is True:
            self.keep(body, parameter, "required")
        if isinstance(parameter.get("name"), str):
            body["x-codegen-request-body-name"] = parameter["name"]
        for key, value in parameter.items():
            if key.startswith("x-") and key not in body:
                body[key] = value
                self.at(body, key, parameter, key)
        return body

    def form_body(self, fields: list[dict[str, Any]], consumes: list[str]) -> dict[str, Any]:
        has_file = any(f.get("type") == "file" for f in fields)
        media_types = [m for m in consumes if m in _FORM_TYPES]
        if has_file:
            media_types = ["multipart/form-data"]
        elif not media_types:
            media_types = ["application/x-www-form-urlencoded"]
        properties: dict[str, Any] = {}
        required: list[str] = []
        encoding: dict[str, Any] = {}
        for field in fields:
            name = str(field.get("name"))
            copy = dict(field)
            schema = self.value_schema(copy)
            if "description" in field:
                schema["description"] = field["description"]
            for key in _SCHEMA_KEYS:
                if key in schema:
                    self.at(schema, key, field, key)
            properties[name] = schema
            self.at(properties, name, field, "name")
            if field.get("required") is True:
                required.append(name)
            if schema.get("type") == "array":
                collection = str(field.get("collectionFormat") or "csv")
                style, explode = _QUERY_STYLES.get(collection, ("form", False))
                encoding[name] = {"style": style, "explode": explode}
        form_schema: dict[str, Any] = {"type": "object", "properties": properties}
        if required:
            form_schema["required"] = required
        content: dict[str, Any] = {}
        for media_type in media_types:
            entry: dict[str, Any] = {"schema": form_schema}
            if encoding and media_type == "application/x-www-form-urlencoded":
                entry["encoding"] = encoding
            content[media_type] = entry
        body: dict[str, Any] = {"content": content}
        if required:
            body["required"] = True
        return body

    def response(self, response: Any, produces: list[str]) -> None:
        if not isinstance(response, dict) or "$ref" in response:
            return
        if "description" not in response:
            response["description"] = ""
        schema = response.pop("schema", None)
        examples = response.pop("examples", None)
        headers = response.get("headers")
        if isinstance(headers, dict):
            for header in headers.values():
                if isinstance(header, dict) and "schema" not in header:
                    schema_of_header = self.value_schema(header)
                    header.pop("collectionFormat", None)
                    header["schema"] = schema_of_header
        content: dict[str, Any] = {}
        if schema is not None:
            self.schema(schema)
            media_types = produces or ["application/json"]
            for media_type in media_types:
                content[media_type] = {"schema": schema}
        if isinstance(examples, dict):
            for media_type, example in examples.items():
                entry = content.setdefault(media_type, {"schema": schema} if schema is not None else {})
                entry["example"] = example
        if content:
            response["content"] = content
            self.at(response, "content", response, "schema" if schema is not None else "examples")

    # -- schemas --------------------------------------------------------------------------------------

    def schema(self, schema: Any) -> None:
        """Rewrite a Swagger schema (and every schema inside it) into an OpenAPI 3.0 one, in place."""
        stack = [schema]
        while stack:
            node = stack.pop()
            if not isinstance(node, dict) or id(node) in self.converted_schemas:
                continue
            self.converted_schemas.add(id(node))
            ref = node.get("$ref")
            if isinstance(ref, str):
                node["$ref"] = _rewrite_ref(ref)
                continue
            if node.pop("x-nullable", False) is True:
                node["nullable"] = True
            if node.get("type") == "file":
                node["type"] = "string"
                node["format"] = "binary"
            discriminator = node.get("discriminator")
            if isinstance(discriminator, str):
                node["discriminator"] = {"propertyName": discriminator}
            for key in ("items", "additionalProperties", "not"):
                if isinstance(node.get(key), dict):
                    stack.append(node[key])
            if isinstance(node.get("items"), list):  # tuple items are not OpenAPI 3.0: the first
                stack.extend(node["items"])
            for key in ("allOf", "anyOf", "oneOf"):
                if isinstance(node.get(key), list):
                    stack.extend(node[key])
            properties = node.get("properties")
            if isinstance(properties, dict):
                stack.extend(properties.values())


def _items(items: Any) -> None:
    """A Swagger items object is nearly a schema already: drop its `collectionFormat`s, rewrite refs."""
    while isinstance(items, dict):
        items.pop("collectionFormat", None)
        if items.get("type") == "file":
            items["type"], items["format"] = "string", "binary"
        if isinstance(items.get("$ref"), str):
            items["$ref"] = _rewrite_ref(items["$ref"])
        items = items.get("items")


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


def _rewrite_ref(ref: str) -> str:
    for old, new in _REF_PREFIXES:
        if ref.startswith(old):
            return new + ref[len(old) :]
    return ref


def _media_list(value: Any) -> list[str]:
    return [m for m in value if isinstance(m, str)] if isinstance(value, list) else []


def convert_swagger(document: dict[str, Any], index: LocationIndex) -> dict[str, Any]:
    """Convert the bundled Swagger 2.0 `document` into OpenAPI 3.0.3 (in place; returns it)."""
    return _Converter(document, index).convert()
