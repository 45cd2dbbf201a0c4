"""Published open-banking, PSD2 and payment-platform specs (tests/generation/realworld/, sources and licences
in its README and sources.json): each generates (with `--lenient` where sources.json says so), every module
imports, the generated sync client calls every operation of the generated server over real HTTP on
127.0.0.1 and the values arrive equal both ways (the machinery of test_corpus.py), and the spec's own
examples round-trip: a request body example the schema accepts reaches the service equal, a response
example the service returns reaches the client equal.

Specs under 300 KB run by default; the larger ones (about 0.4-0.9 MB each) are marked slow.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import sys
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pydantic
import pytest
from test_corpus import (
    Generated,
    RoundTrip,
    _without_reply,
    call_arguments,
    client_methods,
    client_round_trip,
    jsonable,
    operations,
    resolve,
    round_trip_every_operation,
    run_renkei,
    schema_validator,
    spec_operation,
)

from renkei.ir.media import pick_media_type

REALWORLD = Path(__file__).parent / "realworld"
SOURCES: dict[str, dict[str, Any]] = json.loads((REALWORLD / "sources.json").read_text(encoding="utf-8"))
LARGE = 300_000  # bytes: larger specs run in the slow suite


def _param(name: str) -> Any:
    spec = REALWORLD / name
    marks = [pytest.mark.slow] if spec.stat().st_size > LARGE else []
    return pytest.param(spec, id=spec.stem, marks=marks)


CASES = [_param(name) for name in sorted(SOURCES)]


def test_the_files_are_the_published_bytes() -> None:
    """Stored unmodified (the UK Open Banking licence forbids changing the content): checksums as fetched."""
    specs = [p for p in REALWORLD.iterdir() if p.suffix in {".yaml", ".json"} and p.name != "sources.json"]
    stored = sorted(p.name for p in specs)
    assert stored == sorted(SOURCES)
    for name, source in SOURCES.items():
        assert hashlib.sha256((REALWORLD / name).read_bytes()).hexdigest() == source["sha256"], name
        assert source["licence"] and source["repository"] and source["commit"] and source["path"]


def generate(spec: Path, out: Path) -> Generated:
    args = ["generate", str(spec), "-o", str(out)] + (["--lenient"] if SOURCES[spec.name]["lenient"] else [])
    result = run_renkei(*args)
    assert result.exit_code == 0, f"renkei generate failed ({result.exit_code}): {result.output}"
    [package_dir] = [path for path in out.iterdir() if (path / "pyproject.toml").exists()]
    sys.path.insert(0, str(package_dir))
    try:
        modules = {
            name: importlib.import_module(f"{package_dir.name}.{name}")
            for name in ("models", "service", "server", "client")
        }
    finally:
        sys.path.remove(str(package_dir))
    return Generated(spec, out, package_dir.name, document=modules["server"].OPENAPI_DOCUMENT, **modules)


@pytest.fixture(scope="module")
def generated_specs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[Path, Generated]]:
    """Each spec generated once (lazily) for both tests; the packages forgotten afterwards."""
    cache: dict[Path, Generated] = {}

    class Lazy(dict[Path, Generated]):
        def __missing__(self, spec: Path) -> Generated:
            cache[spec] = generate(spec, tmp_path_factory.mktemp(spec.stem))
            return cache[spec]

    yield Lazy()
    for result in cache.values():
        for name in [n for n in sys.modules if n == result.package or n.startswith(result.package + ".")]:
            del sys.modules[name]


def test_lenient_only_where_needed(tmp_path: Path) -> None:
    """A spec marked lenient is refused without the flag (so the mark is needed), with a located error."""
    for name, source in SOURCES.items():
        if source["lenient"]:
            result = run_renkei("generate", str(REALWORLD / name), "-o", str(tmp_path / name))
            assert result.exit_code == 1, result.output
            assert f"{name}:" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("spec", CASES)
def test_generates_imports_and_round_trips_every_operation(
    spec: Path, generated_specs: dict[Path, Generated]
) -> None:
    generated = generated_specs[spec]
    assert len(client_methods(generated.client.Client)) == len(operations(generated.document))
    round_trip_every_operation(generated)


# --- the spec's own examples --------------------------------------------------------------------------------


def _examples(media: Any, document: dict[str, Any]) -> list[Any]:
    if not isinstance(media, dict):
        return []
    found = [media["example"]] if "example" in media else []
    for example in (media.get("examples") or {}).values():
        example = resolve(document, example)
        if isinstance(example, dict) and "value" in example:
            found.append(example["value"])
    return found


def _success(operation: dict[str, Any]) -> tuple[str, Any] | None:
    for status, response in sorted((operation.get("responses") or {}).items()):
        if str(status).startswith("2"):
            return str(status), response
    return None


def _valid_json_examples(document: dict[str, Any], content: Any, what: str, refused: list[str]) -> list[Any]:
    """The examples of the JSON media type the generated code speaks that satisfy its schema; the others
    are noted in `refused` (a published spec's examples are not always valid)."""
    picked = pick_media_type(content)
    if picked is None or picked[1] != "json" or "schema" not in picked[2]:
        return []
    examples = _examples(picked[2], document)
    validator = schema_validator(document, picked[2]["schema"])
    valid = [example for example in examples if validator.is_valid(example)]
    refused += [f"{what}: example invalid against its own schema"] * (len(examples) - len(valid))
    return valid


def _body_example_round_trip(
    trip: RoundTrip, name: str, method: Any, operation: dict[str, Any], refused: list[str]
) -> int:
    body = resolve(trip.generated.document, operation.get("requestBody") or {})
    examples = _valid_json_examples(trip.generated.document, body.get("content"), f"{name} request", refused)
    if not examples:
        return 0
    adapter: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(typing.get_type_hints(method)["body"])
    base = call_arguments(trip.generated, method)
    for example in examples:
        value = adapter.validate_python(example)  # valid by the spec: the generated model must accept it
        arguments = {**base, "body": value}
        trip.check(name, arguments, method(**arguments))
        _, received, _ = trip.service.calls[-1]
        assert jsonable(received["body"]) == jsonable(adapter.validate_json(json.dumps(example))), name
    return len(examples)


def _response_example_round_trip(
    trip: RoundTrip, name: str, method: Any, operation: dict[str, Any], refused: list[str]
) -> int:
    success = _success(operation)
    if success is None:
        return 0
    content = resolve(trip.generated.document, success[1]).get("content")
    examples = _valid_json_examples(trip.generated.document, content, f"{name} response", refused)
    returned = trip.service.results[name]
    hints = typing.get_type_hints(getattr(trip.generated.service_protocol, name))
    adapter: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(_without_reply(hints["return"]))
    base = call_arguments(trip.generated, method) if examples else {}
    answered = 0
    for example in examples:
        try:
            result = adapter.validate_python(example)
        except pydantic.ValidationError:  # another of the operation's declared 2xx shapes
            continue
        trip.service.results[name] = result
        assert jsonable(method(**base)) == jsonable(result), name
        answered += 1
    trip.service.results[name] = returned
    return answered


@pytest.mark.parametrize("spec", CASES)
def test_the_specs_own_examples_round_trip(spec: Path, generated_specs: dict[Path, Generated]) -> None:
    generated = generated_specs[spec]
    refused: list[str] = []
    counted = 0
    with client_round_trip(generated) as (trip, client):
        for name in sorted(client_methods(generated.client.Client)):
            method = getattr(client, name)
            found = spec_operation(generated, method)
            assert found is not None
            counted += _body_example_round_trip(trip, name, method, found[0], refused)
            counted += _response_example_round_trip(trip, name, method, found[0], refused)
    print(f"{generated.spec.name}: {counted} examples round-tripped; {len(refused)} invalid: {refused[:5]}")
    if not counted:
        pytest.skip(f"no JSON example the schema accepts ({len(refused)} invalid)")
