"""openapi-spec-validator's OpenAPI 3.0 / 3.1 validators with the per-schema meta-schema check in Rust first.

openapi-spec-validator checks every Schema Object against the OAS 3.1 base dialect with the pure-Python
`jsonschema` (2020-12 with `$dynamicRef`): about 95 % of the semantic checks' time on a document with
hundreds of large schemas (14 of 15 s on the 4 MB synthetic spec). Here a jsonschema-rs validator of the same
meta-schema, from the same registry of meta-schemas and with the same format checks (Python's, called from
Rust), answers first; only a schema it rejects is checked again by the Python validator, so that the error
reported is exactly the one openapi-spec-validator gives. A schema that both accept or both reject gives the
same outcome as before; one that only jsonschema-rs rejects is accepted, as before, by the Python check.
The ids of the schemas already visited are also looked up in a set instead of a list.

Plain data in and out, and nothing else of renkei's: the validation child imports this module.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ClassVar

__all__ = ["fast_spec_validator"]


@functools.cache
def _rust_meta_validator() -> Any | None:
    """jsonschema-rs validator of the OAS 3.1 base dialect, or None when jsonschema-rs is missing."""
    try:
        import jsonschema_rs

        # the registry the Python check resolves the dialect's meta-schemas from (not re-exported)
        from openapi_schema_validator._specifications import REGISTRY
    except ImportError:
        return None
    from openapi_schema_validator import OAS31_BASE_DIALECT_ID, oas31_format_checker

    resources = [(uri, REGISTRY[uri].contents) for uri in REGISTRY]
    checker = oas31_format_checker
    formats: dict[str, Callable[..., bool]] = {
        name: functools.partial(_conforms, checker, name) for name in checker.checkers
    }
    return jsonschema_rs.validator_for(
        REGISTRY.contents(OAS31_BASE_DIALECT_ID),
        registry=jsonschema_rs.Registry(resources),
        formats=formats,
        validate_formats=True,
        ignore_unknown_formats=True,
    )


def _conforms(checker: Any, name: str, value: Any) -> bool:
    return bool(checker.conforms(value, name))


class _IdList(list[int]):
    """The validator's lists of schema ids it has seen, with a set beside them: `in` on the plain list
    made the walk quadratic (2 of the remaining 4 s on the large spec)."""

    def __init__(self) -> None:
        super().__init__()
        self._members: set[int] = set()

    def append(self, item: int) -> None:
        super().append(item)
        self._members.add(item)

    def __contains__(self, item: object) -> bool:
        return item in self._members


@functools.cache
def fast_spec_validator(v31: bool) -> type[Any]:
    """A subclass of OpenAPIV31SpecValidator (or V30) whose schema walk looks ids up in sets and, for 3.1,
    whose Schema Objects are meta-checked by jsonschema-rs first."""
    from openapi_schema_validator import OAS31_BASE_DIALECT_ID
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
    from openapi_spec_validator.validation import keywords

    rust = _rust_meta_validator() if v31 else None
    base_spec = OpenAPIV31SpecValidator if v31 else OpenAPIV30SpecValidator
    base_schema = keywords.OpenAPIV31SchemaValidator if v31 else keywords.OpenAPIV30SchemaValidator

    class FastSchemaValidator(base_schema):  # type: ignore[misc,valid-type]
        def __init__(self, registry: Any) -> None:
            super().__init__(registry)
            self.visited_schema_ids = _IdList()
            self.meta_checked_schema_ids = _IdList()

        def _validate_schema_meta(self, schema: Any, schema_value: Any) -> Any:
            if rust is not None:
                try:
                    dialect = self._get_schema_dialect_id(schema, schema_value)
                except ValueError:
                    dialect = None
                if dialect == OAS31_BASE_DIALECT_ID and rust.is_valid(schema_value):
                    return None
            return super()._validate_schema_meta(schema, schema_value)

    class FastSpecValidator(base_spec):  # type: ignore[misc,valid-type]
        keyword_validators: ClassVar[dict[str, Any]] = {
            **base_spec.keyword_validators,
            "schema": FastSchemaValidator,
        }

    return FastSpecValidator
