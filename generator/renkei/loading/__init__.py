"""Loading OpenAPI documents: YAML/JSON with source positions, cross-file `$ref`s bundled into one document.

from renkei.loading import load_spec, LoadedSpec, SpecError, SourceLocation
"""

from renkei.loading.errors import SourceLocation, SpecError
from renkei.loading.spec import LoadedSpec, load_spec

__all__ = ["LoadedSpec", "SourceLocation", "SpecError", "load_spec"]
