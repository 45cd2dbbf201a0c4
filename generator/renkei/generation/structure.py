"""The first structural error of an OpenAPI document, by openapi-spec-validator (plain data in and out).

Both parts of openapi-spec-validator run on every document: the OpenAPI meta-schema (fast, jsonschema-rs)
and the semantic keyword checks (declared path parameters, unique operationIds, defaults matching their
schemas, ...), which cost seconds on documents with hundreds of operations. This module imports nothing else
of renkei's, so that the validation child (`renkei.generation.background`) starts quickly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["StructureProblem", "find_structure_problem"]


@dataclass(frozen=True)
class StructureProblem:
    """The first structural error of a document: where (JSON pointer tokens, maybe empty) and what."""

    rule: str
    message: str
    pointer: tuple[str, ...] = ()


def find_structure_problem(document: dict[str, Any]) -> StructureProblem | None:
    """The first structural error of `document`, or None; guideline rules are not applied here."""
    version = str(document.get("openapi", ""))
    if not version.startswith(("3.0", "3.1")):
        return StructureProblem(
            "openapi-version", f"only OpenAPI 3.0 and 3.1 are supported (got {version!r})", ("openapi",)
        )
    from renkei.generation.spec_validators import spec_validators

    OpenAPIV30SpecValidator, OpenAPIV31SpecValidator = spec_validators()
    validator_class = OpenAPIV31SpecValidator if version.startswith("3.1") else OpenAPIV30SpecValidator
    try:
        error = next(iter(validator_class.schema_validator.iter_errors(document)), None)
        if error is None:
            error = next(iter(validator_class(document).iter_errors()), None)
    except RecursionError:
        return StructureProblem("openapi-structure", "the document is nested too deeply to validate")
    if error is None:
        return None
    pointer = [str(p) for p in error.absolute_path]
    message = str(error.message).strip().splitlines()[0][:300]
    return StructureProblem("openapi-structure", message, tuple(pointer))
