"""OpenAPI validation (openapi-spec-validator) of a bundled document, as located findings."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from jsonschema.exceptions import ValidationError, best_match
from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
from openapi_spec_validator.validation.exceptions import DuplicateOperationIDError

from renkei.checking.document import Pointer
from renkei.checking.findings import Finding, Severity
from renkei.loading import LoadedSpec
from renkei.loading.pointers import to_fragment

RULE = "openapi-schema"


def _validator_for(document: dict[str, Any]) -> type[OpenAPIV30SpecValidator | OpenAPIV31SpecValidator] | str:
    version = document.get("openapi")
    if version is None:
        return (
            "no `openapi` field: not an OpenAPI document"
            " (a component library is checked through the documents that reference it)"
        )
    if not isinstance(version, str):
        return "`openapi` must be a version string such as 3.1.0"
    if version.startswith("3.1."):
        return OpenAPIV31SpecValidator
    if version.startswith("3.0."):
        return OpenAPIV30SpecValidator
    return f"unsupported OpenAPI version {version!r} (3.0.x and 3.1.x are supported)"


# openapi-spec-validator's semantic errors carry no path, only a message naming the operation.
_OPERATION_IN_MESSAGE = re.compile(r"for '(?P<method>[a-z]+)' operation in '(?P<path>[^']+)'")


def _message(error: ValidationError) -> tuple[Pointer, str]:
    """The most specific cause of `error`: its document path and the first line of its message."""
    if error.context:
        error = best_match(error.context) or error
    path: Pointer = tuple(token if isinstance(token, int) else str(token) for token in error.absolute_path)
    message = str(error.message).strip().splitlines()[0] if error.message else "invalid document"
    mentioned = _OPERATION_IN_MESSAGE.search(message)
    if not path and mentioned:
        return ("paths", mentioned["path"], mentioned["method"]), message
    return path, f"{message} (at #{to_fragment(path)})" if path else message


def validate(spec: LoadedSpec) -> Iterator[Finding]:
    """One finding per validation error, located at the node's source position."""
    validator = _validator_for(spec.document)
    if isinstance(validator, str):
        yield Finding(RULE, Severity.ERROR, spec.locate(["openapi"]), validator)
        return
    errors: list[ValidationError] = []
    try:
        for error in validator(spec.document).iter_errors():
            errors.append(error)
    except Exception as crash:
        # The validator's semantic checks run after its JSON-schema checks and can crash on a document
        # those already rejected; the schema errors explain the problem. Never a traceback.
        if not errors:
            message = f"validator failed: {type(crash).__name__}: {crash}"
            yield Finding(RULE, Severity.ERROR, spec.locate([]), message)
            return
    for error in errors:
        if isinstance(error, DuplicateOperationIDError):
            continue  # reported, with its location, by the operation-id rule
        pointer, message = _message(error)
        yield Finding(RULE, Severity.ERROR, spec.locate(pointer), message)
