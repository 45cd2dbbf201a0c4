"""Every corpus spec: `renkei generate` succeeds, the package imports, the generated server answers in-process
and the generated clients (sync and async) round-trip every operation against it over real HTTP on 127.0.0.1.

The service is implemented generically: each method records its inputs and returns a valid instance of its
declared result (built from the schema: examples first, else a minimal valid value). The client is called with
valid values for every parameter; the test checks that the service received what the client sent and that the
client decoded what the service returned.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import datetime as dt
import functools
import importlib
import inspect
import json
import os
import re
import sys
import time
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pydantic
import pydantic_core
import pytest
from generic_spec import allow_generic_spec
from hypothesis import HealthCheck, find, settings
from hypothesis import strategies as st
from live_server import serve
from typer.testing import CliRunner

from renkei.cli import app as renkei_app
from renkei.ir.media import pick_media_type
from renkei.ir.naming import snake_case
from renkei_runtime import types as rt
from renkei_runtime.client import NotFoundError, RetryPolicy, UnauthorizedError
from renkei_runtime.server import ApiProblem, Reply, VerifiedToken

CORPUS = Path(__file__).parent / "corpus"
TOKEN = "corpus-token"
SERVER_START_TIMEOUT = 10.0
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# case -> reason: generator limitations, kept as strict xfails so that a fix shows up (see the report).
ROUND_TRIP_XFAIL: dict[str, str] = {}

# case -> parameters compared as text in the round trip (with a precise strict xfail elsewhere); none now.
COMPARED_AS_TEXT: dict[str, set[str]] = {}


def corpus_cases() -> list[Path]:
    """Entry documents: top-level .yaml/.json files, and `<dir>/<dir>.yaml` for multi-file cases."""
    entries = [path for path in CORPUS.iterdir() if path.suffix in {".yaml", ".json"}]
    entries += [path / f"{path.name}.yaml" for path in CORPUS.iterdir() if path.is_dir()]
    return sorted(entries, key=lambda path: path.name)


CASES = corpus_cases()


def case_id(spec: Path) -> str:
    return spec.stem


# --- generation and import ---------------------------------------------------------------------------------


@dataclass
class Generated:
    spec: Path
    out: Path
    package: str
    models: types.ModuleType
    service: types.ModuleType
    server: types.ModuleType
    client: types.ModuleType
    document: dict[str, Any]

    @property
    def service_protocol(self) -> type:
        [protocol] = [
            value
            for name, value in vars(self.service).items()
            if isinstance(value, type)
            and name.endswith("Service")
            and value.__module__ == self.service.__name__
        ]
        return protocol


def run_renkei(*args: str) -> Any:
    """`renkei ARGS` in-process (the real CLI, without a subprocess per spec)."""
    return CliRunner().invoke(renkei_app, list(args), catch_exceptions=True)


def generate(spec: Path, out: Path) -> Generated:
    result = run_renkei("generate", str(spec), "-o", str(out))
    assert result.exit_code == 0, (
        f"renkei generate failed ({result.exit_code}): {result.output}{result.exception!r}"
    )
    assert result.exception is None or isinstance(result.exception, SystemExit)
    packages = [path for path in out.iterdir() if (path / "pyproject.toml").exists()]
    assert len(packages) == 1, f"expected one package in {out}, found {packages}"
    package = packages[0].name
    sys.path.insert(0, str(out / package))
    try:
        modules = {
            name: importlib.import_module(f"{package}.{name}")
            for name in ("models", "service", "server", "client")
        }
    finally:
        sys.path.remove(str(out / package))
    return Generated(spec, out, package, document=modules["server"].OPENAPI_DOCUMENT, **modules)


@pytest.fixture(scope="module")
def generated_cases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[Path, Generated]]:
    """Generates each case once (lazily) for all tests of this module; forgets the packages afterwards."""
    cache: dict[Path, Generated] = {}

    class Lazy(dict[Path, Generated]):
        def __missing__(self, spec: Path) -> Generated:
            cache[spec] = generate(spec, tmp_path_factory.mktemp(case_id(spec)))
            return cache[spec]

    yield Lazy()
    for generated in cache.values():
        for name in [
            name
            for name in sys.modules
            if name == generated.package or name.startswith(generated.package + ".")
        ]:
            del sys.modules[name]


def resolve(document: dict[str, Any], node: Any) -> Any:
    """`node`, or what its local `$ref` points at (repeatedly)."""
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/"):
        target: Any = document
        for part in node["$ref"][2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any], list[dict[str, Any]]]]:
    """(method, path, operation, merged parameters) of every operation of a bundled document."""
    found = []
    for path, item in document.get("paths", {}).items():
        item = resolve(document, item)
        shared = [resolve(document, p) for p in item.get("parameters", [])]
        for method in HTTP_METHODS:
            if method in item:
                operation = item[method]
                own = [resolve(document, p) for p in operation.get("parameters", [])]
                own_keys = {(p["name"], p["in"]) for p in own}
                merged = [p for p in shared if (p["name"], p["in"]) not in own_keys] + own
                found.append((method.upper(), path, operation, merged))
    return found


def client_methods(client_class: type) -> dict[str, Any]:
    return {
        name: value
        for name, value in vars(client_class).items()
        if callable(value) and not name.startswith("_") and not name.startswith("iter_")
    }


@pytest.mark.parametrize("spec", CASES, ids=case_id)
def test_every_private_helper_of_a_module_is_used(spec: Path, generated_cases: dict[Path, Generated]) -> None:
    """No dead code: each module-level `_name` function a generated module defines is called in it."""
    generated = generated_cases[spec]
    for module in (generated.client, generated.server):
        source = Path(module.__file__ or "").read_text(encoding="utf-8")
        for name in re.findall(r"^def (_\w+)\(", source, flags=re.MULTILINE):
            assert re.search(rf"\b{name}\(", source.replace(f"def {name}(", "")), f"{module.__name__}.{name}"


@pytest.mark.parametrize("spec", CASES, ids=case_id)
def test_generates_and_imports(spec: Path, generated_cases: dict[Path, Generated]) -> None:
    generated = generated_cases[spec]
    ops = operations(generated.document)
    for client_class in (generated.client.Client, generated.client.AsyncClient):
        methods = client_methods(client_class)
        assert len(methods) == len(ops), (
            f"{client_class.__name__}: {sorted(methods)} for {len(ops)} operations"
        )
    protocol_methods = [
        name for name, value in vars(generated.service_protocol).items() if inspect.iscoroutinefunction(value)
    ]
    assert len(protocol_methods) == len(ops)
    assert callable(generated.server.create_app) and callable(generated.server.create_router)
    assert generated.client.DEFAULT_BASE_URL.startswith("http")


# --- values that satisfy a schema --------------------------------------------------------------------------


class _Recursive(Exception):
    """The value would need itself: leave the optional property out or the array empty."""


_FORMAT_SAMPLES = {
    "date": "2026-04-01",
    "date-time": "2026-04-01T09:00:00+09:00",
    "jst-date-time": "2026-04-01T09:00:00+09:00",
    "time": "09:00:00",
    "uuid": "123e4567-e89b-42d3-a456-426614174000",
    "email": "taro@example.com",
    "uri": "https://example.com/a",
    "url": "https://example.com/a",
    "hostname": "example.com",
    "ipv4": "192.0.2.1",
    "byte": base64.b64encode(b"corpus").decode(),
    "base64": base64.b64encode(b"corpus").decode(),
    "jpy-amount": "15000",
    "bank-code": "2963",
    "branch-code": "001",
    "account-number": "1234567",
}

_REGEX_SETTINGS = settings(
    database=None, derandomize=True, max_examples=200, suppress_health_check=list(HealthCheck), deadline=None
)


@functools.cache
def _string_matching(pattern: str, min_length: int, max_length: int | None) -> str:
    def fits(text: str) -> bool:
        return len(text) >= min_length and (max_length is None or len(text) <= max_length)

    return find(st.from_regex(pattern, fullmatch=True), fits, settings=_REGEX_SETTINGS)


class Sampler:
    """A valid JSON value for a JSON Schema / OpenAPI schema: examples when given, else a small valid value.

    `$ref`s resolve against `root` (`#/$defs/...` of pydantic schemas, `#/components/...` of OpenAPI).
    Optional properties are filled down to `optional_depth` levels, recursion is cut where allowed.
    """

    def __init__(
        self,
        root: dict[str, Any],
        *,
        use_examples: bool = True,
        optional_depth: int = 2,
        text: str = "corpus",
    ) -> None:
        self.root = root
        self.use_examples = use_examples
        self.optional_depth = optional_depth
        self.text = text

    def _resolve(self, ref: str) -> dict[str, Any]:
        node: Any = self.root
        for part in ref.removeprefix("#/").split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return typing.cast(dict[str, Any], node)

    def value(self, schema: dict[str, Any], depth: int = 0, stack: tuple[str, ...] = ()) -> Any:
        if "$ref" in schema:
            ref = schema["$ref"]
            if ref in stack:
                raise _Recursive(ref)
            return self.value(self._resolve(ref), depth, (*stack, ref))
        if self.use_examples:
            examples = schema.get("examples") or ([schema["example"]] if "example" in schema else [])
            if examples and examples[0] is not None:
                return examples[0]
        if "const" in schema:
            return schema["const"]
        if "enum" in schema:
            return next((v for v in schema["enum"] if v is not None), None)
        if "allOf" in schema:
            merged: dict[str, Any] = {}
            for part in schema["allOf"]:
                value = self.value(part, depth, stack)
                if isinstance(value, dict):
                    merged.update(value)
                else:
                    return value
            if "properties" in schema:
                merged.update(self._object(schema, depth, stack))
            return merged
        for key in ("oneOf", "anyOf"):
            if key in schema:
                options = sorted(schema[key], key=lambda option: option.get("type") == "null")
                for option in options:
                    with contextlib.suppress(_Recursive):
                        return self.value(option, depth, stack)
                raise _Recursive(key)
        kind = schema.get("type")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), "null")
        if kind is None and "properties" in schema:
            kind = "object"
        if kind == "object":
            return self._object(schema, depth, stack)
        if kind == "array":
            minimum = schema.get("minItems", 0)
            try:
                item = self.value(schema.get("items", {}), depth + 1, stack)
            except _Recursive:
                if minimum:
                    raise
                return []
            count = 1 if schema.get("uniqueItems") else max(2, minimum)
            return [item] * min(count, schema.get("maxItems", count))
        if kind == "string":
            return self._string(schema)
        if kind == "integer":
            return int(self._number(schema, 1))
        if kind == "number":
            return self._number(schema, 1.5)
        if kind == "boolean":
            return True
        if kind == "null":
            return None
        return "any"

    def _object(self, schema: dict[str, Any], depth: int, stack: tuple[str, ...]) -> dict[str, Any]:
        required = set(schema.get("required", []))
        result: dict[str, Any] = {}
        for name, prop in schema.get("properties", {}).items():
            if prop.get("readOnly") and name not in required and depth > 0:
                continue
            if name in required:
                result[name] = self.value(prop, depth + 1, stack)
            elif depth < self.optional_depth:
                with contextlib.suppress(_Recursive):
                    result[name] = self.value(prop, depth + 1, stack)
        extra = schema.get("additionalProperties")
        if not result and isinstance(extra, dict) and extra and depth < self.optional_depth:
            with contextlib.suppress(_Recursive):  # a map: one entry (an empty one is absent in a form)
                result["key"] = self.value(extra, depth + 1, stack)
        return result

    @staticmethod
    def _number(schema: dict[str, Any], preferred: float) -> float:
        low = schema.get("minimum", schema.get("exclusiveMinimum"))
        high = schema.get("maximum", schema.get("exclusiveMaximum"))
        value = preferred
        if low is not None and value <= low:
            value = low if "minimum" in schema else low + 1
        if high is not None and value >= high:
            value = high if "maximum" in schema else high - 1
        return value

    def _string(self, schema: dict[str, Any]) -> str:
        min_length = schema.get("minLength", 0)
        max_length = schema.get("maxLength")
        if "pattern" in schema:
            return _string_matching(schema["pattern"], min_length, max_length)
        text = _FORMAT_SAMPLES.get(schema.get("format", ""), self.text)
        if len(text) < min_length:
            text = text + "x" * (min_length - len(text))
        if max_length is not None:
            text = text[:max_length]
        return text


def sample_python(annotation: Any) -> Any:
    """A valid Python value of `annotation` (a model, list, enum, scalar...), preferring non-None."""
    args = typing.get_args(annotation)
    if args and type(None) in args:
        annotation = typing.Union[tuple(a for a in args if a is not type(None))]  # noqa: UP007
    if annotation is bytes:
        return b"\x00corpus-bytes\xff"
    if annotation is type(None):
        return None
    adapter = pydantic.TypeAdapter(annotation)
    schema = adapter.json_schema()
    errors = []
    for use_examples in (True, False):
        try:
            raw = Sampler(schema, use_examples=use_examples).value(schema)
            return adapter.validate_python(raw)
        except (pydantic.ValidationError, _Recursive) as error:
            errors.append(error)
    raise AssertionError(f"cannot build a valid {annotation!r}: {errors}")


def jsonable(value: Any) -> Any:
    return pydantic_core.to_jsonable_python(value, by_alias=True, bytes_mode="base64")


# --- the generic service -----------------------------------------------------------------------------------


def _without_reply(annotation: Any) -> Any:
    args = [arg for arg in typing.get_args(annotation) if getattr(arg, "__name__", "") != "Reply"]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and args:
        return args[0] if len(args) == 1 else typing.Union[tuple(args)]  # noqa: UP007
    return annotation


@dataclass
class RecordingService:
    """Implements a service protocol: each call is recorded and answered with a valid result."""

    protocol: type
    calls: list[tuple[str, dict[str, Any], Any]] = field(default_factory=list)
    results: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name, method in vars(self.protocol).items():
            if inspect.iscoroutinefunction(method):
                hints = typing.get_type_hints(method)
                result_type = _without_reply(hints["return"])
                self.results[name] = sample_python(result_type)
                setattr(self, name, self._method(name))

    def _method(self, name: str) -> Any:
        async def method(ctx: Any, **inputs: Any) -> Any:
            self.calls.append((name, dict(inputs), ctx))
            return self.results[name]

        return method


class AcceptingVerifier:
    def __init__(self, scopes: frozenset[str]) -> None:
        self.scopes = scopes

    async def verify(self, token: str) -> VerifiedToken | None:
        if token != TOKEN:
            return None
        return VerifiedToken(subject="corpus-user", client_id="corpus-client", scopes=self.scopes)


def declared_scopes(document: dict[str, Any]) -> frozenset[str]:
    scopes: set[str] = set()
    for scheme in document.get("components", {}).get("securitySchemes", {}).values():
        for flow in scheme.get("flows", {}).values():
            scopes.update(flow.get("scopes", {}))
    return frozenset(scopes)


# --- client calls ------------------------------------------------------------------------------------------


URL_TEXT = "口座 a&b=c?d#e%f+g"
_DOCSTRING_ROUTE = re.compile(r"^\s*([A-Z]+) (/\S*?)(?::?\s|:?$)")
_SOURCE_ROUTE = re.compile(r'_request\(\s*"([A-Z]+)",\s*f?"([^"]*)"')
_TEMPLATE = re.compile(r"\{[^{}]*(\{[^{}]*\}[^{}]*)*\}")


def _route_key(method: str, path: str) -> tuple[str, str]:
    return method, _TEMPLATE.sub("{}", path)


def spec_operation(generated: Generated, method: Any) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    """The spec operation (and its parameters) a client method calls: from its docstring `METHOD /path`, else
    from the `_request("METHOD", "/path"...)` call in its source."""
    routes = [_DOCSTRING_ROUTE.match(inspect.getdoc(method) or "")]
    with contextlib.suppress(OSError, TypeError):
        routes.append(_SOURCE_ROUTE.search(inspect.getsource(method)))
    keys = [_route_key(*match.groups()) for match in routes if match is not None]
    for http_method, path, operation, parameters in operations(generated.document):
        if _route_key(http_method, path) in keys:
            return operation, parameters
    return None


def call_arguments(generated: Generated, method: Any) -> dict[str, Any]:
    """Valid values for every keyword parameter of a client method (from the spec's schema when found)."""
    hints = typing.get_type_hints(method)
    found = spec_operation(generated, method)
    assert found is not None, f"cannot tell which operation {method.__name__} calls"
    spec_params = {}
    body_schema = None
    if found is not None:
        operation, parameters = found
        spec_params = {
            candidate: p
            for p in parameters
            for candidate in (snake_case(p["name"]), snake_case(p["name"], fallback="param"))
        }
        content = resolve(generated.document, operation.get("requestBody", {})).get("content", {})
        picked = pick_media_type(content)  # the one media type the generated code speaks (JSON first)
        if picked is not None and picked[1] == "multipart":
            body_schema = picked[2].get("schema", {})
    sampler = Sampler(generated.document)
    tricky = Sampler(generated.document, text=URL_TEXT)  # quoting of path and query values
    arguments: dict[str, Any] = {}
    for name, parameter in inspect.signature(method).parameters.items():
        if parameter.kind is not inspect.Parameter.KEYWORD_ONLY:
            continue
        annotation = hints[name]
        if name == "body" and body_schema is not None:
            arguments[name] = multipart_body(sampler, body_schema)
        elif name in spec_params and "schema" in spec_params[name]:
            spec_param = spec_params[name]
            scalar_in_url = spec_param["in"] in ("path", "query") and spec_param.get("style") is None
            raw = (tricky if scalar_in_url else sampler).value(spec_param["schema"], depth=1)
            arguments[name] = pydantic.TypeAdapter(annotation).validate_python(raw)
        else:
            arguments[name] = sample_python(annotation)
    return arguments


def multipart_body(sampler: Sampler, schema: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        schema = sampler._resolve(schema["$ref"])
    body: dict[str, Any] = {}
    for name, prop in schema.get("properties", {}).items():
        if prop.get("format") == "binary":
            body[name] = ("corpus.pdf", b"%PDF-1.4 corpus \x00\xff", "application/pdf")
        else:
            body[name] = sampler.value(prop, depth=1)
    return body


def _as_text(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: str(item).lower() for key, item in value.items()}
    return str(value).lower()


def assert_received(
    name: str, sent: dict[str, Any], received: dict[str, Any], as_text: frozenset[str] = frozenset()
) -> None:
    for key, value in sent.items():
        assert key in received, f"{name}: the service did not receive {key!r} (got {sorted(received)})"
        got = received[key]
        if key in as_text:
            assert _as_text(jsonable(got)) == _as_text(jsonable(value)), f"{name}: {key} changed"
            continue
        if isinstance(value, dict) and key == "body" and any(isinstance(v, tuple) for v in value.values()):
            assert isinstance(got, pydantic.BaseModel), f"{name}: the multipart body was not validated"
            fields = got.model_dump(by_alias=True)
            for field_name, field_value in value.items():
                assert field_name in fields, f"{name}: multipart field {field_name!r} missing"
                if isinstance(field_value, tuple):  # (filename, content, media type) arrives whole
                    upload = fields[field_name]
                    assert isinstance(upload, rt.UploadedFile), f"{name}: {field_name!r} is not a file"
                    assert (upload.filename, upload.content, upload.content_type) == field_value
                else:
                    assert str(jsonable(fields[field_name])).lower() == str(jsonable(field_value)).lower()
            continue
        assert jsonable(got) == jsonable(value), (
            f"{name}: {key} sent {jsonable(value)!r}, received {jsonable(got)!r}"
        )


@dataclass
class RoundTrip:
    generated: Generated
    service: RecordingService
    base_url: str

    def client_options(self) -> dict[str, Any]:
        headers = {
            scheme.name: TOKEN
            for scheme in self.generated.server.SECURITY_SCHEMES.values()
            if scheme.kind == "apiKey" and scheme.location == "header"
        }
        return {"token": TOKEN, "headers": headers}

    def check(self, name: str, arguments: dict[str, Any], result: Any) -> None:
        calls = [call for call in self.service.calls if call[0] == name]
        assert calls, f"{name}: the service was not called"
        _, received, _ = calls[-1]
        as_text = frozenset(COMPARED_AS_TEXT.get(case_id(self.generated.spec), ()))
        assert_received(name, arguments, received, as_text)
        expected = self.service.results[name]
        assert jsonable(result) == jsonable(expected), f"{name}: returned {jsonable(result)!r}"


@contextlib.contextmanager
def round_trip(generated: Generated) -> Iterator[RoundTrip]:
    service = RecordingService(generated.service_protocol)
    verifier = AcceptingVerifier(declared_scopes(generated.document))
    app = generated.server.create_app(service, verifier)
    with serve(app) as root:
        yield RoundTrip(generated, service, root + generated.server.BASE_PATH)


ROUND_TRIP_CASES = [
    pytest.param(
        spec, id=case_id(spec), marks=[pytest.mark.xfail(strict=True, reason=ROUND_TRIP_XFAIL[case_id(spec)])]
    )
    if case_id(spec) in ROUND_TRIP_XFAIL
    else pytest.param(spec, id=case_id(spec))
    for spec in CASES
]


@contextlib.contextmanager
def client_round_trip(generated: Generated) -> Iterator[tuple[RoundTrip, Any]]:
    """The generated server over HTTP with a recording service, and a sync client authorised for it."""
    with (
        round_trip(generated) as trip,
        generated.client.Client(trip.base_url, **trip.client_options()) as client,
    ):
        yield trip, client


def round_trip_every_operation(generated: Generated) -> None:
    """Every client method called with valid values; what was sent and returned arrives equal."""
    with client_round_trip(generated) as (trip, client):
        for name in sorted(client_methods(generated.client.Client)):
            method = getattr(client, name)
            arguments = call_arguments(generated, method)
            trip.check(name, arguments, method(**arguments))


@pytest.mark.parametrize("spec", ROUND_TRIP_CASES)
def test_sync_client_round_trips_every_operation(spec: Path, generated_cases: dict[Path, Generated]) -> None:
    round_trip_every_operation(generated_cases[spec])


@pytest.mark.parametrize("spec", ROUND_TRIP_CASES)
def test_async_client_round_trips_every_operation(spec: Path, generated_cases: dict[Path, Generated]) -> None:
    generated = generated_cases[spec]

    async def run(trip: RoundTrip) -> None:
        async with generated.client.AsyncClient(trip.base_url, **trip.client_options()) as client:
            for name in sorted(client_methods(generated.client.AsyncClient)):
                method = getattr(client, name)
                arguments = call_arguments(generated, method)
                trip.check(name, arguments, await method(**arguments))

    with round_trip(generated) as trip:
        asyncio.run(run(trip))


# --- specific promises of some cases -----------------------------------------------------------------------


def _case(name: str) -> Path:
    [spec] = [spec for spec in CASES if case_id(spec) == name]
    return spec


def test_security_overrides_are_enforced(generated_cases: dict[Path, Generated]) -> None:
    generated = generated_cases[_case("security-mixed")]
    with round_trip(generated) as trip, generated.client.Client(trip.base_url) as anonymous:
        assert jsonable(anonymous.get_status()) == jsonable(
            trip.service.results["get_status"]
        )  # security: []
        for name in ("get_profile", "list_reports"):
            with pytest.raises(UnauthorizedError) as caught:
                getattr(anonymous, name)()
            assert caught.value.error is not None
            assert "Bearer" in caught.value.response.headers.get("WWW-Authenticate", "")


def test_generated_client_retries_a_post_with_one_idempotency_key(
    generated_cases: dict[Path, Generated],
) -> None:
    generated = generated_cases[_case("client-credentials")]
    with round_trip(generated) as trip:
        answer = trip.service.results["create_payout"]
        keys: list[str] = []

        async def create_payout(ctx: Any, **inputs: Any) -> Any:
            keys.append(inputs["idempotency_key"])
            if len(keys) == 1:
                raise ApiProblem(503, "service_unavailable", "try again", headers={"Retry-After": "0"})
            return answer

        trip.service.create_payout = create_payout  # type: ignore[method-assign]
        policy = RetryPolicy(backoff_base=0.01)
        with generated.client.Client(trip.base_url, token=TOKEN, retry=policy) as client:
            body = sample_python(typing.get_type_hints(client.create_payout)["body"])
            assert jsonable(client.create_payout(body=body)) == jsonable(answer)
    assert len(keys) == 2 and keys[0] == keys[1] and len(keys[0]) >= 1


def test_generated_client_raises_typed_errors(generated_cases: dict[Path, Generated]) -> None:
    generated = generated_cases[_case("petstore-30")]
    with round_trip(generated) as trip:

        async def show_pet_by_id(ctx: Any, **inputs: Any) -> Any:
            raise ApiProblem(404, "not_found", f"no pet {inputs['pet_id']}")

        trip.service.show_pet_by_id = show_pet_by_id  # type: ignore[method-assign]
        with (
            generated.client.Client(trip.base_url, token=TOKEN) as client,
            pytest.raises(NotFoundError) as caught,
        ):
            client.show_pet_by_id(pet_id=7)
    # the spec declares its own error schema (`Error`: integer `code`, `message`): the server answers in it
    body = generated.models.Error.model_validate(caught.value.response.json())
    assert (body.code, body.message) == (404, "no pet 7")


def test_client_decodes_another_declared_2xx(generated_cases: dict[Path, Generated]) -> None:
    generated = generated_cases[_case("petstore-30")]
    job = generated.models.Job(job_id="j-1", state="queued")
    with round_trip(generated) as trip:

        async def create_pet(ctx: Any, **inputs: Any) -> Any:
            return Reply(job, status_code=202)

        trip.service.create_pet = create_pet  # type: ignore[method-assign]
        with generated.client.Client(trip.base_url, token=TOKEN) as client:
            result = client.create_pet(body=generated.models.NewPet(name="Pochi"))
    assert jsonable(result) == jsonable(job)


def test_async_paginated_operation_iterates_items(generated_cases: dict[Path, Generated]) -> None:
    generated = generated_cases[_case("card-statements")]
    with round_trip(generated) as trip:
        page = trip.service.results["list_statements"]
        first = page.model_copy(update={"has_next": True, "next_cursor": "page-2"})
        last = page.model_copy(update={"has_next": False, "next_cursor": pydantic.MISSING})
        cursors: list[str | None] = []

        async def pages(ctx: Any, **inputs: Any) -> Any:
            cursors.append(inputs.get("cursor"))
            return last if inputs.get("cursor") == "page-2" else first

        trip.service.list_statements = pages  # type: ignore[method-assign]

        async def collect() -> list[Any]:
            async with generated.client.AsyncClient(trip.base_url, token=TOKEN) as client:
                return [item async for item in client.iter_list_statements(card_id="c-1")]

        items = asyncio.run(collect())
    assert len(items) == len(first.statements) + len(last.statements)
    assert cursors == [None, "page-2"]


def test_read_only_and_write_only_shapes(generated_cases: dict[Path, Generated]) -> None:
    generated = generated_cases[_case("read-write-only")]
    request_fields = set(generated.models.UserRequest.model_fields)
    response_fields = set(generated.models.UserResponse.model_fields)
    assert {"password"} <= request_fields and not {"id", "created_at"} & request_fields
    assert {"id", "created_at"} <= response_fields and "password" not in response_fields
    with round_trip(generated) as trip, generated.client.Client(trip.base_url) as client:
        wire = client.http_client.get(f"{trip.base_url}/users/u-1").json()
    assert "password" not in wire and {"id", "createdAt"} <= set(wire)


def test_null_and_absent_stay_apart(generated_cases: dict[Path, Generated]) -> None:
    generated = generated_cases[_case("nullable-30")]
    customer = generated.models.Customer.model_validate({"id": "c-1", "name": "Taro", "middleName": None})
    with round_trip(generated) as trip:
        trip.service.results["get_customer"] = customer
        with generated.client.Client(trip.base_url, token=TOKEN) as client:
            wire = client.http_client.get(f"{trip.base_url}/customers/c-1").json()
            decoded = client.get_customer(customer_id="c-1")
    assert wire == {"id": "c-1", "name": "Taro", "middleName": None}
    assert decoded.middle_name is None and decoded.nickname is pydantic.MISSING


def test_object_query_parameters_keep_their_types(generated_cases: dict[Path, Generated]) -> None:
    generated = generated_cases[_case("query-styles")]
    with round_trip(generated) as trip, generated.client.Client(trip.base_url, token=TOKEN) as client:
        client.search(store_id="s-1", price={"min": 1, "max": 9}, point={"x": 3, "y": 4})
    _, received, _ = trip.service.calls[-1]
    assert received["price"] == {"min": 1, "max": 9}
    assert received["point"] == {"x": 3, "y": 4}


def test_api_key_header_alone_is_accepted(generated_cases: dict[Path, Generated]) -> None:
    generated = generated_cases[_case("gmo-style-access-token")]
    with round_trip(generated) as trip:
        with generated.client.Client(trip.base_url, headers={"x-access-token": TOKEN}) as client:
            assert jsonable(client.get_accounts()) == jsonable(trip.service.results["get_accounts"])
        with generated.client.Client(trip.base_url, headers={"x-access-token": "wrong"}) as client:
            with pytest.raises(UnauthorizedError):
                client.get_accounts()


def test_paginated_operation_iterates_items(generated_cases: dict[Path, Generated]) -> None:
    generated = generated_cases[_case("card-statements")]
    with round_trip(generated) as trip, generated.client.Client(trip.base_url, token=TOKEN) as client:
        page = trip.service.results["list_statements"]
        last = page.model_copy(update={"has_next": False, "next_cursor": pydantic.MISSING})
        first = page.model_copy(update={"has_next": True, "next_cursor": "page-2"})
        trip.service.results["list_statements"] = first

        async def pages(ctx: Any, **inputs: Any) -> Any:
            trip.service.calls.append(("list_statements", inputs, ctx))
            return last if inputs.get("cursor") == "page-2" else first

        trip.service.list_statements = pages  # type: ignore[method-assign]
        items = list(client.iter_list_statements(card_id="c-1"))
    assert len(items) == len(first.statements) + len(last.statements)
    cursors = [inputs.get("cursor") for name, inputs, _ in trip.service.calls if name == "list_statements"]
    assert cursors == [None, "page-2"]


# --- the synthetic large spec ------------------------------------------------------------------------------


@pytest.mark.slow
def test_large_spec_generates_and_imports(tmp_path: Path) -> None:
    sys.path.insert(0, str(CORPUS))
    try:
        make_large = importlib.import_module("make_large")
    finally:
        sys.path.remove(str(CORPUS))
    spec = make_large.write_large_spec(tmp_path / "large-api.yaml")
    allow_generic_spec(tmp_path)
    assert spec.stat().st_size > 3_000_000
    started = time.monotonic()
    generated = generate(spec, tmp_path / "out")
    elapsed = time.monotonic() - started
    try:
        assert len(client_methods(generated.client.Client)) == len(operations(generated.document)) == 1000
        with round_trip(generated) as trip, generated.client.Client(trip.base_url) as client:
            result = client.get_resource0042(item_id="x")
            trip.check("get_resource0042", {"item_id": "x"}, result)
    finally:
        for name in [
            n for n in sys.modules if n == generated.package or n.startswith(generated.package + ".")
        ]:
            del sys.modules[name]
    print(f"large spec: {spec.stat().st_size} bytes generated and imported in {elapsed:.1f}s")


def test_make_large_is_deterministic(tmp_path: Path) -> None:
    sys.path.insert(0, str(CORPUS))
    try:
        make_large = importlib.import_module("make_large")
    finally:
        sys.path.remove(str(CORPUS))
    first = make_large.write_large_spec(tmp_path / "a.yaml", resources=3).read_bytes()
    second = make_large.write_large_spec(tmp_path / "b.yaml", resources=3).read_bytes()
    assert first == second
    assert json.loads(json.dumps(make_large.build_spec(3)))["openapi"] == "3.1.0"


# --- property: values drawn from the request schemas round-trip ---------------------------------------------

PROPERTY_EXAMPLES = int(os.environ.get("RENKEI_ROUND_TRIP_EXAMPLES", "5"))
"""Examples per operation: a few in the default run, more with RENKEI_ROUND_TRIP_EXAMPLES, 100 when slow."""
EXAMPLE_COUNTS = [
    pytest.param(PROPERTY_EXAMPLES, id="few"),
    pytest.param(100, id="many", marks=pytest.mark.slow),
]
"""Parameters of the property tests of other modules: the default run and the slow one."""


_JST = dt.timezone(dt.timedelta(hours=9))
_TEXT = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"))


def _merged(document: dict[str, Any], parts: list[Any]) -> dict[str, Any]:
    merged: dict[str, Any] = {"type": "object", "properties": {}, "required": []}
    for part in parts:
        part = resolve(document, part)
        if "allOf" in part:
            part = _merged(document, part["allOf"])
        merged["properties"].update(part.get("properties") or {})
        merged["required"] += part.get("required") or []
    return merged


def drawn(document: dict[str, Any], schema: Any, depth: int = 0) -> st.SearchStrategy[Any]:
    """Values of `schema` (the JSON Schema subset the corpus uses): the property test's generator. Values the
    generated client's model refuses are filtered out by the test, so this may over-approximate."""
    from renkei.models.patterns import translate

    schema = resolve(document, schema)
    if not isinstance(schema, dict) or not schema:
        return st.none() | st.integers() | st.text(_TEXT, max_size=5)
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    if "const" in schema:
        return st.just(schema["const"])
    choices = schema.get("oneOf") or schema.get("anyOf")
    if choices:
        return st.one_of([drawn(document, choice, depth + 1) for choice in choices])
    if "allOf" in schema:
        return drawn(document, _merged(document, schema["allOf"]), depth)
    kind = schema.get("type")
    if isinstance(kind, list):
        return st.one_of([drawn(document, {**schema, "type": k}, depth) for k in kind])
    if schema.get("nullable") is True:
        return st.none() | drawn(document, {k: v for k, v in schema.items() if k != "nullable"}, depth)
    fmt = schema.get("format")
    if kind == "string":
        if fmt == "date":
            return st.dates().map(dt.date.isoformat)
        if fmt in ("date-time", "jst-date-time"):
            return st.datetimes(timezones=st.just(_JST)).map(lambda d: d.replace(microsecond=0).isoformat())
        if fmt == "uuid":
            return st.uuids().map(str)
        if fmt in _FORMAT_SAMPLES:
            return st.just(_FORMAT_SAMPLES[fmt])
        low, high = schema.get("minLength", 0), schema.get("maxLength")
        if "pattern" in schema:
            translated = translate(schema["pattern"])
            if translated.engine == "python-re" or "\\p{" not in schema["pattern"]:
                python = (
                    re.compile(translated.text) if translated.engine == "python-re" else schema["pattern"]
                )
                strings = st.from_regex(python, fullmatch=True)
                return strings.filter(lambda t: low <= len(t) <= (high or len(t)))
        return st.text(_TEXT, min_size=low, max_size=high if high is not None else low + 12)
    if kind == "integer":
        low, high = schema.get("minimum"), schema.get("maximum")
        exclusive = schema.get("exclusiveMinimum")
        if isinstance(exclusive, int | float) and not isinstance(exclusive, bool):
            low = exclusive + 1
        return st.integers(min_value=low, max_value=high)
    if kind == "number":
        return st.floats(schema.get("minimum"), schema.get("maximum"), allow_nan=False, allow_infinity=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "array":
        low = schema.get("minItems", 0)
        high = schema.get("maxItems", low + (3 if depth < 3 else 0))
        return st.lists(drawn(document, schema.get("items", {}), depth + 1), min_size=low, max_size=high)
    if kind == "object" or "properties" in schema:
        properties = {
            name: prop
            for name, prop in (schema.get("properties") or {}).items()
            if not resolve(document, prop).get("readOnly")
        }
        required = [name for name in schema.get("required") or [] if name in properties]
        optional = {
            name: drawn(document, prop, depth + 1)
            for name, prop in properties.items()
            if name not in required and depth <= 3
        }
        needed = {name: drawn(document, properties[name], depth + 1) for name in required}
        return st.fixed_dictionaries(needed, optional=optional)
    return st.none() | st.integers() | st.text(_TEXT, max_size=5)


def property_settings(examples: int) -> Any:
    """hypothesis settings of the round-trip properties: reproducible, no deadline (a loaded machine)."""
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )


def schema_validator(document: dict[str, Any], schema: Any) -> Any:
    """A validator of `schema` in the document's OpenAPI dialect (3.0 or 3.1), refs resolved in `document`."""
    from openapi_schema_validator import OAS30Validator, OAS31Validator

    dialect = OAS31Validator if str(document.get("openapi", "")).startswith("3.1") else OAS30Validator
    return dialect({"components": document.get("components", {}), "allOf": [schema]})


def _json_body_operations(generated: Generated, client: Any) -> list[tuple[str, Any, dict[str, Any], Any]]:
    found = []
    for name in sorted(client_methods(type(client))):
        method = getattr(client, name)
        spec = spec_operation(generated, method)
        hints = typing.get_type_hints(method)
        if spec is None or "body" not in hints:
            continue
        content = resolve(generated.document, spec[0].get("requestBody", {})).get("content", {})
        media = next((m for m in content if m.split(";")[0].strip() == "application/json"), None)
        if media is not None and "schema" in content[media]:
            found.append((name, method, content[media]["schema"], hints["body"]))
    return found


def _round_trips_drawn_bodies(trip: RoundTrip, name: str, method: Any, schema: Any, annotation: Any) -> None:
    from hypothesis import assume, given

    base = call_arguments(trip.generated, method)
    adapter: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(annotation)

    @property_settings(PROPERTY_EXAMPLES)
    @given(value=drawn(trip.generated.document, schema))
    def one(value: Any) -> None:
        try:
            body = adapter.validate_python(value)
        except (pydantic.ValidationError, ValueError):
            assume(False)  # a value the generated client refuses is not sent
            return
        arguments = {**base, "body": body}
        trip.check(name, arguments, method(**arguments))

    one()


@pytest.mark.parametrize("spec", ROUND_TRIP_CASES)
def test_drawn_json_bodies_round_trip(spec: Path, generated_cases: dict[Path, Generated]) -> None:
    """For every operation with a JSON body: bodies drawn from its schema (`drawn`) that the generated
    client's model accepts are sent over HTTP, accepted by the generated server and reach the service equal
    to what was sent; the service's result reaches the client equal."""
    generated = generated_cases[spec]
    operations_with_bodies = 0
    with client_round_trip(generated) as (trip, client):
        for name, method, schema, annotation in _json_body_operations(generated, client):
            _round_trips_drawn_bodies(trip, name, method, schema, annotation)
            operations_with_bodies += 1
    if not operations_with_bodies:
        pytest.skip("no operation with a JSON request body")


@pytest.mark.slow
@pytest.mark.parametrize("spec", ROUND_TRIP_CASES)
def test_drawn_json_bodies_round_trip_many(
    spec: Path, generated_cases: dict[Path, Generated], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same with 100 examples per operation."""
    monkeypatch.setattr(sys.modules[__name__], "PROPERTY_EXAMPLES", 100)
    test_drawn_json_bodies_round_trip(spec, generated_cases)
