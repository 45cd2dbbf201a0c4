"""Structural validation of a bundled OpenAPI document, every error located at the node that is wrong.

Three parts, all reported under the one rule id `openapi-schema` (by `renkei check` and `renkei generate`):

- the document against the OpenAPI meta-schema of its version (openapi-spec-validator's, 3.0 or 3.1);
  every error is reported, not only the first;
- for 3.1, each schema object against the OpenAPI 3.1 schema dialect, validated where it is written (so a
  mistake in a shared component is located in the library file, once);
- the semantic rules of the specification that no meta-schema can express: path templates and path
  parameters agree, a parameter is not listed twice, tag names are unique, an `enum` of 3.0 lists each value
  once.

openapi-spec-validator's own semantic pass is not used: its errors carry no location.
"""

from __future__ import annotations

import functools
import json
import string
from collections.abc import Iterator
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

from jsonschema import FormatChecker
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for

from renkei.checking.document import Document
from renkei.checking.fast_meta import rust_dialect_validator
from renkei.checking.schema_messages import describe
from renkei.checking.spec_validators import spec_validators
from renkei.loading import LoadedSpec
from renkei.loading.text import Text
from renkei.loading.walk import HTTP_METHODS, Pointer, deref

__all__ = ["RULE", "validate_structure"]

RULE = "openapi-schema"
_LOCATIONS = ("path", "query", "header", "cookie")
Findings = Iterator[tuple[Pointer, Text]]


def _version_problem(document: dict[str, Any]) -> Text | None:
    version = document.get("openapi")
    if version is None:
        return Text(
            "no `openapi` field: not an OpenAPI document"
            " (a component library is checked through the documents that reference it)",
            "`openapi` がありません。OpenAPI 文書ではありません"
            " (コンポーネントのライブラリは、それを参照する文書を通して検査します)",
        )
    if not isinstance(version, str):
        return Text(
            "`openapi` must be a version string such as 3.1.0",
            "`openapi` は 3.1.0 のようなバージョン文字列で書きます (引用符で囲みます)",
        )
    if not version.startswith(("3.0.", "3.1.")):
        return Text(
            f"unsupported OpenAPI version {version!r} (3.0.x and 3.1.x are supported)",
            f"OpenAPI のバージョン {version!r} には対応していません (3.0.x と 3.1.x に対応)",
        )
    return None


def _schema_files(root: Traversable) -> Iterator[Traversable]:
    for child in root.iterdir():
        if child.is_dir():
            yield from _schema_files(child)
        elif not child.name.startswith("."):
            yield child


@functools.cache
def _dialect_checker() -> Validator:
    """A validator of schema objects against the OpenAPI 3.1 dialect (its meta-schemas read offline)."""
    from jsonschema_specifications import REGISTRY  # type: ignore[import-untyped]
    from openapi_schema_validator import OAS31Validator
    from referencing import Resource

    resources = [
        Resource.from_contents(json.loads(path.read_text(encoding="utf-8")))
        for path in _schema_files(files("openapi_schema_validator") / "schemas")
    ]
    registry = (resources @ REGISTRY).crawl()
    meta = OAS31Validator.META_SCHEMA
    checker: Validator = validator_for(meta, default=OAS31Validator)(
        meta, registry=registry, format_checker=FormatChecker(["regex"])
    )
    return checker


@functools.cache
def _meta_schema_validator(version: str) -> Validator:
    """jsonschema's validator of the OpenAPI meta-schema of `version` (its errors carry the keyword, the
    value and the causes inside `oneOf`/`anyOf`, which the fast backend's errors do not)."""
    from openapi_spec_validator.schemas import schema_v30, schema_v31

    schema = schema_v31 if version == "3.1" else schema_v30
    validator: Validator = validator_for(schema)(schema)
    return validator


_COMBINATORS = frozenset({"oneOf", "anyOf", "allOf", "if", "then", "else", "not", "$ref", "$dynamicRef"})


def _meta_schema_errors(document: dict[str, Any]) -> Findings:
    """The meta-schema's errors. openapi-spec-validator's fast validator decides whether there is any;
    only then does jsonschema give the located, explained errors. A combinator's error (`oneOf` failed) is
    dropped when a more specific error lies at or below its node: that one says what is wrong."""
    version = "3.1" if str(document["openapi"]).startswith("3.1.") else "3.0"
    validators = spec_validators()
    fast = validators[1] if version == "3.1" else validators[0]
    if next(iter(fast.schema_validator.iter_errors(document)), None) is None:
        return
    errors = list(_meta_schema_validator(version).iter_errors(document))
    paths = [tuple(error.absolute_path) for error in errors]
    for error, path in zip(errors, paths, strict=True):
        if error.validator in _COMBINATORS and any(
            other != path and other[: len(path)] == path for other in paths
        ):
            continue
        yield from describe(error)


def _schema_errors(document: Document) -> Findings:
    """Each schema object against the 3.1 dialect; jsonschema-rs decides first (`renkei.checking.fast_meta`),
    Python's jsonschema explains the schemas it rejects."""
    checker = _dialect_checker()
    rust = rust_dialect_validator()
    for schema, pointer in document.schema_roots():
        if isinstance(schema, dict | bool):
            if rust is not None and rust.is_valid(schema):
                continue
            for error in checker.iter_errors(schema):
                for inner, message in describe(error):
                    yield (*pointer, *inner), message


def _template_names(path: str) -> list[str]:
    try:
        return [name for _, name, _, _ in string.Formatter().parse(path) if name]
    except ValueError:
        return []


def _path_parameters(document: Document) -> Findings:
    """Each `{name}` of a path template is a declared path parameter of each of its operations, and each
    declared path parameter appears in the template."""
    root = document.root
    for operation in document.operations():
        in_template = _template_names(operation.path)
        declared: dict[str, Pointer] = {}
        misplaced: set[str] = set()  # `in` is not a location at all: reported by the meta-schema
        for holder, at in (
            (operation.path_item, ("paths", operation.path)),
            (operation.node, operation.pointer),
        ):
            listed = holder.get("parameters")
            for index, parameter in enumerate(listed if isinstance(listed, list) else []):
                resolved = deref(root, parameter)
                if isinstance(resolved, dict) and resolved.get("in") == "path":
                    declared[str(resolved.get("name"))] = (*at, "parameters", index)
                elif isinstance(resolved, dict) and resolved.get("in") not in _LOCATIONS:
                    misplaced.add(str(resolved.get("name")))
        for name in in_template:
            if name not in declared and name not in misplaced:
                yield (
                    ("paths", operation.path),
                    Text(
                        f"{operation.label}: path parameter {name!r} of the path is not declared"
                        " (add a parameter with `in: path`)",
                        f"{operation.label}: パスのパラメータ {name!r} が宣言されていません"
                        " (`in: path` のパラメータを追加してください)",
                    ),
                )
        for name, pointer in declared.items():
            if name not in in_template:
                yield (
                    pointer,
                    Text(
                        f"{operation.label}: path parameter {name!r} does not appear in the path",
                        f"{operation.label}: パスパラメータ {name!r} がパスに現れません",
                    ),
                )


def _duplicate_parameters(document: Document) -> Findings:
    root = document.root
    paths = root.get("paths")
    for path, item in paths.items() if isinstance(paths, dict) else ():
        if not isinstance(item, dict):
            continue
        holders: list[tuple[Any, Pointer]] = [(item, ("paths", path))]
        holders += [(item.get(method), ("paths", path, method)) for method in HTTP_METHODS]
        for holder, at in holders:
            listed = holder.get("parameters") if isinstance(holder, dict) else None
            seen: set[tuple[str, str]] = set()
            for index, parameter in enumerate(listed if isinstance(listed, list) else []):
                resolved = deref(root, parameter)
                if not isinstance(resolved, dict) or "name" not in resolved:
                    continue
                key = (str(resolved.get("in")), str(resolved["name"]))
                if key in seen:
                    yield (
                        (*at, "parameters", index),
                        Text(
                            f"parameter {key[1]!r} (in: {key[0]}) is listed twice",
                            f"パラメータ {key[1]!r} (in: {key[0]}) が2回書かれています",
                        ),
                    )
                seen.add(key)


def _duplicate_tags(document: Document) -> Findings:
    tags = document.root.get("tags")
    seen: set[str] = set()
    for index, tag in enumerate(tags if isinstance(tags, list) else []):
        name = tag.get("name") if isinstance(tag, dict) else None
        if isinstance(name, str):
            if name in seen:
                yield (
                    ("tags", index),
                    Text(f"tag {name!r} is declared twice", f"タグ {name!r} が2回宣言されています"),
                )
            seen.add(name)


def _repeated_enum_values(document: Document) -> Findings:
    """OpenAPI 3.0: an `enum` lists each value once (its schema objects follow JSON Schema draft 4, whose
    `enum` items MUST be unique; openapi-spec-validator's meta-schema of the document does not say so).
    3.1 (2020-12) only says SHOULD: a repetition is allowed there, and the generator merges it."""
    for schema, pointer in document.schemas():
        values = schema.get("enum")
        if not isinstance(values, list):
            continue
        seen: list[Any] = []
        for index, value in enumerate(values):
            if any(value == other and type(value) is type(other) for other in seen):
                shown = json.dumps(value, ensure_ascii=False)
                yield (
                    (*pointer, "enum", index),
                    Text(
                        f"enum has non-unique elements: {shown} is listed twice",
                        f"enum の値 {shown} が2回書かれています",
                    ),
                )
            seen.append(value)


def validate_structure(spec: LoadedSpec) -> Findings:
    """(pointer, message) for every structural error of `spec`'s bundled document."""
    problem = _version_problem(spec.document)
    if problem is not None:
        yield ("openapi",), problem
        return
    document = Document(spec)
    yield from _meta_schema_errors(spec.document)
    if str(spec.document["openapi"]).startswith("3.1."):
        yield from _schema_errors(document)
    yield from _path_parameters(document)
    yield from _duplicate_parameters(document)
    yield from _duplicate_tags(document)
    if str(spec.document["openapi"]).startswith("3.0."):
        yield from _repeated_enum_values(document)
