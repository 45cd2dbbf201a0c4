"""One API: load -> validate -> prepare schemas -> models (datamodel-code-generator) -> IR -> templates."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator.ir.naming import package_name

if TYPE_CHECKING:
    from generator.loading import LoadedSpec

__all__ = ["RenderedPackage", "render_package"]


@dataclass(frozen=True)
class RenderedPackage:
    package: str
    files: dict[str, str]
    """File name in the package -> text (Python sources not yet formatted)."""
    inputs: tuple[Path, ...]
    """Every file the document was loaded from."""


def _input_files(loaded: LoadedSpec, spec: Path) -> tuple[Path, ...]:
    return tuple(sorted({f.resolve() for f in loaded.files} | {spec.resolve()}))


def render_package(spec: Path, overlay: Path | None) -> RenderedPackage:
    """Everything of `spec`'s package in memory; raises SpecError for a bad document."""
    from generator.generation.validation import validate_structure
    from generator.ir.build import build_api
    from generator.ir.hoisting import hoist_inline_schemas
    from generator.loading import load_spec
    from generator.models.datamodel import generate_models
    from generator.models.hints import TypeHints
    from generator.models.prepare import prepare_document
    from generator.render.environment import TEMPLATE_FILES, make_environment, render

    loaded = load_spec(spec)
    validate_structure(loaded)
    package = package_name(spec.stem)
    prepared = prepare_document(loaded.document)
    hoist_inline_schemas(prepared.document)
    models = generate_models(prepared)
    hints = TypeHints(prepared.schemas, models.classes, prepared.overrides)
    api = build_api(prepared.document, package, hints, models.fields)
    env = make_environment(overlay)
    context = {"api": api, "package": package, "models": sorted(models.classes)}
    files = {name: render(env, template, context) for name, template in TEMPLATE_FILES.items()}
    files["models.py"] = models.source
    files["openapi.json"] = json.dumps(loaded.document, ensure_ascii=False, indent=1) + "\n"
    files["py.typed"] = ""
    return RenderedPackage(package=package, files=files, inputs=_input_files(loaded, spec))
