"""The OAS 3.1 schema dialect check in Rust first (jsonschema-rs); Python's jsonschema for what it rejects.

`renkei check` validates every Schema Object of a 3.1 document against the OAS 3.1 base dialect
(`renkei.checking.structure`). The pure-Python `jsonschema` (2020-12 with `$dynamicRef`) costs about 95 % of
that time on documents with hundreds of large schemas. A jsonschema-rs validator of the same meta-schema,
from the same registry of meta-schemas and with the same format checks (Python's, called from Rust), answers
first; only a schema it rejects is checked again in Python, which gives the located, explained errors. A
schema both accept or both reject gives the same outcome; one only jsonschema-rs rejects is accepted by the
Python check, as before.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

__all__ = ["rust_dialect_validator"]


@functools.cache
def rust_dialect_validator() -> Any | None:
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
