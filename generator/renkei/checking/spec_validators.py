"""openapi-spec-validator's validator classes, imported without `requests`.

jsonschema-path (under openapi-spec-validator) uses `requests` for remote references when it can import
it and falls back to urllib otherwise. renkei never resolves remote references (the loader refuses them), and
importing requests with urllib3 costs about 80 ms of every cold `renkei generate`, so the import is made
with `requests` hidden. Nothing changes for code that imports requests later.
"""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["spec_validators"]


def spec_validators() -> tuple[Any, Any]:
    """(OpenAPIV30SpecValidator, OpenAPIV31SpecValidator)."""
    if "openapi_spec_validator" not in sys.modules and "requests" not in sys.modules:
        sys.modules["requests"] = None  # type: ignore[assignment]  # makes `import requests` fail
        try:
            import openapi_spec_validator  # noqa: F401
        finally:
            del sys.modules["requests"]
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

    return OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
