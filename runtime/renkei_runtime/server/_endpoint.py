"""One lean Starlette endpoint per operation: interaction id, auth, validation, call, serialisation.

Generated `server.py` files describe each operation with an `Operation` and hand `bind()` a small call
adapter; no FastAPI dependency injection runs per request.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import unquote

from pydantic import BaseModel, TypeAdapter, ValidationError
from starlette.datastructures import UploadFile as StarletteUploadFile
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.types import Receive, Scope, Send

from renkei_runtime.server._context import RequestContext, TokenVerifier
from renkei_runtime.server._interaction import interaction_id_from, is_uuid, new_interaction_id
from renkei_runtime.server._limits import (
    DEFAULT_MAX_BODY_SIZE,
    check_declared_size,
    check_media_type,
    limited_receive,
)
from renkei_runtime.server._problems import ApiProblem, ErrorBody, Reply, problem_response
from renkei_runtime.server._response import RawResponse, with_charset
from renkei_runtime.server._security import RawHeaders, Requirement, SecurityScheme, authorize
from renkei_runtime.server._validation import invalid_request
from renkei_runtime.types import UploadedFile

__all__ = ["Body", "Endpoint", "Operation", "Output", "Param", "bind"]

logger = logging.getLogger("renkei.server")


@dataclass(frozen=True, slots=True)
class Param:
    """A parameter: its wire name, location and the params-model field it fills."""

    wire: str
    location: Literal["path", "query", "header", "cookie"]
    name: str
    shape: Literal["scalar", "array", "object"] = "scalar"
    style: str = "form"
    explode: bool = True
    keys: tuple[str, ...] = ()
    """Property names of an exploded form-style object parameter."""


@dataclass(frozen=True, slots=True)
class Body:
    kind: Literal["json", "form", "multipart", "bytes"]
    required: bool
    adapter: TypeAdapter[Any] | None = None
    """Validates the body into the service's type (JSON, and form or multipart objects)."""
    lists: tuple[str, ...] = ()
    """Form fields that are arrays: every part of that name is an item, a single one too."""
    json_fields: tuple[str, ...] = ()
    """Form fields that are objects: the part holds JSON."""
    deep_fields: tuple[str, ...] = ()
    """Form fields in the deepObject style: `name[key]=v`, `name[0]=v`, nested."""


@dataclass(frozen=True, slots=True)
class Output:
    kind: Literal["json", "bytes", "empty"]
    media_type: str | None = None
    adapter: TypeAdapter[Any] | None = None
    content_type: bytes = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "content_type", with_charset(self.media_type or "application/json"))


@dataclass(frozen=True, slots=True)
class Operation:
    name: str
    params: tuple[Param, ...]
    params_model: type[BaseModel] | None
    body: Body | None
    security: tuple[Requirement, ...]
    status_code: int
    outputs: Mapping[int, Output]
    labels: Mapping[str, str] = field(default_factory=dict)
    interaction_id_is_uuid: bool = False
    """The spec declares `x-fapi-interaction-id` as `format: uuid`: another value is a 400."""


_SEPARATORS = {"form": ",", "simple": ",", "spaceDelimited": " ", "pipeDelimited": "|"}


def _split(value: str, style: str) -> list[str]:
    return value.split(_SEPARATORS.get(style, ",")) if value else []


def _query_value(request: Request, param: Param) -> Any:
    query = request.query_params
    if param.shape == "array":
        if param.explode and param.style == "form":
            values = query.getlist(param.wire)
            return values or None
        raw = query.get(param.wire)
        return None if raw is None else _split(raw, param.style)
    if param.shape == "object":
        if param.style == "deepObject":
            start = param.wire + "["
            found = {
                k[len(start) : -1]: v for k, v in query.multi_items() if k.startswith(start) and k[-1] == "]"
            }
            return found or None
        if param.explode:
            found = {k: query[k] for k in param.keys if k in query}
            return found or None
        raw = query.get(param.wire)
        if raw is None:
            return None
        items = raw.split(",")
        return dict(zip(items[::2], items[1::2], strict=False))
    return query.get(param.wire)


def _collect(request: Request, headers: RawHeaders, params: tuple[Param, ...]) -> dict[str, Any]:
    raw: dict[str, Any] = {}
    path_params = request.scope.get("path_params", {})
    for param in params:
        value: Any
        if param.location == "path":
            value = path_params.get(param.name)
        elif param.location == "query":
            value = _query_value(request, param)
        elif param.location == "header":
            found = headers.get(param.wire.lower().encode("latin-1"))
            value = None if found is None else found.decode("latin-1")
            if value is not None and param.shape == "array":
                value = [v.strip() for v in value.split(",")]
        else:  # style form: percent-encoded (RFC 6570), as the generated client sends non-ASCII values
            value = request.cookies.get(param.wire)
            if value is not None and "%" in value:
                value = unquote(value)
        if value is not None:
            raw[param.name] = value
    return raw


def _set_deep(data: dict[str, Any], key: str, value: Any) -> None:
    """`name[a][0]=v` into `data["name"]["a"]["0"]` (all-index mappings become lists later)."""
    head, _, rest = key.partition("[")
    names = [head, *rest.rstrip("]").split("][")]
    node = data
    for name in names[:-1]:
        child = node.get(name)
        if not isinstance(child, dict):
            child = node[name] = {}
        node = child
    node[names[-1]] = value


def _lists(value: Any) -> Any:
    """Mappings keyed `0`, `1`, ... (deepObject arrays) as lists, in index order; recursively."""
    if not isinstance(value, dict):
        return value
    items = {key: _lists(item) for key, item in value.items()}
    if items and all(key.isdigit() for key in items):
        return [items[key] for key in sorted(items, key=int)]
    return items


async def _form_fields(request: Request, body: Body) -> dict[str, Any]:
    """The form's fields as plain data: files as `UploadedFile`, arrays as lists, objects decoded."""
    try:
        form = await request.form()
    except (MultiPartException, ValueError, KeyError) as error:
        raise ApiProblem(400, "invalid_request", f"フォーム本文を読み取れません: {error}") from None
    data: dict[str, Any] = {}
    for key, part in form.multi_items():
        value: Any = part
        if body.deep_fields and "[" in key and key.split("[", 1)[0] in body.deep_fields:
            _set_deep(data, key, part)
            continue
        if isinstance(part, StarletteUploadFile):
            value = UploadedFile(await part.read(), part.filename, part.content_type)
        elif key in body.json_fields and part[:1] in ("{", "["):
            # an object's part holds JSON; other text is a union's other member (`anyOf: [object, ""]`)
            try:
                value = json.loads(part)
            except ValueError:
                message = f"フォーム項目 {key!r} は JSON で指定してください。"
                raise ApiProblem(400, "invalid_request", message) from None
        if key in body.lists:
            data.setdefault(key, []).append(value)
        elif key in data:
            existing = data[key]
            data[key] = [*existing, value] if isinstance(existing, list) else [existing, value]
        else:
            data[key] = value
    for key in body.deep_fields:
        if key in data:
            data[key] = _lists(data[key])
    return data


async def _read_body(request: Request, headers: RawHeaders, body: Body) -> Any:
    check_media_type(headers, body.kind)
    if body.kind in ("form", "multipart"):
        data = await _form_fields(request, body)
        if not data and b"content-type" not in headers:  # no body at all (an empty form has its type)
            if body.required:
                raise ApiProblem(400, "invalid_request", "リクエスト本文が必要です。")
            return None
        if body.adapter is None:
            return data
        try:
            return body.adapter.validate_python(data)
        except ValidationError as error:
            raise invalid_request(error, "body") from None
    raw = await request.body()
    if not raw:
        if body.required:
            raise ApiProblem(400, "invalid_request", "リクエスト本文が必要です。")
        return None
    if body.kind == "bytes" or body.adapter is None:
        return raw
    try:
        return body.adapter.validate_json(raw)
    except ValidationError as error:
        raise invalid_request(error, "body") from None


def _render(operation: Operation, result: Any, interaction_id: str) -> RawResponse:
    status = operation.status_code
    headers: Mapping[str, str] | None = None
    if isinstance(result, Reply):
        status = result.status_code or status
        headers = result.headers
        result = result.body
    output = operation.outputs.get(status) or operation.outputs.get(operation.status_code)
    if output is None or output.kind == "empty" or (result is None and output.kind != "json"):
        return RawResponse(b"", status, interaction_id, None, headers)
    media_type = output.content_type
    if output.kind == "bytes":
        return RawResponse(bytes(result), status, interaction_id, media_type, headers)
    if isinstance(result, BaseModel):
        content = result.__pydantic_serializer__.to_json(result, by_alias=True, exclude_unset=True)
    elif output.adapter is not None:
        content = output.adapter.dump_json(result, by_alias=True, exclude_unset=True, warnings="error")
    else:
        content = TypeAdapter(Any).dump_json(result, by_alias=True, warnings="error")
    return RawResponse(content, status, interaction_id, media_type, headers)


_INTERNAL_ERROR = ApiProblem(500, "server_error", "システムエラーが発生しました。")
_NOT_A_UUID = ApiProblem(
    400,
    "invalid_request",
    "x-fapi-interaction-id は UUID で指定してください。",
    details=[
        {
            "errorDetailsCode": "invalid_format",
            "errorDetailsMessage": "UUID (例 93bac548-d2de-4546-b106-880a5018460d) を指定してください。",
            "errorDetailsField": "header.x-fapi-interaction-id",
        }
    ],
)


class Endpoint:
    """The ASGI app of one operation (Starlette routes call it directly, without a Request wrapper)."""

    __slots__ = ("call", "error_shape", "max_body_size", "operation", "realm", "schemes", "verifier")

    def __init__(
        self,
        operation: Operation,
        call: Callable[[RequestContext, Any, Any], Awaitable[Any]],
        verifier: TokenVerifier,
        schemes: dict[str, SecurityScheme],
        realm: str,
        max_body_size: int | None = DEFAULT_MAX_BODY_SIZE,
        error_shape: ErrorBody | None = None,
    ) -> None:
        self.operation = operation
        self.error_shape = error_shape
        """Writes error bodies in the operation's declared error schema (None: the standard body)."""
        self.call = call
        self.verifier = verifier
        self.schemes = schemes
        self.realm = realm
        self.max_body_size = max_body_size if operation.body is not None else None
        """Bytes a request body may have (None: no limit); operations without a body never read one."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers: RawHeaders = dict(scope["headers"])
        sent = headers.get(b"x-fapi-interaction-id")
        limit = self.max_body_size
        request = Request(scope, receive if limit is None else limited_receive(receive, limit))
        if self.operation.interaction_id_is_uuid and sent is not None and not is_uuid(sent):
            response = problem_response(_NOT_A_UUID, new_interaction_id(), self.error_shape)
        else:
            response = await self._respond(request, headers, interaction_id_from(sent))
        await response(scope, receive, send)

    async def _respond(self, request: Request, headers: RawHeaders, interaction_id: str) -> RawResponse:
        operation = self.operation
        try:
            check_declared_size(headers, self.max_body_size)
            token = await authorize(
                request, headers, operation.security, self.schemes, self.verifier, self.realm
            )
            params: Any = None
            if operation.params_model is not None:
                try:
                    params = operation.params_model.__pydantic_validator__.validate_python(
                        _collect(request, headers, operation.params)
                    )
                except ValidationError as error:
                    raise invalid_request(error, "params", operation.labels) from None
            body = await _read_body(request, headers, operation.body) if operation.body is not None else None
            result = await self.call(RequestContext(interaction_id, token, request), params, body)
            return _render(operation, result, interaction_id)
        except ApiProblem as problem:
            return problem_response(problem, interaction_id, self.error_shape)
        except Exception:
            logger.exception("operation %s failed", operation.name)
            return problem_response(_INTERNAL_ERROR, interaction_id, self.error_shape)


def bind(
    operation: Operation,
    call: Callable[[RequestContext, Any, Any], Awaitable[Any]],
    verifier: TokenVerifier,
    schemes: dict[str, SecurityScheme],
    realm: str = "renkei",
    max_body_size: int | None = DEFAULT_MAX_BODY_SIZE,
    error_body: ErrorBody | None = None,
) -> Endpoint:
    """The ASGI endpoint of `operation`; `call(ctx, params, body)` invokes the service method. A request
    body over `max_body_size` bytes (None: no limit) is answered 413 without being read. Errors are
    answered with the standard body, or with `error_body(problem)` when given."""
    return Endpoint(operation, call, verifier, schemes, realm, max_body_size, error_body)
