"""Structural validity (openapi-spec-validator) of a loaded document, as a located SpecError.

The OpenAPI meta-schema check always runs (fast: jsonschema-rs). openapi-spec-validator's semantic keyword
checks (declared path parameters, defaults matching their schemas, ...) cost seconds on documents with
hundreds of operations, so they run only up to `SEMANTIC_CHECK_MAX_OPERATIONS`.
"""

from __future__ import annotations

import re
from typing import Any

from generator.loading import LoadedSpec, SpecError

__all__ = ["SEMANTIC_CHECK_MAX_OPERATIONS", "validate_structure"]

SEMANTIC_CHECK_MAX_OPERATIONS = 150


def _operation_count(document: dict[str, Any]) -> int:
    paths = document.get("paths") or {}
    return sum(len(item) for item in paths.values() if isinstance(item, dict))


_OPERATION = re.compile(r"for '(?P<method>[a-z]+)'(?: operation)? in '(?P<path>[^']+)'")
_PARAMETER = re.compile(r"[Pp]ath parameter '(?P<name>[^']+)'")


def _semantic_pointer(message: str, document: dict[str, Any]) -> list[str]:
    """openapi-spec-validator's semantic errors carry no path: recover the operation (and parameter)."""
    found = _OPERATION.search(message)
    if not found:
        return []
    pointer = ["paths", found["path"], found["method"]]
    if "Operation ID" in message:
        return [*pointer, "operationId"]
    parameter = _PARAMETER.search(message)
    operation = ((document.get("paths") or {}).get(found["path"]) or {}).get(found["method"]) or {}
    if parameter and isinstance(operation, dict):
        for index, item in enumerate(operation.get("parameters") or []):
            if isinstance(item, dict) and item.get("name") == parameter["name"]:
                return [*pointer, "parameters", str(index)]
    return pointer


def _raise(loaded: LoadedSpec, error: Any) -> None:
    pointer = [str(p) for p in error.absolute_path]
    if not pointer:
        pointer = _semantic_pointer(str(error.message), loaded.document)
    message = str(error.message).strip().splitlines()[0][:300]
    location = loaded.locate(pointer)
    if location is None or not pointer:
        message += f" (at {'/'.join(pointer) or 'the document root'})"
    raise SpecError("openapi-structure", message, location)


def validate_structure(loaded: LoadedSpec) -> None:
    """Raise SpecError at the first structural error; guideline rules are not applied here."""
    document = loaded.document
    version = str(document.get("openapi", ""))
    if not version.startswith(("3.0", "3.1")):
        location = loaded.locate(["openapi"])
        raise SpecError(
            "openapi-version", f"only OpenAPI 3.0 and 3.1 are supported (got {version!r})", location
        )
    from generator.generation.spec_validators import spec_validators

    OpenAPIV30SpecValidator, OpenAPIV31SpecValidator = spec_validators()
    validator_class = OpenAPIV31SpecValidator if version.startswith("3.1") else OpenAPIV30SpecValidator
    try:
        error = next(iter(validator_class.schema_validator.iter_errors(document)), None)
        if error is None and _operation_count(document) <= SEMANTIC_CHECK_MAX_OPERATIONS:
            error = next(iter(validator_class(document).iter_errors()), None)
    except RecursionError:
        raise SpecError("openapi-structure", "the document is nested too deeply to validate") from None
    if error is not None:
        _raise(loaded, error)
