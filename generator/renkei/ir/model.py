"""The typed, immutable intermediate representation of an API's operations.

Schemas stay JSON Schema dicts (datamodel-code-generator owns them); `type_hint` fields carry the Python type
expression the renderer chose, relative to the generated package (`models.Account`, `int`, ...).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "Api",
    "Operation",
    "Pagination",
    "Parameter",
    "RequestBody",
    "Response",
    "SecurityRequirement",
    "SecurityScheme",
    "Server",
]

ParameterLocation = Literal["path", "query", "header", "cookie"]


@dataclass(frozen=True)
class Parameter:
    wire_name: str
    location: ParameterLocation
    python_name: str
    required: bool
    type_hint: str
    """The Python type in signatures (`int`, `list[str]`, `models.Status`)."""
    validated_hint: str
    """The same with the schema's constraints (`Annotated[int, Field(ge=1)]`) for server-side validation."""
    default: str | None
    """A Python literal of the schema default, or None."""
    shape: Literal["scalar", "array", "object"]
    style: str
    explode: bool
    object_keys: tuple[str, ...]
    description: str | None


@dataclass(frozen=True)
class RequestBody:
    kind: Literal["json", "form", "multipart", "bytes"]
    media_type: str
    required: bool
    type_hint: str
    """The service's type: the body's model for JSON and for form and multipart objects."""
    description: str | None
    validated: bool = False
    """A form or multipart body that the server validates into `type_hint` (an object schema)."""
    list_fields: tuple[str, ...] = ()
    """Wire names of a form body's array properties (one part each item; a single part is a list too)."""
    json_fields: tuple[str, ...] = ()
    """Wire names of a form body's object properties (a part holding JSON, as OpenAPI's default encoding)."""
    deep_fields: tuple[str, ...] = ()
    """Wire names of a form body's properties with `encoding` style deepObject (`metadata[k]=v`, `a[0]=x`)."""

    @property
    def client_hint(self) -> str:
        """What the client takes: the model, or for a validated form body also a plain mapping."""
        return f"{self.type_hint} | typing.Mapping[str, typing.Any]" if self.validated else self.type_hint


@dataclass(frozen=True)
class Response:
    status_code: int | None
    """None for `default`."""
    kind: Literal["json", "bytes", "empty"]
    media_type: str | None
    type_hint: str
    """`None` for no content, `bytes` for binary content."""
    description: str | None


@dataclass(frozen=True)
class SecurityRequirement:
    """One alternative of `security`: scheme name -> required scopes; empty means anonymous."""

    schemes: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class SecurityScheme:
    name: str
    kind: Literal["bearer", "basic", "apiKey"]
    location: Literal["header", "query", "cookie"]
    param_name: str
    scopes: tuple[str, ...]
    token_url: str | None
    """The token endpoint of an oauth2 scheme (clientCredentials, authorizationCode or password)."""


@dataclass(frozen=True)
class Server:
    url: str
    description: str | None
    variables: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Pagination:
    """Cursor pagination: the response's array property holding the items and its item type."""

    items_field: str
    """Python attribute name of the items array on the response model."""
    item_type: str
    cursor_field: str
    """Python attribute name of `nextCursor`."""


@dataclass(frozen=True)
class Operation:
    operation_id: str
    python_name: str
    method: str
    path: str
    route_path: str
    """The path with Python-safe placeholder names (what the router matches)."""
    summary: str | None
    description: str | None
    deprecated: bool
    parameters: tuple[Parameter, ...]
    request_body: RequestBody | None
    responses: tuple[Response, ...]
    success: Response
    security: tuple[SecurityRequirement, ...]
    idempotency_header: str | None
    pagination: Pagination | None
    interaction_id_is_uuid: bool = False
    """The operation declares `x-fapi-interaction-id` with `format: uuid`: other values get a 400."""

    @property
    def successes(self) -> tuple[Response, ...]:
        """Every declared 2xx response, the first (`success`) first."""
        found = tuple(r for r in self.responses if r.status_code is not None and 200 <= r.status_code < 300)
        return found or (self.success,)

    @property
    def other_successes(self) -> tuple[Response, ...]:
        """2xx responses after the first whose body decodes differently (the client dispatches on status)."""
        first = self.success
        return tuple(r for r in self.successes[1:] if (r.kind, r.type_hint) != (first.kind, first.type_hint))

    @property
    def return_type(self) -> str:
        """The union of the 2xx body types (`models.Pet | models.Job`)."""
        hints = [self.success.type_hint] + [r.type_hint for r in self.other_successes]
        unique = list(dict.fromkeys(hints))
        if "None" in unique and len(unique) > 1:
            unique = [h for h in unique if h != "None"] + ["None"]
        return " | ".join(unique)

    @property
    def params_class(self) -> str:
        return "_" + "".join(part.capitalize() for part in self.python_name.split("_")) + "Params"


@dataclass(frozen=True)
class Api:
    package: str
    class_prefix: str
    """CamelCase of the package name (`BankInquiry`)."""
    title: str
    version: str
    description: str | None
    servers: tuple[Server, ...]
    security_schemes: tuple[SecurityScheme, ...]
    operations: tuple[Operation, ...]

    @property
    def default_base_url(self) -> str:
        """`servers[0]` with its variables at their defaults; relative URLs are placed on localhost."""
        if not self.servers:
            return "http://127.0.0.1:8000"
        url = self.servers[0].url
        for name, default in self.servers[0].variables:
            url = url.replace("{" + name + "}", default)
        return "http://127.0.0.1:8000" + url if url.startswith("/") else url.rstrip("/")

    @property
    def base_path(self) -> str:
        """The path of `servers[0]` (`/v2`): where `create_app` mounts the router."""
        from urllib.parse import urlsplit

        return urlsplit(self.default_base_url).path.rstrip("/")
