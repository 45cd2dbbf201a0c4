"""Loading OpenAPI documents: YAML/JSON with source positions, cross-file `$ref`s bundled into one document.

from generator.loading import load_spec, LoadedSpec, SpecError, SourceLocation
"""

from generator.loading.errors import SourceLocation, SpecError
from generator.loading.spec import LoadedSpec, load_spec

__all__ = ["LoadedSpec", "SourceLocation", "SpecError", "load_spec"]
